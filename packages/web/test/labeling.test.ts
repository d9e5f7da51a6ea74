/**
 * The annotator's app in a real Chromium against a real server, on SQLite and PostgreSQL: a
 * labeler labels rows by keyboard only, a draft survives a reload, a submit whose answer is lost
 * makes one label, a reviewer approves and rejects, the labeler reworks, and a full export holds
 * it all. Screenshots of every screen land in test-results/web/.
 */
import { Client } from '@prefer/sdk';
import { createApiKey, localActor } from '@prefer/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { displayedOrder } from '../src/editor/order.ts';
import { type AppServer, startAppServer } from './support/app-server.ts';
import { browserSkipReason, expectAccessible, launchBrowser, screenshot } from './support/browser.ts';
import { demoLink, shownOrder, signedInPage } from './support/pages.ts';

const skip = browserSkipReason();

describeBackends('web app', (ctx) => {
  let browser: Browser;
  let app: AppServer;
  let api: Client;
  let labeler: Page;
  const shot = (page: Page, name: string) => screenshot(page, `${ctx.backend}-${name}`);

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer(ctx.store, ctx.dir);
    browser = await launchBrowser();
    const actor = await localActor(ctx.store);
    const { key } = await createApiKey(ctx.store, actor, { name: 'test' });
    api = new Client({ endpoint: app.url, apiKey: key });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const labelsOf = async (email: string) => {
    const project = await api.getProject(app.projectId);
    const out = [];
    for await (const l of project.labels({ createdBy: email })) out.push(l);
    return out;
  };

  it.skipIf(skip)('signs in, lists the project, and labels 5 rows by keyboard only', async () => {
    const signIn = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await signIn.goto(app.url);
    await signIn.getByLabel('Email').waitFor();
    await shot(signIn, 'sign-in-1440');
    await expectAccessible(signIn, 'sign in');
    await signIn.getByLabel('Email').fill(app.users.labeler);
    await signIn.getByLabel('Password').fill('wrong password, clearly');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByText('The email or the password is wrong.').waitFor();
    await signIn.close();

    labeler = await signedInPage(browser, app.url, app.users.labeler, undefined, { form: true });
    await demoLink(labeler, 'Start labeling').waitFor();
    await shot(labeler, 'home-1440');
    await expectAccessible(labeler, 'home');
    await demoLink(labeler, 'Start labeling').focus();
    await labeler.keyboard.press('Enter');

    const orders: string[][] = [];
    for (let i = 0; i < 5; i++) {
      await labeler.getByRole('region', { name: 'Response A' }).waitFor();
      await labeler.getByRole('region', { name: 'Response B' }).waitFor();
      orders.push(await shownOrder(labeler));
      if (i === 0) {
        await shot(labeler, 'editor-1440');
        await expectAccessible(labeler, 'editor');
      }
      await labeler.keyboard.press(i % 2 === 0 ? '1' : '2');
      await labeler.keyboard.press('q');
      await labeler.keyboard.press('w');
      await labeler.keyboard.press('Tab');
      await labeler.keyboard.type(`reason ${i}`);
      await labeler.waitForTimeout(120);
      await labeler.keyboard.press('Control+Enter');
      await labeler.getByText(`${i + 1} done this session`).waitFor();
    }
    const labels = await labelsOf(app.users.labeler);
    expect(labels).toHaveLength(5);
    for (const [i, l] of labels.entries()) {
      expect(l.secondsToCreate).toBeGreaterThan(0);
      const names = l.annotations.classifications.map((c) => (c as { name: string }).name);
      expect(names).toEqual([
        'Choose the best response',
        'Provide a reason for your choice',
        'Evaluations done',
      ]);
      const chosen = (l.annotations.classifications[0] as { radio_answer: { name: string } }).radio_answer
        .name;
      // Key 1 is the left column: the stored choice is the title shown there.
      expect(chosen).toBe(orders[i]![i % 2 === 0 ? 0 : 1]);
    }
    // Each label keeps the side order its labeler saw.
    expect(labels.map((l) => l.displayedOrder)).toEqual(orders);
    // The order is drawn per (labeler, row): over the project's rows both orders occur.
    let labelerId = '';
    for await (const u of api.getUsers()) if (u.email === app.users.labeler) labelerId = u.id;
    const rowIds: string[] = [];
    for await (const row of (await api.getDataset(app.datasetId)).dataRows()) rowIds.push(row.id);
    const drawn = new Set(
      rowIds.map((id) => displayedOrder(['Response A', 'Response B'], labelerId, id).join('|')),
    );
    expect(drawn.size).toBe(2);
  });

  it.skipIf(skip)('brings a draft back after a reload', async () => {
    await labeler.getByRole('region', { name: 'Response A' }).waitFor();
    const before = await shownOrder(labeler);
    await labeler.keyboard.press('2');
    await labeler.keyboard.press('e');
    await labeler.keyboard.press('Tab');
    await labeler.keyboard.type('half-written reason');
    await labeler.waitForTimeout(50);
    await labeler.reload();
    await labeler.getByRole('region', { name: 'Response A' }).waitFor();
    expect(await shownOrder(labeler)).toEqual(before);
    expect(await labeler.getByRole('radio', { name: before[1]! }).isChecked()).toBe(true);
    expect(await labeler.getByRole('checkbox', { name: 'Toxicity' }).isChecked()).toBe(true);
    expect(
      await labeler.getByRole('textbox', { name: 'Provide a reason for your choice' }).inputValue(),
    ).toBe('half-written reason');
  });

  it.skipIf(skip)('stores one label when the answer to a submit is lost and the app retries', async () => {
    let cut = 0;
    await labeler.route('**/api/v1/projects/*/labels', async (route) => {
      if (route.request().method() === 'POST' && cut === 0) {
        cut++;
        // The server stores the label; its answer never reaches the page.
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    const rowsBefore = (await labelsOf(app.users.labeler)).length;
    await labeler.keyboard.press('Control+Enter');
    await labeler.getByText('Offline, will retry').waitFor();
    await shot(labeler, 'editor-offline-1440');
    // The session counter started again at the reload of the previous test.
    await labeler.getByText('1 done this session').waitFor({ timeout: 15_000 });
    await labeler.unroute('**/api/v1/projects/*/labels');
    expect(cut).toBe(1);
    const labels = await labelsOf(app.users.labeler);
    expect(labels).toHaveLength(rowsBefore + 1);
    expect(new Set(labels.map((l) => l.dataRowId)).size).toBe(labels.length);
  });

  it.skipIf(skip)('a reviewer approves 3 and rejects 1 with a reason; the labeler reworks it', async () => {
    const reviewer = await signedInPage(browser, app.url, app.users.reviewer);
    await demoLink(reviewer, 'Review').click();
    for (let i = 0; i < 3; i++) {
      await reviewer.getByRole('button', { name: 'Approve' }).waitFor();
      if (i === 0) {
        await shot(reviewer, 'review-1440');
        await expectAccessible(reviewer, 'review');
      }
      await reviewer.keyboard.press('a');
      await reviewer.getByText(`${i + 1} reviewed this session`).waitFor();
    }
    await reviewer.getByRole('button', { name: 'Reject' }).waitFor();
    await reviewer.keyboard.press('r');
    await reviewer
      .getByRole('textbox', { name: 'Reason (the labeler sees it)' })
      .fill('The reason does not say why.');
    await shot(reviewer, 'review-reject-1440');
    await reviewer.keyboard.press('Control+Enter');
    await reviewer.getByText('4 reviewed this session').waitFor();
    await reviewer.context().close();

    const statuses = (await labelsOf(app.users.labeler)).map((l) => l.workflowStatus);
    expect(statuses.filter((s) => s === 'DONE')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'IN_REWORK')).toHaveLength(1);

    await labeler.goto(`/projects/${app.projectId}/rework`);
    await labeler.getByText('The reason does not say why.').waitFor();
    await shot(labeler, 'rework-list-1440');
    await expectAccessible(labeler, 'rework list');
    await labeler.getByRole('link', { name: 'Rework' }).last().click();
    await labeler.getByRole('region', { name: 'Response A' }).waitFor();
    await shot(labeler, 'rework-editor-1440');
    const reason = labeler.getByRole('textbox', { name: 'Provide a reason for your choice' });
    await reason.focus();
    await labeler.keyboard.press('Control+A');
    await labeler.keyboard.type('Reworked: A answers the question, B does not.');
    await labeler.keyboard.press('Control+Enter');
    await labeler.getByText('Nothing to rework').waitFor();
    const reworked = (await labelsOf(app.users.labeler)).filter((l) =>
      l.reviews.some((r) => r.decision === 'reject'),
    );
    expect(reworked).toHaveLength(1);
    expect(reworked[0]!.workflowStatus).toBe('IN_REVIEW');
    const text = reworked[0]!.annotations.classifications.find(
      (c) => (c as { name: string }).name === 'Provide a reason for your choice',
    ) as { text_answer: { content: string } };
    expect(text.text_answer.content).toBe('Reworked: A answers the question, B does not.');
    // A plain labeler: the row came with the rework list, reading it directly is refused.
    const direct = await labeler.request.get(`${app.url}/api/v1/data-rows/${reworked[0]!.dataRowId}`);
    expect(direct.status()).toBe(403);
  });

  it.skipIf(skip)('exports every label, review and history entry afterwards', async () => {
    const project = await api.getProject(app.projectId);
    const task = await project.exportV2({
      params: { label_details: true, performance_details: true, project_details: true },
    });
    await task.waitTillDone();
    const rows = (await task.result()) as unknown as {
      projects: Record<string, { labels: { id: string }[] }>;
    }[];
    const exported = rows.flatMap((r) => r.projects[app.projectId]?.labels ?? []);
    const stored = await labelsOf(app.users.labeler);
    expect(exported.map((l) => l.id).sort()).toEqual(expect.arrayContaining(stored.map((l) => l.id).sort()));
    const text = JSON.stringify(rows);
    const count = (needle: string) => text.split(needle).length - 1;
    // Every review (3 approvals, 1 rejection) and the history of each decision, and the reworked answer.
    const reviews = rows.flatMap((r) =>
      (r.projects[app.projectId]?.labels ?? []).flatMap(
        (l) => (l as unknown as { label_details: { reviews: unknown[] } }).label_details.reviews,
      ),
    );
    expect(reviews).toHaveLength(4);
    expect(count('"action":"Approve"')).toBe(3);
    expect(count('"action":"Reject"')).toBe(1);
    expect(text.includes('Reworked: A answers the question')).toBe(true);
  });

  it.skipIf(skip)('shows every screen at 390x844 too', async () => {
    const phone = await signedInPage(browser, app.url, app.users.labeler, { width: 390, height: 844 });
    await demoLink(phone, 'Start labeling').waitFor();
    await shot(phone, 'home-390');
    await demoLink(phone, 'Start labeling').click();
    await phone.getByRole('region', { name: 'Response A' }).waitFor();
    await shot(phone, 'editor-390');
    await expectAccessible(phone, 'editor 390');
    await phone.goto(`/projects/${app.projectId}/rework`);
    await phone.getByText('Nothing to rework').waitFor();
    await shot(phone, 'rework-list-390');
    await phone.goto('/account');
    await phone.getByRole('button', { name: 'Change password' }).waitFor();
    await shot(phone, 'account-390');
    await phone.context().close();
  });
});
