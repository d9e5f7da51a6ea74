/**
 * The project's instructions in the editor, in a real Chromium on both backends: a manager writes
 * them through the API (`PATCH /projects/:id`); the labeler sees a folded "Instructions" panel
 * that opens to the guideline rendered as safe markdown (a script payload shows as text, never
 * runs). Screenshots at two sizes under test-results/web/.
 */

import { Client } from '@prefer/sdk';
import { createApiKey, localActor } from '@prefer/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { type AppServer, startAppServer } from './support/app-server.ts';
import { browserSkipReason, launchBrowser, screenshot } from './support/browser.ts';
import { demoLink, signedInPage } from './support/pages.ts';

const skip = browserSkipReason();
const PAYLOAD = `<img src=x onerror="window.__pwned='instructions'">`;
const GUIDE = `## How to judge\n\n- Prefer the **honest** answer.\n- Ties are fine.\n\n${PAYLOAD}`;

describeBackends('web app instructions panel', (ctx) => {
  let browser: Browser;
  let app: AppServer;

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer(ctx.store, ctx.dir);
    browser = await launchBrowser();
    const { key } = await createApiKey(ctx.store, await localActor(ctx.store), { name: 'test' });
    await new Client({ endpoint: app.url, apiKey: key }).updateProject(app.projectId, {
      instructions: GUIDE,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const size of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it.skipIf(skip)(`shows the guideline folded, then as markdown (${size.width}px)`, async () => {
      const page = await signedInPage(browser, app.url, app.users.labeler, size);
      await demoLink(page, 'Start labeling').click();
      const summary = page.locator('details.instructions > summary');
      await summary.waitFor();
      await expect(page.getByRole('heading', { name: 'How to judge' }).isVisible()).resolves.toBe(false);
      await summary.click();
      await page.getByRole('heading', { name: 'How to judge' }).waitFor();
      expect(await page.locator('details.instructions strong').textContent()).toBe('honest');
      expect(await page.locator('details.instructions').textContent()).toContain(PAYLOAD);
      expect(await page.locator('details.instructions img').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned)).toBeUndefined();
      await screenshot(page, `${ctx.backend}-instructions-${size.width}`);
      await page.context().close();
    });
  }
});
