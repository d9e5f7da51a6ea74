/**
 * A row's pre-label (model-assisted, imported with `preLabels: true`) is where the labeler's
 * answers start in the editor when they have no draft, in a real Chromium on both backends.
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

describeBackends('web app pre-labels', (ctx) => {
  let browser: Browser;
  let app: AppServer;
  let admin: Client;
  let labeler: Client;

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer(ctx.store, ctx.dir);
    browser = await launchBrowser();
    admin = new Client({
      endpoint: app.url,
      apiKey: (await createApiKey(ctx.store, await localActor(ctx.store), { name: 'a' })).key,
    });
    let labelerId = '';
    for await (const u of admin.getUsers()) if (u.email === app.users.labeler) labelerId = u.id;
    const actor = {
      orgId: (await localActor(ctx.store)).orgId,
      userId: labelerId,
      email: app.users.labeler,
      role: 'member' as const,
    };
    labeler = new Client({
      endpoint: app.url,
      apiKey: (await createApiKey(ctx.store, actor, { name: 'l' })).key,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.skipIf(skip)("opens the editor pre-filled from the row's pre-label", async () => {
    // The labeler holds the row first (the queue answers it again to them), then a model's
    // pre-label of it is imported.
    const held = await (await labeler.getProject(app.projectId)).nextRow();
    expect(held?.preLabel).toBeNull();
    const rowId = held!.dataRowId;
    const counts = await (await admin.getProject(app.projectId)).importLabels(
      [
        { dataRow: { id: rowId }, name: 'Choose the best response', answer: { name: 'Response B' } },
        { dataRow: { id: rowId }, name: 'Provide a reason for your choice', answer: 'the model prefers B' },
      ],
      { preLabels: true },
    );
    expect(counts).toEqual({ labels: 1, annotations: 2, skipped: 0 });

    const page = await signedInPage(browser, app.url, app.users.labeler);
    await demoLink(page, 'Start labeling').click();
    await page.getByText("Pre-filled from a model's pre-label").waitFor();
    await expect.poll(() => page.getByRole('textbox').first().inputValue()).toBe('the model prefers B');
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(1);
    expect(await page.getByRole('radio', { name: /Response B/ }).isChecked()).toBe(true);
    await screenshot(page, `${ctx.backend}-editor-pre-label-1440`);
    // Nothing became a label.
    const labels = [];
    for await (const l of (await admin.getProject(app.projectId)).labels()) labels.push(l);
    expect(labels).toEqual([]);
  });
});
