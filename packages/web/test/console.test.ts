/**
 * The manager's console in a real Chromium against a real server, on SQLite and PostgreSQL: an
 * admin creates a project from the canonical ontology, imports 10 conversations (a faulty file
 * changes nothing), makes a batch with consensus 2, invites two labelers and a reviewer and adds
 * them; they label and review through the UI; the admin watches the overview, browses the rows,
 * and exports from the UI: the downloaded file equals, byte for byte, the export the CLI makes
 * when run with the command line the screen shows. Screenshots land in test-results/web/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@prefer/sdk';
import { createApiKey, localActor } from '@prefer/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../../cli/test/support/run-cli.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { type AppServer, startAppServer } from './support/app-server.ts';
import { browserSkipReason, expectAccessible, launchBrowser, screenshot } from './support/browser.ts';
import { labelRows, projectLink, signedInPage } from './support/pages.ts';

const skip = browserSkipReason();
const PROJECT = 'Console pairwise';

function conversation(i: number) {
  return {
    global_key: `chat-${String(i).padStart(2, '0')}`,
    row_data: {
      type: 'application/vnd.labelbox.conversational',
      version: 1,
      messages: [
        {
          messageId: 'm1',
          content: `Question number ${i}: what is ${i} + ${i}?`,
          user: { userId: 'u', name: 'user' },
          align: 'right',
          canLabel: true,
        },
      ],
      modelOutputs: [
        { title: 'Response A', content: `It is ${2 * i}.`, modelConfigName: 'model-1' },
        { title: 'Response B', content: `Probably ${2 * i + 1}.`, modelConfigName: 'model-2' },
      ],
    },
  };
}

/** Splits a POSIX command line as the export screen quotes it (bare words and '...' words). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) {
    words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  }
  return words;
}

describeBackends('manager console', (ctx) => {
  let browser: Browser;
  let app: AppServer;
  let api: Client;
  let apiKey = '';
  let admin: Page;
  let projectId = '';
  const people: Record<'lab1' | 'lab2' | 'rev', { email: string; password: string }> = {
    lab1: { email: 'lab1@example.com', password: '' },
    lab2: { email: 'lab2@example.com', password: '' },
    rev: { email: 'rev@example.com', password: '' },
  };
  const shot = (page: Page, name: string) => screenshot(page, `${ctx.backend}-console-${name}`);

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer(ctx.store, ctx.dir);
    browser = await launchBrowser();
    const actor = await localActor(ctx.store);
    apiKey = (await createApiKey(ctx.store, actor, { name: 'test' })).key;
    api = new Client({ endpoint: app.url, apiKey });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(email: string, password: string, size = { width: 1440, height: 900 }) {
    const context = await browser.newContext({ viewport: size, baseURL: app.url, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  it.skipIf(skip)(
    'keeps the console from labelers and reviewers',
    async () => {
      const labeler = await signedInPage(browser, app.url, app.users.labeler);
      await labeler.getByRole('link', { name: 'Start labeling' }).first().waitFor();
      expect(await labeler.getByRole('link', { name: 'Console' }).count()).toBe(0);
      await labeler.goto('/console');
      await labeler.getByText('The console is for project managers and admins').waitFor();
      // The API refuses them too.
      const res = await labeler.request.get(`${app.url}/api/v1/projects/${app.projectId}/overview`);
      expect(res.status()).toBe(403);
      await labeler.context().close();
    },
    180_000,
  );

  it.skipIf(skip)(
    'creates a project from the canonical ontology in one click',
    async () => {
      admin = await signedInPage(browser, app.url, app.users.admin);
      await admin.getByRole('link', { name: 'Console' }).click();
      await admin.getByRole('heading', { name: 'Projects' }).waitFor();
      await admin
        .getByRole('row', { name: /Demo: assistant preference/ })
        .getByText('% done')
        .waitFor();
      await shot(admin, 'projects-1440');
      await expectAccessible(admin, 'console projects');
      await admin.getByRole('link', { name: 'New project' }).click();
      // Faulty JSON is refused at its path, and nothing is created.
      await admin.getByLabel('Name', { exact: true }).fill(PROJECT);
      await admin.getByLabel('Labelbox ontology JSON, pasted or uploaded').check();
      await admin
        .getByRole('textbox', { name: 'Ontology JSON' })
        .fill(
          '{"tools": [], "classifications": [{"type": "radio", "name": "Pick", "options": [{"value": 7}]}]}',
        );
      await admin.getByRole('button', { name: 'Create project', exact: true }).click();
      await admin.getByRole('alert').filter({ hasText: 'fault' }).waitFor();
      const faultText = await admin.locator('.faults').textContent();
      expect(faultText).toContain('classifications[0].options[0]');
      await shot(admin, 'project-new-faults-1440');
      const before = await collectProjects();
      expect(before.map((p) => p.name)).not.toContain(PROJECT);

      await admin.getByRole('button', { name: 'Create with the canonical pairwise ontology' }).click();
      await admin.getByRole('heading', { name: PROJECT }).waitFor();
      await admin.getByRole('heading', { name: 'Rows per status, last 14 days' }).waitFor();
      projectId = admin.url().split('/').pop()!;
      const project = await api.getProject(projectId);
      expect(project.name).toBe(PROJECT);
      const ontology = await api.getOntology(project.ontologyId);
      expect(ontology.normalized.classifications.map((c) => c.name)).toEqual([
        'Choose the best response',
        'Provide a reason for your choice',
        'Evaluations done',
      ]);
    },
    60_000,
  );

  async function collectProjects() {
    const out = [];
    for await (const p of api.getProjects()) out.push(p);
    return out;
  }

  it.skipIf(skip)(
    'imports 10 conversations, and a faulty file changes nothing',
    async () => {
      await admin.getByRole('link', { name: 'Datasets' }).click();
      await admin.getByLabel('Dataset name').fill('Console chats');
      await admin.getByRole('button', { name: 'Create dataset' }).click();
      await admin.getByRole('cell', { name: 'Console chats' }).waitFor();
      await admin.getByLabel('Into dataset').selectOption({ label: 'Console chats' });
      const ndjson = Array.from({ length: 10 }, (_, i) => JSON.stringify(conversation(i + 1))).join('\n');
      await admin.getByLabel('File', { exact: true }).setInputFiles({
        name: 'chats.ndjson',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(`${ndjson}\n`),
      });
      await admin.getByRole('button', { name: 'Import' }).click();
      await admin.getByText('Imported 10 rows from chats.ndjson').waitFor();
      await admin
        .getByRole('row', { name: /Console chats/ })
        .getByRole('cell', { name: '10', exact: true })
        .waitFor();

      const faulty = [
        JSON.stringify(conversation(11)),
        JSON.stringify({ global_key: 'chat-12' }),
        '{"global_key": "chat-13", "row_data": ',
        JSON.stringify({ ...conversation(14), colour: 'blue' }),
      ].join('\n');
      await admin.getByLabel('File', { exact: true }).setInputFiles({
        name: 'faulty.ndjson',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(`${faulty}\n`),
      });
      await admin.getByRole('button', { name: 'Import' }).click();
      await admin.getByText(/^Nothing was imported/).waitFor();
      const faults = await admin.locator('.faults tbody tr').allInnerTexts();
      expect(faults.length).toBeGreaterThanOrEqual(3);
      expect(faults.map((f) => f.split('\t')[0])).toEqual(expect.arrayContaining(['2', '3', '4']));
      expect(faults.join('\n')).toContain('colour');
      await shot(admin, 'datasets-faults-1440');
      await expectAccessible(admin, 'datasets');
      let rows = 0;
      for await (const d of api.getDatasets()) if (d.name === 'Console chats') rows = d.rowCount;
      expect(rows).toBe(10);
    },
    60_000,
  );

  it.skipIf(skip)(
    'makes a batch with consensus 2, invites two labelers and a reviewer',
    async () => {
      await admin.goto(`/console/projects/${projectId}/batches`);
      await admin.getByLabel('Batch name').fill('First batch');
      await admin.getByLabel('Dataset', { exact: true }).selectOption({ label: 'Console chats (10 rows)' });
      await admin.getByLabel('Priority (1 highest, 5 lowest)').selectOption('2');
      await admin.getByLabel('Labels per row (consensus)').selectOption('2');
      await admin.getByRole('button', { name: 'Make batch' }).click();
      await admin.getByText('Batch First batch made: 10 rows queued.').waitFor();
      await admin.getByRole('cell', { name: 'First batch' }).waitFor();
      await shot(admin, 'batches-1440');
      const batches = [];
      for await (const b of (await api.getProject(projectId)).batches()) batches.push(b);
      expect(batches.map((b) => [b.name, b.dataRowCount, b.priority, b.consensusExpectedLabelCount])).toEqual(
        [['First batch', 10, 2, 2]],
      );

      await admin.getByRole('link', { name: 'People' }).click();
      const form = admin.getByRole('form', { name: 'Invite a user' });
      // A one-time link is the default way in.
      expect(await form.getByLabel(/One-time link/).isChecked()).toBe(true);
      for (const [who, name] of [
        ['lab1', 'Lab One'],
        ['lab2', 'Lab Two'],
      ] as const) {
        await form.getByLabel('Email').fill(people[who].email);
        await form.getByLabel('Name').fill(name);
        await form.getByLabel('A password made here, shown once').check();
        await form.getByRole('button', { name: 'Invite' }).click();
        await admin.getByText(`${people[who].email} can sign in with this password`).waitFor();
        people[who].password = (await admin.getByTestId('new-password').textContent()) ?? '';
        expect(people[who].password).toMatch(/^[A-Za-z0-9]{20}$/);
      }

      // The reviewer by a one-time link (the default): copied, opened in a fresh browser context,
      // a password chosen there, and they land signed in.
      await form.getByLabel('Email').fill(people.rev.email);
      await form.getByLabel('Name').fill('Rev Iewer');
      await form.getByLabel(/One-time link/).check();
      await form.getByRole('button', { name: 'Invite' }).click();
      const link = (await admin.getByTestId('invite-link').textContent()) ?? '';
      expect(link).toMatch(new RegExp(`^${app.url}/invite/[A-Za-z0-9_-]{43}$`));
      await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
      await form.getByRole('button', { name: 'Copy link' }).click();
      await form.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await admin.evaluate('navigator.clipboard.readText()')).toBe(link);
      await shot(admin, 'people-1440');
      await expectAccessible(admin, 'people');
      const stored = await ctx.store.db.selectFrom('user_invites').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(link.split('/').pop());

      const fresh = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: app.url });
      const invited = await fresh.newPage();
      await invited.goto(link);
      await invited.getByText(`Choose a password for ${people.rev.email}`).waitFor();
      people.rev.password = 'the reviewer chose this';
      await invited.getByLabel('New password (12 characters or more)').fill(people.rev.password);
      await invited.getByLabel('The same password again').fill(people.rev.password);
      await shot(invited, 'invite-390');
      await expectAccessible(invited, 'invite');
      await invited.getByRole('button', { name: 'Set password and sign in' }).click();
      await invited.getByRole('button', { name: 'Sign out' }).waitFor();
      expect(new URL(invited.url()).pathname).toBe('/');
      const me = await invited.request.get(`${app.url}/api/v1/me`);
      expect(((await me.json()) as { email: string }).email).toBe(people.rev.email);
      // The link worked once: opened again, it says so, and names nobody.
      const again = await (await browser.newContext({ baseURL: app.url })).newPage();
      await again.goto(link);
      await again.getByText(/This invite link is not valid/).waitFor();
      expect(await again.content()).not.toContain(people.rev.email);
      await shot(again, 'invite-used-1440');
      await again.context().close();
      await fresh.close();

      await admin.goto(`/console/projects/${projectId}/members`);
      for (const [who, role] of [
        ['lab1', 'labeler'],
        ['lab2', 'labeler'],
        ['rev', 'reviewer'],
      ] as const) {
        const form = admin.getByRole('form', { name: 'Add a member' });
        await form.getByLabel('Email').fill(people[who].email);
        await form.getByLabel('Role').selectOption(role);
        await form.getByRole('button', { name: 'Add member' }).click();
        await admin.getByRole('combobox', { name: `Role of ${people[who].email}` }).waitFor();
      }
      await shot(admin, 'members-1440');
      const members = [];
      for await (const m of (await api.getProject(projectId)).getMembers()) members.push([m.email, m.role]);
      expect(members).toEqual(
        expect.arrayContaining([
          [people.lab1.email, 'labeler'],
          [people.lab2.email, 'labeler'],
          [people.rev.email, 'reviewer'],
        ]),
      );
    },
    120_000,
  );

  it.skipIf(skip)(
    'the labelers label every row twice and the reviewer reviews, all through the UI',
    async () => {
      for (const who of ['lab1', 'lab2'] as const) {
        const page = await signIn(people[who].email, people[who].password);
        expect(await page.getByRole('link', { name: 'Console' }).count()).toBe(0);
        await projectLink(page, PROJECT, 'Start labeling').click();
        await labelRows(page, 10, `${who} says`);
        await page.getByText('No rows left in your queue').waitFor();
        await page.context().close();
      }
      const reviewer = await signIn(people.rev.email, people.rev.password);
      await projectLink(reviewer, PROJECT, 'Review').click();
      for (let i = 0; i < 3; i++) {
        await reviewer.getByRole('button', { name: 'Approve' }).waitFor();
        await reviewer.keyboard.press('a');
        await reviewer.getByText(`${i + 1} reviewed this session`).waitFor();
      }
      await reviewer.getByRole('button', { name: 'Reject' }).waitFor();
      await reviewer.keyboard.press('r');
      await reviewer.getByRole('textbox', { name: 'Reason (the labeler sees it)' }).fill('Too short.');
      await reviewer.keyboard.press('Control+Enter');
      await reviewer.getByText('4 reviewed this session').waitFor();
      await reviewer.context().close();
    },
    300_000,
  );

  it.skipIf(skip)(
    'shows the progress live on the overview and browses the rows',
    async () => {
      await admin.goto(`/console/projects/${projectId}`);
      const figure = (label: string) => admin.locator('.figure', { hasText: label }).locator('.figure-value');
      await admin.getByRole('img', { name: /Rows per status over 14 days/ }).waitFor();
      const o = await (await api.getProject(projectId)).overview({ days: 14 });
      // On a mismatch the message says whether a label went missing or became a skip.
      expect(o.labels, JSON.stringify(o.labelers.map((l) => [l.email, l.total, l.skips]))).toBe(20);
      expect(await figure('Labels (14 days)').textContent()).toBe('20');
      expect(await figure('Done').textContent()).toBe(String(o.counts.DONE));
      expect(await figure('In rework').textContent()).toBe(String(o.counts.IN_REWORK));
      expect(await figure('Review rejection rate').textContent()).toBe(
        `${((o.rejections / o.reviews) * 100).toFixed(1)} %`,
      );
      const labelers = await admin.locator('.overview table tbody tr').allInnerTexts();
      expect(labelers).toHaveLength(2);
      expect(labelers.join('\n')).toContain(people.lab1.email);
      await shot(admin, 'overview-1440');
      await expectAccessible(admin, 'overview');

      await admin.getByRole('link', { name: 'Data rows' }).click();
      await admin.getByText('10 rows').waitFor();
      await admin.getByLabel('Labeler', { exact: true }).selectOption(people.lab1.email);
      await admin.getByText('10 rows').waitFor();
      expect(admin.url()).toContain(`labeler=${encodeURIComponent(people.lab1.email)}`);
      await admin.getByLabel('Status', { exact: true }).selectOption('DONE');
      await admin.getByText(`${o.counts.DONE} rows`).waitFor();
      await admin.getByRole('button', { name: 'Clear filters' }).click();
      await admin.getByLabel('Global key').fill('CHAT-03');
      await admin.keyboard.press('Enter');
      await admin.getByText('1 rows').waitFor();
      await shot(admin, 'rows-1440');
      await expectAccessible(admin, 'rows');
      await admin.getByRole('link', { name: 'chat-03' }).click();
      await admin.getByRole('heading', { name: 'Labels (2)' }).waitFor();
      await admin.getByRole('region', { name: 'Response A' }).waitFor();
      const history = await admin.locator('.history li').allInnerTexts();
      expect(history.length).toBeGreaterThanOrEqual(2);
      await shot(admin, 'row-detail-1440');
    },
    120_000,
  );

  it.skipIf(skip)(
    'exports from the UI; the download equals the CLI export of the line it shows',
    async () => {
      await admin.goto(`/console/projects/${projectId}/export`);
      for (const p of ['label_details', 'project_details', 'performance_details', 'data_row_details']) {
        await admin.getByLabel(p, { exact: true }).check();
      }
      await admin.getByLabel('From').first().fill('2000-01-01');
      await admin.getByLabel('To (inclusive)').first().fill('2050-01-01 00:00:00');
      await admin.getByLabel('Time zone of dates without an offset').fill('Europe/Paris');
      await admin.getByLabel('Task name').fill('console export');
      const line = (await admin.locator('.snippet pre').first().textContent()) ?? '';
      expect(line).toBe(
        `npx prefer export --url ${app.url} --project ${projectId} --params data_row_details,project_details,label_details,performance_details --filter 'last_activity_at=2000-01-01,2050-01-01 00:00:00' --timezone Europe/Paris --task-name 'console export' --out export.ndjson`,
      );
      const python = await admin.locator('.snippet pre').nth(1).textContent();
      expect(python).toContain(`project = client.get_project("${projectId}")`);
      expect(python).toContain('"last_activity_at": ["2000-01-01", "2050-01-01 00:00:00"]');
      await admin.getByRole('button', { name: 'Start export' }).click();
      const download = admin.getByRole('link', { name: 'Download result' }).first();
      await download.waitFor({ timeout: 30_000 });
      await admin
        .getByText(/sha256 [0-9a-f]{12}/)
        .first()
        .waitFor();
      await shot(admin, 'export-1440');
      await expectAccessible(admin, 'export');
      const [file] = await Promise.all([admin.waitForEvent('download'), download.click()]);
      const fromUi = readFileSync((await file.path())!);
      expect(fromUi.length).toBeGreaterThan(0);
      expect(fromUi.toString('utf8').trim().split('\n')).toHaveLength(10);

      // The CLI, given the very line the screen shows (writing to a file of the test's own).
      const args = shellWords(line).slice(2);
      const out = join(ctx.dir, 'cli-export.ndjson');
      args[args.indexOf('--out') + 1] = out;
      const cli = await runCli(args, { PREFER_API_KEY: apiKey });
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      const fromCli = readFileSync(out);
      expect(fromCli.equals(fromUi)).toBe(true);

      // The V1 export runs from the same screen.
      await admin.getByRole('button', { name: 'Start V1 export' }).click();
      await admin.getByText('V1 labels').first().waitFor();
      await admin.getByRole('link', { name: 'Download result' }).nth(1).waitFor({ timeout: 30_000 });
    },
    180_000,
  );

  it.skipIf(skip)(
    'shows the console screens at 390x844',
    async () => {
      const phone = await signedInPage(browser, app.url, app.users.admin, { width: 390, height: 844 });
      // Nothing spills sideways: no page scrolls horizontally.
      const overflow = () =>
        phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      for (const [path, name, ready] of [
        ['/console', 'projects', 'New project'],
        [`/console/projects/${projectId}`, 'overview', 'Rows per status, last 14 days'],
        [`/console/projects/${projectId}/rows`, 'rows', '10 rows'],
        [`/console/projects/${projectId}/batches`, 'batches', 'New batch'],
        [`/console/projects/${projectId}/members`, 'members', 'Add a member'],
        [`/console/projects/${projectId}/export`, 'export', 'Export v2'],
        ['/console/datasets', 'datasets', 'Import data rows'],
        ['/console/people', 'people', 'Your API keys'],
        ['/console/audit', 'audit', 'Audit log'],
      ] as const) {
        await phone.goto(path);
        await phone.getByText(ready, { exact: true }).first().waitFor();
        await shot(phone, `${name}-390`);
        expect(await overflow(), name).toBe(0);
      }
      await expectAccessible(phone, 'export 390');

      // The project tabs wrap: every tab is on screen, and Tab reaches each in order.
      await phone.goto(`/console/projects/${projectId}`);
      const tabs = phone.getByRole('navigation', { name: 'Project', exact: true }).getByRole('link');
      await tabs.first().waitFor();
      expect(await tabs.count()).toBe(7);
      for (const box of await tabs.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
        const { left, right } = box as { left: number; right: number };
        expect(left).toBeGreaterThanOrEqual(0);
        expect(right).toBeLessThanOrEqual(390);
      }
      await tabs.first().focus();
      for (const name of ['Data rows', 'Batches', 'Members', 'Export', 'Training data', 'Settings']) {
        await phone.keyboard.press('Tab');
        expect(await phone.evaluate('document.activeElement.textContent')).toBe(name);
      }
      // The overview chart draws at the width it is shown at: its labels keep their CSS size.
      const chart = phone.getByRole('img', { name: /Rows per status over 14 days/ });
      const viewBox = (await chart.getAttribute('viewBox'))!.split(' ').map(Number);
      const shown = (await chart.boundingBox())!;
      expect(Math.abs(viewBox[2]! - shown.width)).toBeLessThanOrEqual(1);

      // A faulty import's faults as label/value pairs, and a row's detail with its erasure form.
      await phone.goto('/console/datasets');
      await phone.getByLabel('Into dataset').selectOption({ label: 'Console chats' });
      await phone.getByLabel('File', { exact: true }).setInputFiles({
        name: 'faulty.ndjson',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(`${JSON.stringify({ global_key: 'chat-12' })}\n{"global_key": "chat-13", \n`),
      });
      await phone.getByRole('button', { name: 'Import' }).click();
      await phone.getByText(/^Nothing was imported/).waitFor();
      await phone.locator('.faults').scrollIntoViewIfNeeded();
      await shot(phone, 'datasets-faults-390');
      expect(await overflow(), 'faults').toBe(0);
      await phone.goto(`/console/projects/${projectId}/rows`);
      await phone.getByRole('link', { name: 'chat-02' }).click();
      await phone.getByRole('heading', { name: 'Labels (2)' }).waitFor();
      await shot(phone, 'row-detail-390');
      await phone.getByRole('form', { name: 'Erase data row' }).scrollIntoViewIfNeeded();
      await shot(phone, 'row-erase-390');
      expect(await overflow(), 'row detail').toBe(0);
      await phone.context().close();
    },
    120_000,
  );

  it.skipIf(skip)(
    'edits the settings, archives, deletes after typing the name, restores; the audit log shows it',
    async () => {
      await admin.goto(`/console/projects/${projectId}/settings`);
      await admin
        .getByLabel('Instructions for labelers (markdown, shown in the editor)')
        .fill('Pick the **correct** one.');
      await admin.getByLabel('Description', { exact: true }).fill('Arithmetic answers');
      await admin.getByRole('button', { name: 'Save settings' }).click();
      await admin.getByText('Saved.').waitFor();
      let project = await api.getProject(projectId);
      expect([project.instructions, project.description]).toEqual([
        'Pick the **correct** one.',
        'Arithmetic answers',
      ]);

      await admin.getByRole('button', { name: 'Archive project' }).click();
      await admin.getByRole('button', { name: 'Unarchive project' }).waitFor();
      expect((await api.getProject(projectId)).archivedAt).not.toBeNull();
      await admin.getByRole('button', { name: 'Unarchive project' }).click();
      await admin.getByRole('button', { name: 'Archive project' }).waitFor();

      const remove = admin.getByRole('button', { name: 'Delete project' });
      expect(await remove.isDisabled()).toBe(true);
      await admin.getByLabel("Type the project's name to confirm").fill(`${PROJECT} typo`);
      expect(await remove.isDisabled()).toBe(true);
      await admin.getByLabel("Type the project's name to confirm").fill(PROJECT);
      await shot(admin, 'settings-1440');
      await expectAccessible(admin, 'settings');
      await remove.click();
      await admin.getByText(`Project ${PROJECT} was deleted.`).waitFor();
      expect((await collectProjects()).map((p) => p.id)).not.toContain(projectId);
      await shot(admin, 'deleted-1440');
      await admin.getByRole('button', { name: `Restore ${PROJECT}` }).click();
      await admin.getByText('Restored.').waitFor();
      await admin.getByRole('link', { name: PROJECT }).waitFor();
      project = await api.getProject(projectId);
      expect(project.name).toBe(PROJECT);

      await admin.getByRole('link', { name: 'Audit log' }).click();
      await admin.getByLabel('Target id').fill(projectId);
      await admin.getByRole('button', { name: 'Filter' }).click();
      await admin.getByRole('cell', { name: 'delete_projects_projectId' }).waitFor();
      // Polled: the filtered page may replace the table (a loading state between) after the
      // cell first shows; one read caught it empty on a loaded CI.
      await expect
        .poll(() => admin.locator('table.list tbody td.mono').allTextContents())
        .toEqual(
          expect.arrayContaining([
            'patch_projects_projectId',
            'post_projects_projectId_archive',
            'delete_projects_projectId',
            'post_projects_projectId_restore',
          ]),
        );
      expect(admin.url()).toContain(`target_id=${projectId}`);
      await shot(admin, 'audit-1440');
      await expectAccessible(admin, 'audit');
    },
    120_000,
  );

  it.skipIf(skip)(
    'erases a data row after typing its global key; SQL finds nothing of it, the audit the erasure',
    async () => {
      const row = await ctx.store.db
        .selectFrom('data_rows')
        .where('global_key', '=', 'chat-05')
        .select(['id', 'row_data'])
        .executeTakeFirstOrThrow();
      await admin.goto(`/console/projects/${projectId}/rows`);
      await admin.getByRole('link', { name: 'chat-05' }).click();
      await admin.getByRole('heading', { name: 'Labels (2)' }).waitFor();
      const form = admin.getByRole('form', { name: 'Erase data row' });
      await form.getByText('it cannot be undone').waitFor();
      const erase = form.getByRole('button', { name: 'Erase data row' });
      const confirm = form.getByLabel(/Type the row's global key/);
      await confirm.fill('chat-5');
      expect(await erase.isDisabled()).toBe(true);
      await confirm.fill('chat-05');
      await form.scrollIntoViewIfNeeded();
      await shot(admin, 'row-erase-1440');
      await expectAccessible(admin, 'row detail');
      await erase.click();
      await admin.getByText('was erased').waitFor();

      const db = ctx.store.db;
      expect(await db.selectFrom('data_rows').where('id', '=', row.id).select('id').execute()).toEqual([]);
      expect(await db.selectFrom('labels').where('data_row_id', '=', row.id).select('id').execute()).toEqual(
        [],
      );
      expect(
        await db
          .selectFrom('trash_rows')
          .selectAll()
          .execute()
          .then((r) => JSON.stringify(r)),
      ).not.toContain('Question number 5:');
      const erasure = await db.selectFrom('erasures').where('target_id', '=', row.id).selectAll().execute();
      expect(erasure).toHaveLength(1);
      // The row's entries (lease renewals while it was labeled too) hold none of its content.
      const entries = await db.selectFrom('audit_log').where('target_id', '=', row.id).selectAll().execute();
      const audit = entries.filter((a) => a.action === 'delete_data_rows_dataRowId');
      expect(audit.map((a) => [a.action, a.status])).toEqual([['delete_data_rows_dataRowId', 200]]);
      expect(audit[0]!.summary).toContain('erased at once');
      expect(JSON.stringify(entries)).not.toContain('Question number 5:');
      expect(JSON.stringify(entries)).not.toContain('chat-05');

      await admin.getByRole('link', { name: 'Audit log' }).click();
      await admin.getByLabel('Target id').fill(row.id);
      await admin.getByRole('button', { name: 'Filter' }).click();
      const entry = admin.getByRole('row', { name: /delete_data_rows_dataRowId/ });
      await entry.getByText('erased', { exact: true }).waitFor();
      expect(await entry.getByRole('button', { name: 'Restore' }).count()).toBe(0);
      await shot(admin, 'audit-erasure-1440');
    },
    120_000,
  );
});
