/**
 * The editor's prefetch, in a real Chromium against a real server on SQLite and PostgreSQL: the
 * row after the one on screen is leased ahead while the labeler works, and after a submit it is
 * on screen without a queue request in between; the labeled rows are distinct and stored as
 * answered. A row ahead whose lease was lost meanwhile is replaced by the queue's next row.
 */
import { Client } from '@prefer/sdk';
import { createApiKey, localActor } from '@prefer/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { type AppServer, startAppServer } from './support/app-server.ts';
import { browserSkipReason, launchBrowser } from './support/browser.ts';
import { shownOrder, signedInPage } from './support/pages.ts';

const skip = browserSkipReason();

interface QueueCall {
  seq: number;
  ahead: boolean;
  /** The data row answered (null for 204), once the answer arrived. */
  answered?: string | null;
}

describeBackends('web app: the next row is prefetched', (ctx) => {
  let browser: Browser;
  let app: AppServer;
  let api: Client;
  /** The API key's user, who takes the row ahead from the labeler. */
  let other: string;
  let labeler: Page;
  // Every request the page sends, in order; the queue's with what they asked and answered.
  let seq = 0;
  const sent: { seq: number; method: string; path: string }[] = [];
  const queue: QueueCall[] = [];

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer(ctx.store, ctx.dir);
    browser = await launchBrowser();
    const actor = await localActor(ctx.store);
    other = actor.email;
    const { key } = await createApiKey(ctx.store, actor, { name: 'test' });
    api = new Client({ endpoint: app.url, apiKey: key });
    labeler = await signedInPage(browser, app.url, app.users.labeler);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const labelsOf = async (email: string) => {
    const project = await api.getProject(app.projectId);
    const out = [];
    for await (const l of project.labels({ createdBy: email })) out.push(l);
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  };
  /** The answer of the queue's latest ahead request, once it arrived. */
  const aheadAnswer = async (): Promise<string | null> => {
    await expect.poll(() => queue.filter((q) => q.ahead).at(-1)?.answered, { timeout: 15_000 }).toBeDefined();
    return queue.filter((q) => q.ahead).at(-1)!.answered!;
  };

  it.skipIf(skip)(
    'shows the row leased ahead right after a submit, with no queue request between',
    async () => {
      labeler.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        sent.push({ seq: ++seq, method: r.method(), path });
        if (r.method() === 'POST' && path.endsWith('/queue/next')) {
          const body = (r.postDataJSON() ?? {}) as { ahead?: boolean };
          const call: QueueCall = { seq, ahead: body.ahead === true };
          queue.push(call);
          void r
            .response()
            .then(async (res) => {
              call.answered =
                res?.status() === 200
                  ? ((await res.json()) as { data_row: { id: string } }).data_row.id
                  : null;
            })
            .catch(() => {});
        }
      });
      await labeler.goto(`/projects/${app.projectId}/label`);

      const rows = 4;
      const orders: string[][] = [];
      const prefetched: string[] = [];
      for (let i = 0; i < rows; i++) {
        await labeler.getByRole('region', { name: 'Response A' }).waitFor();
        orders.push(await shownOrder(labeler));
        // The row after this one is leased ahead in the background while the labeler works.
        prefetched.push((await aheadAnswer()) ?? 'none');
        await labeler.keyboard.press(i % 2 === 0 ? '1' : '2');
        await labeler.keyboard.press('Tab');
        await labeler.keyboard.type(`reason ${i}`);
        await labeler.waitForTimeout(60);
        const before = seq;
        await labeler.keyboard.press('Control+Enter');
        await labeler.getByText(`${i + 1} done this session`).waitFor();
        await labeler.getByRole('region', { name: 'Response A' }).waitFor();
        const after = sent.filter((s) => s.seq > before);
        // The submit went out; no plain queue request did: the next row was already here. (The
        // requests that may follow are the next prefetch and a check of the shown row's lease.)
        expect(after.some((s) => s.method === 'POST' && s.path.endsWith('/labels'))).toBe(true);
        expect(queue.filter((q) => q.seq > before && !q.ahead)).toEqual([]);
      }
      // One plain queue request in all: the first row. Every other row came from a prefetch.
      expect(queue.filter((q) => !q.ahead)).toHaveLength(1);

      const labels = await labelsOf(app.users.labeler);
      expect(labels).toHaveLength(rows);
      const ids = labels.map((l) => l.dataRowId);
      expect(new Set(ids).size).toBe(rows);
      // Row k+1 is the row leased ahead while row k was on screen.
      expect(ids.slice(1)).toEqual(prefetched.slice(0, rows - 1));
      for (const [i, l] of labels.entries()) {
        expect(l.workflowStatus).toBe('IN_REVIEW');
        expect(l.secondsToCreate).toBeGreaterThan(0);
        expect(l.displayedOrder).toEqual(orders[i]);
        const chosen = l.annotations.classifications.find(
          (c) => (c as { name: string }).name === 'Choose the best response',
        ) as { radio_answer: { name: string } };
        expect(chosen.radio_answer.name).toBe(orders[i]![i % 2 === 0 ? 0 : 1]);
        const reason = l.annotations.classifications.find(
          (c) => (c as { name: string }).name === 'Provide a reason for your choice',
        ) as { text_answer: { content: string } };
        expect(reason.text_answer.content).toBe(`reason ${i}`);
      }
      // The labeler holds two leases: the row on screen and the one ahead of it.
      const held = await ctx.store.db
        .selectFrom('project_data_rows')
        .innerJoin('users', 'users.id', 'project_data_rows.lease_user_id')
        .where('users.email', '=', app.users.labeler)
        .select(['data_row_id', 'lease_ahead'])
        .orderBy('lease_ahead')
        .execute();
      expect(held.map((h) => h.lease_ahead)).toEqual([0, 1]);
      expect(held[1]!.data_row_id).toBe(await aheadAnswer());
    },
    90_000,
  );

  it.skipIf(skip)(
    'replaces a row ahead whose lease was lost meanwhile with the queue’s next row',
    async () => {
      const lost = await aheadAnswer();
      expect(lost).not.toBeNull();
      // The row ahead's lease runs out and another labeler takes it.
      await ctx.store.db
        .updateTable('project_data_rows')
        .set({ lease_expires_at: Date.now() - 1 })
        .where('project_id', '=', app.projectId)
        .where('data_row_id', '=', lost!)
        .execute();
      const admin = await api.getProject(app.projectId);
      expect((await admin.nextRow())?.dataRowId).toBe(lost);

      const done = (await labelsOf(app.users.labeler)).length;
      await labeler.keyboard.press('1');
      await labeler.keyboard.press('Control+Enter');
      // The notice comes with the replacement row.
      await labeler.getByText('That row went to someone else; here is the next one').waitFor();
      await labeler.getByRole('region', { name: 'Response A' }).waitFor();
      // No "lease lost" warning over the replacement: it is the labeler's to label.
      expect(await labeler.getByText(/hold on this row has expired/).count()).toBe(0);
      await labeler.keyboard.press('2');
      await labeler.keyboard.press('Control+Enter');
      await labeler.getByText(`${done + 2} done this session`).waitFor();
      const labels = await labelsOf(app.users.labeler);
      expect(labels).toHaveLength(done + 2);
      expect(labels.map((l) => l.dataRowId)).not.toContain(lost);
      expect(new Set(labels.map((l) => l.dataRowId)).size).toBe(labels.length);
      // The other labeler still holds the row they took.
      const row = await ctx.store.db
        .selectFrom('project_data_rows')
        .innerJoin('users', 'users.id', 'project_data_rows.lease_user_id')
        .where('project_data_rows.data_row_id', '=', lost!)
        .where('project_data_rows.project_id', '=', app.projectId)
        .select('users.email')
        .executeTakeFirstOrThrow();
      expect(row.email).toBe(other);
    },
    90_000,
  );
});
