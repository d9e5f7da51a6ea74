/**
 * `npm run bench -- web [--rows 50]`
 *
 * The annotator's app in Debian's Chromium against a local server on a fresh SQLite file:
 * - the initial route's JS + CSS, gzipped (what a browser downloads before the sign-in screen);
 * - submit to next row visible: Ctrl+Enter on a row (once the app's queue requests settled, as
 *   they would while a labeler reads) until the next row's outputs are on screen, over N rows
 *   (median, p95);
 * - editor time to interactive: a fresh tab opening the editor on a conversation of 20 messages
 *   with two 4,000-word responses until the first question holds the focus and the second
 *   response's region is on screen (median of 7 tabs; one warm-up tab before them is not counted,
 *   as the first tab's figure stood apart from the others').
 * Targets: initial JS < 250 KB gzip, next row < 150 ms median, editor interactive < 1 s.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CANONICAL_PREFERENCE_ONTOLOGY } from '@prefer/schemas';
import { chromium } from 'playwright-core';
import { createAdmin } from '../packages/server/src/accounts/admin.service.ts';
import { createBatch } from '../packages/server/src/batches/batch.service.ts';
import { importDataRows } from '../packages/server/src/data-rows/data-row.import.ts';
import { createDataset } from '../packages/server/src/datasets/dataset.service.ts';
import { createLogger } from '../packages/server/src/http/log.ts';
import { startServer } from '../packages/server/src/http/server.ts';
import { createOntology } from '../packages/server/src/ontologies/ontology.service.ts';
import type { Actor } from '../packages/server/src/orgs/actor.ts';
import { createProject } from '../packages/server/src/projects/project.service.ts';
import { openStore, type Store } from '../packages/server/src/store/store.ts';
import { ensureWebBuild } from '../packages/web/node/build.js';

const TARGET = { initialKb: 250, nextRowMs: 150, interactiveMs: 1000 };
const PASSWORD = 'bench password, long enough';
const CHROMIUM = process.env.PREFER_CHROMIUM ?? '/usr/bin/chromium';

const words = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => `${seed}${(i * 7919) % 1000}`).join(' ');

function conversation(key: string, messages: number, responseWords: number) {
  return {
    global_key: key,
    row_data: {
      type: 'application/vnd.labelbox.conversational',
      version: 1,
      messages: Array.from({ length: messages }, (_, i) => ({
        messageId: `m${i}`,
        content: `Message ${i}: ${words(40, 'w')}`,
        user: i % 2 ? { userId: 'a', name: 'Assistant' } : { userId: 'u', name: 'User' },
        align: i % 2 ? 'left' : 'right',
      })),
      modelOutputs: [
        { title: 'Response A', content: `## Answer\n\n${words(responseWords, 'a')}`, modelConfigName: 'x' },
        { title: 'Response B', content: `## Answer\n\n${words(responseWords, 'b')}`, modelConfigName: 'y' },
      ],
    },
  };
}

async function project(store: Store, admin: Actor, name: string, rows: object[]): Promise<string> {
  const dataset = await createDataset(store, admin, { name });
  const ndjson = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  const result = await importDataRows(store, admin, {
    datasetId: dataset.id,
    input: Readable.from([Buffer.from(ndjson)]),
  });
  if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.errors[0])}`);
  const ontology = await createOntology(store, admin, { name, ontology: CANONICAL_PREFERENCE_ONTOLOGY });
  const { id } = await createProject(store, admin, { name, ontologyId: ontology.id });
  await createBatch(store, admin, { projectId: id, name, datasetId: dataset.id });
  return id;
}

function initialBytes(dist: string): { js: number; css: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const gz = (path: string) => gzipSync(readFileSync(join(dist, path))).length;
  const js = [...html.matchAll(/<script[^>]+src="\/([^"]+)"/g)].reduce((n, m) => n + gz(m[1]!), 0);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+)"/g)].reduce(
    (n, m) => n + gz(m[1]!),
    0,
  );
  return {
    js:
      js + [...html.matchAll(/rel="modulepreload"[^>]+href="\/([^"]+)"/g)].reduce((n, m) => n + gz(m[1]!), 0),
    css,
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 50;
  const dist = await ensureWebBuild((l) => console.error(l));
  const bytes = initialBytes(dist);

  const dir = resolve('.bench', `web-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  const store = await openStore(join(dir, 'web.db'));
  const admin = await createAdmin(store, { email: 'bench@example.com', password: PASSWORD });
  const small = Array.from({ length: rows + 1 }, (_, k) => conversation(`row-${k}`, 2, 120));
  const queue = await project(store, admin, 'Queue', small);
  const big = await project(
    store,
    admin,
    'Big',
    Array.from({ length: 6 }, (_, k) => conversation(`big-${k}`, 20, 4000)),
  );
  // A silent server: its request log would bury the table.
  const server = await startServer({
    store,
    port: 0,
    host: '127.0.0.1',
    web: { root: dist },
    logger: createLogger({ level: 'silent' }),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Email').fill('bench@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // Submit to next row: Ctrl+Enter until the next row's title and outputs are on screen. A
    // labeler reads a row for seconds before answering: the clock starts once the app's queue
    // requests (the prefetch of the row after this one) have their answers.
    const inFlight = new Set<unknown>();
    const settle = (r: { url(): string }) => inFlight.delete(r);
    page.on('request', (r) => {
      if (r.url().endsWith('/queue/next')) inFlight.add(r);
    });
    page.on('requestfinished', settle);
    page.on('requestfailed', settle);
    await page.goto(`/projects/${queue}/label`);
    const next: number[] = [];
    for (let k = 0; k < rows; k++) {
      await page.getByRole('region', { name: 'Response A' }).waitFor();
      while (inFlight.size > 0) await page.waitForTimeout(5);
      await page.keyboard.press('1');
      const t0 = Date.now();
      await page.keyboard.press('Control+Enter');
      await page.getByText(`${k + 1} done this session`).waitFor();
      await page.getByRole('region', { name: 'Response A' }).waitFor();
      next.push(Date.now() - t0);
    }

    // Editor time to interactive, in a fresh tab each time (the session cookie is kept).
    const tti: number[] = [];
    const rendered: number[] = [];
    const TABS = 7;
    for (let k = -1; k < TABS; k++) {
      const tab = await context.newPage();
      const t0 = Date.now();
      await tab.goto(`/projects/${big}/label`);
      await tab.locator('.strip input[type="radio"]:focus').waitFor();
      await tab.getByRole('region', { name: 'Response B' }).waitFor();
      const interactive = Date.now() - t0;
      // Every message and both responses rendered as markdown (no pass left pending).
      await tab.locator('.output .md h2').nth(1).waitFor();
      await tab.locator('.md[aria-busy]').first().waitFor({ state: 'detached' });
      if (k >= 0) {
        tti.push(interactive);
        rendered.push(Date.now() - t0);
      }
      await tab.close();
    }

    const rowsOut = [
      ['initial route JS (gzip)', `${(bytes.js / 1024).toFixed(1)} KB`, `< ${TARGET.initialKb} KB`],
      ['initial route CSS (gzip)', `${(bytes.css / 1024).toFixed(1)} KB`, ''],
      [`submit to next row, median of ${rows}`, `${pct(next, 50)} ms`, `< ${TARGET.nextRowMs} ms`],
      [`submit to next row, p95 of ${rows}`, `${pct(next, 95)} ms`, ''],
      [
        `editor interactive (20 messages, 2 x 4,000 words), median of ${TABS}`,
        `${pct(tti, 50)} ms`,
        `< ${TARGET.interactiveMs} ms`,
      ],
      [`editor fully rendered (same), median of ${TABS}`, `${pct(rendered, 50)} ms`, ''],
    ];
    console.log('| measure | value | target |\n| --- | ---: | ---: |');
    for (const r of rowsOut) console.log(`| ${r.join(' | ')} |`);
    const pass =
      bytes.js / 1024 < TARGET.initialKb &&
      pct(next, 50) < TARGET.nextRowMs &&
      pct(tti, 50) < TARGET.interactiveMs;
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1 / 5 / 15 min)`,
    );
    console.log(pass ? 'PASS' : 'FAIL');
  } finally {
    await browser.close();
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
