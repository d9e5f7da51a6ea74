/**
 * The stored-XSS corpus (docs/reliability.md no. 14) in a real Chromium, on SQLite and PostgreSQL:
 * payloads in the conversation (messages, responses, names, a model output's title), the
 * ontology's questions and options, the project's name and description, the users' display
 * names and a comment typed in the editor; in the manager's console also batch, dataset, export
 * task and API key names, global keys, import faults and label answers. Every screen is walked; a
 * `window.__pwned` hook must
 * never fire, nothing may trip the CSP, no handler attribute or live javascript: link may reach
 * the DOM, and the payloads show as text.
 */
import { Readable } from 'node:stream';
import {
  addMember,
  createAdmin,
  createBatch,
  createDataset,
  createOntology,
  createProject,
  createUser,
  importDataRows,
  type RunningServer,
  startServer,
} from '@prefer/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { WEB_DIST } from '../node/build.js';
import { PASSWORD } from './support/app-server.ts';
import { browserSkipReason, launchBrowser, screenshot } from './support/browser.ts';

const skip = browserSkipReason();

const P = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<svg onload="window.__pwned='svg'">`,
  `</script><script>window.__pwned='script'</script>`,
  `[click me](javascript:window.__pwned='md-link')`,
  `" onfocus="window.__pwned='onfocus'" autofocus="`,
  `![pixel](javascript:window.__pwned='md-image')`,
  `![x](https://example.invalid/x.png" onerror="window.__pwned='img-attr')`,
  `<a href="javascript:window.__pwned='a-href'">a</a>`,
  `[data](data:text/html,<script>window.__pwned='data'</script>)`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
] as const;
const MATH = [
  `$\\href{javascript:window.__pwned='katex-href'}{katex link}$`,
  `$$\\def\\a{\\a\\a}\\a$$`,
  `$\\url{javascript:window.__pwned='katex-url'}$`,
  `$\\htmlClass{x}{y}$ and $\\htmlData{onload=window.__pwned='katex-data'}{z}$`,
];
const ALL = [...P, ...MATH].join('\n\n');

describeBackends('web app XSS corpus', (ctx) => {
  let browser: Browser;
  let server: RunningServer;
  let projectId = '';

  beforeAll(async () => {
    if (skip) return;
    const admin = await createAdmin(ctx.store, {
      email: 'admin@example.com',
      name: P[1],
      password: PASSWORD,
    });
    const dataset = await createDataset(ctx.store, admin, { name: `dataset ${P[0]}` });
    const row = {
      global_key: `xss-${P[4]}`,
      row_data: {
        type: 'application/vnd.labelbox.conversational',
        version: 1,
        messages: [
          {
            messageId: 'm1',
            content: ALL,
            user: { userId: 'u', name: P[0] },
            align: 'right',
            canLabel: true,
          },
          { messageId: 'm2', content: P.join('\n'), user: { userId: 'a', name: P[4] }, align: 'left' },
        ],
        modelOutputs: [
          { title: 'Response A', content: ALL, modelConfigName: P[2] },
          { title: 'Response B', content: `${P.slice(2).join(' ')}\n\n${MATH[0]}`, modelConfigName: P[3] },
          { title: P[1], content: P[0], modelConfigName: 'm' },
        ],
      },
    };
    const imported = await importDataRows(ctx.store, admin, {
      datasetId: dataset.id,
      input: Readable.from([Buffer.from(`${JSON.stringify(row)}\n`)]),
    });
    expect(imported.ok).toBe(true);
    const ontology = await createOntology(ctx.store, admin, {
      name: 'xss',
      ontology: {
        tools: [],
        classifications: [
          {
            type: 'radio',
            name: `Choose ${P[0]}`,
            required: true,
            options: [{ value: 'Response A' }, { value: 'Response B' }, { value: 'tie', label: P[4] }],
          },
          {
            type: 'checklist',
            name: P[2],
            options: [
              { value: 'one', label: P[0] },
              { value: 'two', label: P[1], options: [{ type: 'text', name: P[3] }] },
            ],
          },
          { type: 'text', name: P[4], instructions: P[0] },
          {
            type: 'radio',
            name: `Per message ${P[1]}`,
            scope: 'index',
            options: [{ value: 'ok', label: P[0] }],
          },
        ],
      },
    });
    const project = await createProject(ctx.store, admin, {
      name: `Project ${P[0]}`,
      description: P[1],
      ontologyId: ontology.id,
    });
    projectId = project.id;
    await createBatch(ctx.store, admin, { projectId, name: P[2], datasetId: dataset.id });
    await createUser(ctx.store, admin, { email: 'labeler@example.com', name: P[2], password: PASSWORD });
    await addMember(ctx.store, admin, projectId, { email: 'labeler@example.com', role: 'labeler' });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', web: { root: WEB_DIST } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function page(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
    // Before any script of the app: the hook the payloads would call, and a CSP violation log.
    await context.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 150) : '') + ' ' + e.sourceFile + ':' + e.lineNumber));
    `);
    const p = await context.newPage();
    p.on('dialog', (d) => void d.dismiss());
    await p.goto('/');
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('button', { name: 'Sign out' }).waitFor();
    return p;
  }

  /** Nothing fired, nothing was blocked, and no live handler or script link is in the DOM. */
  async function expectClean(p: Page, screen: string) {
    // A string, run in the page: this package's tests are typed without the DOM library.
    const found = await p.evaluate(`(() => {
      const handlers = [];
      for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (a.name.startsWith('on')) handlers.push(el.tagName + ' ' + a.name);
          if (/^\\s*(javascript|data|vbscript):/i.test(a.value) && ['href', 'src', 'action', 'xlink:href'].includes(a.name))
            handlers.push(el.tagName + ' ' + a.name + '=' + a.value);
        }
      }
      const foreign = [...document.querySelectorAll('main img, main iframe, main object, main embed, body script:not([src])')]
        .filter((el) => !el.closest('.katex'))
        .map((el) => el.tagName);
      return { pwned: window.__pwned ?? null, violations: window.__violations, handlers, foreign };
    })()`);
    expect(found, screen).toEqual({ pwned: null, violations: [], handlers: [], foreign: [] });
  }

  it.skipIf(skip)(
    'serves the app under a CSP that forbids inline script',
    async () => {
      const res = await fetch(`${server.url}/projects/x/label`, { headers: { Accept: 'text/html' } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    },
    180_000,
  );

  it.skipIf(skip)(
    'renders every payload as text on every screen of a labeler',
    async () => {
      const p = await page('labeler@example.com');
      await p.getByText(`Project ${P[0]}`).waitFor();
      await expectClean(p, 'home');
      await screenshot(p, `${ctx.backend}-xss-home-1440`);
      await p.getByRole('link', { name: 'Start labeling' }).click();
      await p.getByRole('region', { name: 'Response A' }).waitFor();
      // Literal text, not markup: the payloads' own characters are on the screen.
      await p.getByText(P[0], { exact: false }).first().waitFor();
      expect(await p.getByRole('checkbox', { name: P[0] }).count()).toBe(1);
      expect(await p.getByRole('region', { name: P[1] }).count()).toBe(1);
      // Links of a script scheme stay inert text; KaTeX's \href is refused (trust: false).
      expect(await p.evaluate("[...document.querySelectorAll('a[href]')].map((a) => a.protocol)")).toEqual(
        expect.not.arrayContaining(['javascript:', 'data:']),
      );
      await p.getByText('click me').first().click();
      // KaTeX refused \href (trust: false): it shows as an error in place, with no link to click.
      expect(await p.locator('a', { hasText: 'katex link' }).count()).toBe(0);
      await p.getByRole('checkbox', { name: P[1] }).check();
      for (let i = 0; i < 12; i++) await p.keyboard.press('Tab');
      await p.getByLabel('Show differences').check();
      await expectClean(p, 'editor');
      await screenshot(p, `${ctx.backend}-xss-editor-1440`);

      await p.getByText(/^Comments/).click();
      await p.getByRole('textbox', { name: 'Add a comment' }).fill(P.join(' '));
      await p.getByRole('button', { name: 'Comment' }).click();
      await p.locator('.comments li').first().waitFor();
      await expectClean(p, 'editor with comment');
      await p.keyboard.press('?');
      await p.getByRole('dialog').waitFor();
      await expectClean(p, 'shortcuts');
      await p.keyboard.press('Escape');

      await p.goto(`/projects/${projectId}/rework`);
      await p.getByText('Nothing to rework').waitFor();
      await p.goto('/account');
      await p.getByRole('button', { name: 'Change password' }).waitFor();
      await expectClean(p, 'account');
      await p.context().close();
    },
    180_000,
  );

  it.skipIf(skip)(
    'renders them as text for a reviewer too',
    async () => {
      const labeler = await page('labeler@example.com');
      await labeler.getByRole('link', { name: 'Start labeling' }).click();
      await labeler.getByRole('region', { name: 'Response A' }).waitFor();
      await labeler.keyboard.press('1');
      await labeler.getByRole('radio', { name: P[0] }).check();
      await labeler.getByRole('button', { name: 'Submit' }).click();
      await labeler.getByText('No rows left in your queue').waitFor();
      await labeler.context().close();

      const admin = await page('admin@example.com');
      await admin.getByRole('link', { name: 'Review', exact: true }).click();
      await admin.getByRole('button', { name: 'Approve' }).waitFor();
      await admin.getByText(/^Comments/).click();
      await admin.locator('.comments li').first().waitFor();
      await expectClean(admin, 'review');
      await screenshot(admin, `${ctx.backend}-xss-review-1440`);
      await admin.context().close();
    },
    180_000,
  );

  it.skipIf(skip)(
    "renders them as text on every screen of the manager's console",
    async () => {
      const admin = await page('admin@example.com');
      const go = async (path: string, ready: string, name: string) => {
        await admin.goto(path);
        await admin.getByText(ready, { exact: true }).first().waitFor();
        await expectClean(admin, name);
      };
      await go('/console', 'New project', 'console projects');
      await admin.getByText(`Project ${P[0]}`).waitFor();
      await screenshot(admin, `${ctx.backend}-xss-console-projects-1440`);
      await go(`/console/projects/${projectId}`, 'Labels per labeler per day', 'console overview');
      await go(`/console/projects/${projectId}/rows`, 'Global key', 'console rows');
      await admin.getByRole('link', { name: `xss-${P[4]}` }).click();
      await admin.getByRole('heading', { name: /^Labels/ }).waitFor();
      await admin.getByText(/^Comments/).click();
      await expectClean(admin, 'console row detail');
      await screenshot(admin, `${ctx.backend}-xss-console-row-1440`);
      await go(`/console/projects/${projectId}/batches`, 'New batch', 'console batches');
      await admin.getByText(P[2]).first().waitFor();
      await go(`/console/projects/${projectId}/members`, 'Add a member', 'console members');

      await go(`/console/projects/${projectId}/export`, 'Export v2', 'console export');
      await admin.getByLabel('Task name').fill(P[0]);
      await admin.getByLabel('global_keys').fill(`xss-${P[4]}`);
      await admin.getByRole('button', { name: 'Start export' }).click();
      await admin.locator('.tasks li').first().waitFor();
      await expectClean(admin, 'console export task');
      await screenshot(admin, `${ctx.backend}-xss-console-export-1440`);

      await go('/console/datasets', 'Import data rows', 'console datasets');
      await admin.getByLabel('File', { exact: true }).setInputFiles({
        name: `${P[0]}.ndjson`,
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(
          `${JSON.stringify({ global_key: P[1], row_data: P[0], [P[2]]: P[3] })}\n{"${P[4]}": \n`,
        ),
      });
      await admin.getByRole('button', { name: 'Import' }).click();
      await admin.getByText(/^Nothing was imported/).waitFor();
      await expectClean(admin, 'console import faults');
      await screenshot(admin, `${ctx.backend}-xss-console-faults-1440`);

      await go('/console/people', 'Your API keys', 'console people');
      await admin.getByLabel('Key name').fill(P[0]);
      await admin.getByRole('button', { name: 'Create key' }).click();
      await admin.getByTestId('new-api-key').waitFor();
      await admin.getByRole('cell', { name: P[0], exact: true }).waitFor();
      await expectClean(admin, 'console people with key');
      await go('/console/projects/new', 'New project', 'console new project');
      await admin.context().close();
    },
    180_000,
  );
});
