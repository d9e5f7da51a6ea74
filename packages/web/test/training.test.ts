/**
 * The "Training data" screen in a real Chromium, on SQLite and PostgreSQL: a manager starts a
 * conversion, watches it finish and downloads the file (which must equal the task's result read
 * through the SDK), and reads the analytics (leaderboard, agreement, position bias). Model and
 * question names carry XSS payloads: they must show as text. A labeler is turned away.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Client } from '@prefer/sdk';
import {
  addMember,
  createAdmin,
  createApiKey,
  createExportRunner,
  createUser,
  importLabelboxExport,
  type RunningServer,
  startExportWorker,
  startServer,
} from '@prefer/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { FIXTURE_ROWS } from '../../training/test/fixtures/build-export.ts';
import { exportRow, PREF } from '../../training/test/support/export-rows.ts';
import { WEB_DIST } from '../node/build.js';
import { PASSWORD } from './support/app-server.ts';
import { browserSkipReason, expectAccessible, launchBrowser, screenshot } from './support/browser.ts';
import { signedInPage } from './support/pages.ts';

const skip = browserSkipReason();
if (skip) console.warn(`[prefer web tests] training screen skipped: ${skip}`);

const MODEL = `<img src=x onerror="window.__pwned='model'">`;
const QUESTION = `<svg onload="window.__pwned='question'">Best?`;
const cuid = (s: string) =>
  `c${BigInt(`0x${createHash('sha256').update(s).digest('hex')}`)
    .toString(36)
    .slice(0, 24)
    .padStart(24, '0')}`;
const PROJECT = cuid('proj-web');
const IDS = new Set(['id', 'feature_id', 'feature_schema_id']);
const EXPORT = FIXTURE_ROWS.map(
  (spec) =>
    `${JSON.stringify(exportRow({ ...spec, project: PROJECT }), (k, v) =>
      typeof v !== 'string'
        ? v
        : IDS.has(k)
          ? cuid(v)
          : k === 'row_data'
            ? v.replaceAll('"model-b"', JSON.stringify(MODEL))
            : v === PREF
              ? QUESTION
              : v,
    )}\n`,
).join('');

describeBackends('training data screen', (ctx) => {
  let browser: Browser;
  let server: RunningServer;
  let worker: ReturnType<typeof startExportWorker>;
  let sdk: Client;

  beforeAll(async () => {
    if (skip) return;
    const admin = await createAdmin(ctx.store, {
      email: 'admin@example.com',
      name: 'Ada',
      password: PASSWORD,
    });
    const imported = await importLabelboxExport(ctx.store, admin, { input: Readable.from([EXPORT]) });
    expect(imported.ok).toBe(true);
    await createUser(ctx.store, admin, { email: 'labeler@example.com', name: 'Lee', password: PASSWORD });
    await addMember(ctx.store, admin, PROJECT, { email: 'labeler@example.com', role: 'labeler' });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', web: { root: WEB_DIST } });
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner: createExportRunner({ baseUrl: server.url }),
      pollMs: 50,
      progressMs: 0,
      log: () => {},
    });
    sdk = new Client({
      endpoint: server.url,
      apiKey: (await createApiKey(ctx.store, admin, { name: 'web' })).key,
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await worker?.stop();
  });

  const signIn = (email: string, size = { width: 1440, height: 900 }): Promise<Page> =>
    signedInPage(browser, server.url, email, size);

  async function expectNoScript(p: Page, screen: string) {
    const found = await p.evaluate(`(() => {
      const handlers = [];
      for (const el of document.querySelectorAll('*'))
        for (const a of el.attributes) if (a.name.startsWith('on')) handlers.push(el.tagName + ' ' + a.name);
      return { pwned: window.__pwned ?? null, handlers, images: document.querySelectorAll('main img').length };
    })()`);
    expect(found, screen).toEqual({ pwned: null, handlers: [], images: 0 });
  }

  it.skipIf(skip)(
    'a manager converts, watches it finish and downloads the dataset',
    async () => {
      const p = await signIn('admin@example.com');
      await p.goto(`/projects/${PROJECT}/training?min=1`);
      await p.getByRole('heading', { name: 'Convert to a training dataset' }).waitFor();
      await p.getByLabel('Format').selectOption('prefer');
      await p.getByRole('button', { name: 'Start conversion' }).click();
      const download = p.getByRole('link', { name: 'Download' });
      await download.waitFor({ timeout: 30_000 });
      expect(
        await p.getByRole('progressbar', { name: 'Conversion progress' }).getAttribute('aria-valuenow'),
      ).toBe('100');
      await screenshot(p, `training-converted-${ctx.backend}`);
      const [file] = await Promise.all([p.waitForEvent('download'), download.click()]);
      const bytes = readFileSync((await file.path())!);
      expect(file.suggestedFilename()).toMatch(/^training-.+-result\.jsonl$/);
      // The same bytes as the task's result read through the SDK, and the records are the project's.
      const taskId = file.suggestedFilename().slice('training-'.length, -'-result.jsonl'.length);
      const task = await (await import('@prefer/sdk')).ExportTask.getTask(sdk, taskId);
      const lines: string[] = [];
      for await (const line of task.getLineStream()) lines.push(`${line}\n`);
      expect(bytes.toString('utf8')).toBe(lines.join(''));
      const records = lines.map((l) => JSON.parse(l) as { models?: Record<string, string> });
      expect(records.length).toBe(FIXTURE_ROWS.length);
      expect(bytes.toString('utf8')).toContain(JSON.stringify(MODEL).slice(1, -1));
      expect(await p.getByText(`${records.length} records`).count()).toBe(1);

      // A Parquet dataset arrives as one tar.
      await p.getByLabel('Output').selectOption('parquet');
      await p.getByLabel('Test split').fill('0.2');
      await p.getByRole('button', { name: 'Start conversion' }).click();
      await p.getByText('A tar archive').waitFor({ timeout: 30_000 });
      const [tar] = await Promise.all([
        p.waitForEvent('download'),
        p.getByRole('link', { name: 'Download' }).click(),
      ]);
      expect(tar.suggestedFilename()).toMatch(/\.tar$/);
      const archive = readFileSync((await tar.path())!);
      expect(archive.subarray(257, 262).toString('ascii')).toBe('ustar');
      expect(archive.includes(Buffer.from('data/train-00000-of-00001.parquet'))).toBe(true);
      await expectNoScript(p, 'training screen after conversions');
    },
    120_000,
  );

  it.skipIf(skip)(
    'analytics show the leaderboard, agreement and position bias, names as text',
    async () => {
      // The report the screen asks for: the same parameters and seed give the same report, so it is
      // read once for both sizes instead of recomputing its bootstrap for each.
      const expected = await sdk
        .getProject(PROJECT)
        .then((project) => project.stats({ minComparisons: 1, seed: 3, bootstrap: 200 }));
      for (const size of [
        { width: 1440, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const p = await signIn('admin@example.com', size);
        await p.goto(`/projects/${PROJECT}/training?min=1&seed=3`);
        const leaderboard = p.getByRole('table', { name: 'Leaderboard' });
        await leaderboard.waitFor({ timeout: 30_000 });
        expect(expected.models.map((m) => m.model)).toContain(MODEL);
        // Every model in the report's order, its name shown literally.
        const names = await leaderboard.locator('tbody td.name').allInnerTexts();
        expect(names).toEqual(expected.models.map((m) => m.model));
        const top = expected.models[0]!;
        await expect
          .poll(async () => (await leaderboard.locator('tbody tr').first().textContent()) ?? '')
          .toContain(top.rating!.toFixed(0));
        expect(await p.getByRole('table', { name: 'Agreement per question' }).textContent()).toContain(
          QUESTION,
        );
        expect(await p.getByRole('table', { name: 'Annotators' }).locator('tbody tr').count()).toBe(
          expected.annotators.length,
        );
        // The charts: one point per rated model, per annotator with wins; the payload only as text.
        expect(await p.locator('svg[aria-label^="Leaderboard"] circle.point').count()).toBe(
          expected.models.filter((m) => m.rating !== null).length,
        );
        expect(
          await p.locator('svg[aria-label^="Leaderboard"] text', { hasText: '<img src=x' }).count(),
        ).toBe(1);
        expect(await p.locator('svg[aria-label^="Agreement"]').count()).toBe(1);
        expect(await p.locator('svg[aria-label^="Position bias"] circle.point').count()).toBe(
          expected.annotators.filter((a) => a.left_pick_rate !== null).length,
        );
        await expectNoScript(p, `analytics ${size.width}`);
        if (size.width === 1440) await expectAccessible(p, 'training screen');
        await screenshot(p, `training-analytics-${size.width}-${ctx.backend}`);
        await p.context().close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    'analytics show the task running, then its report; a failed task shows its reason',
    async () => {
      // No worker for a while: the stats task the screen starts stays IN_PROGRESS, at 0%.
      await worker.stop();
      const p = await signIn('admin@example.com');
      await p.goto(`/projects/${PROJECT}/training?min=1&seed=11`);
      const bar = p.getByRole('progressbar', { name: 'Analytics progress' });
      await bar.waitFor({ timeout: 30_000 });
      expect(await bar.getAttribute('aria-valuenow')).toBe('0');
      const running = () =>
        ctx.store.db
          .selectFrom('export_tasks')
          .where('type', '=', 'training-stats')
          .where('status', '=', 'IN_PROGRESS')
          .select('id')
          .execute();
      await expect.poll(async () => (await running()).length).toBe(1);
      await screenshot(p, `training-analytics-running-${ctx.backend}`);
      // The task fails (as a worker records it): the screen says why, and offers a retry.
      const [task] = await running();
      await ctx.store.db
        .updateTable('export_tasks')
        .set({ status: 'FAILED', failure_reason: 'the anchor is not a model', updated_at: Date.now() })
        .where('id', '=', task!.id)
        .execute();
      const alert = p.getByRole('alert').filter({ hasText: 'stats task failed: the anchor is not a model' });
      await alert.waitFor({ timeout: 30_000 });
      await screenshot(p, `training-analytics-failed-${ctx.backend}`);
      // A worker again: the retry starts a new task, which completes into the report.
      worker = startExportWorker(ctx.store, {
        dataDir: ctx.dir,
        runner: createExportRunner({ baseUrl: server.url }),
        pollMs: 50,
        progressMs: 0,
        log: () => {},
      });
      await alert.getByRole('button', { name: 'Retry' }).click();
      await p.getByRole('table', { name: 'Leaderboard' }).waitFor({ timeout: 30_000 });
      expect(await p.getByRole('progressbar', { name: 'Analytics progress' }).count()).toBe(0);
      await p.context().close();
    },
    120_000,
  );

  it.skipIf(skip)(
    'a labeler of the project is turned away',
    async () => {
      const p = await signIn('labeler@example.com');
      await p.goto(`/projects/${PROJECT}/training`);
      await p.getByRole('heading', { name: 'Managers and admins only' }).waitFor();
      expect(await p.getByRole('button', { name: 'Start conversion' }).count()).toBe(0);
      await screenshot(p, `training-labeler-${ctx.backend}`);
    },
    60_000,
  );
});
