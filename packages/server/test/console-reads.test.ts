/**
 * The manager's reads through the SDK against a running server, on SQLite and PostgreSQL: the
 * project overview (status series rebuilt from history, labels per labeler per day, rates), the
 * data row browser's filters, and the project's export task list.
 */
import { AuthorizationError, Client, ValidationError } from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startExport } from '../src/exports/tasks/export-start.service.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { dayWindow } from '../src/projects/overview.service.ts';
import { describeBackends } from './support/backends.ts';
import { answers } from './workflow-helpers.ts';
import { type Member, team } from './workflow-http-helpers.ts';

describeBackends('manager console reads', (ctx) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });
  const projectAs = (m: Member, id: string) =>
    new Client({ endpoint: server.url, apiKey: m.key }).getProject(id);

  it('counts rows per status over the days, labels per labeler, and the rates', async () => {
    const t = await team(ctx.store, 4);
    const lab = await projectAs(t.labeler, t.projectId);
    const lab2 = await projectAs(t.labeler2, t.projectId);
    const rev = await projectAs(t.reviewer, t.projectId);
    const labelIds: string[] = [];
    for (const [p, seconds] of [
      [lab, 10],
      [lab, 30],
      [lab2, 20],
    ] as const) {
      const row = await p.nextRow();
      labelIds.push(
        (
          await p.submitLabel({
            dataRowId: row!.dataRowId,
            classifications: answers(),
            secondsToCreate: seconds,
          })
        ).labelId,
      );
    }
    const skipped = await lab2.nextRow();
    await lab2.skipRow({ dataRowId: skipped!.dataRowId, secondsToCreate: 2 });
    await rev.approveLabel(labelIds[0]!, { secondsToReview: 3 });
    await rev.rejectLabel(labelIds[1]!, { reason: 'no', secondsToReview: 3 });

    const manager = await projectAs(t.manager, t.projectId);
    const o = await manager.overview({ days: 3, timezone: 'Europe/Paris' });
    const queue = await manager.queueStats();
    expect(o.days).toHaveLength(3);
    expect(o.counts).toEqual(queue.counts);
    expect(o.rowsTotal).toBe(4);
    // The last point is now; the rows all arrived today, so the days before hold nothing.
    expect(o.series.at(-1)).toEqual({ day: o.days.at(-1), ...queue.counts });
    expect(o.series[0]).toEqual({ day: o.days[0], TO_LABEL: 0, IN_REVIEW: 0, IN_REWORK: 0, DONE: 0 });
    expect(o.labelers.map((l) => [l.email, l.labels, l.skips, l.total, l.medianSecondsToCreate])).toEqual([
      [t.labeler.actor.email, [0, 0, 2], 0, 2, 20],
      [t.labeler2.actor.email, [0, 0, 1], 1, 1, 20],
    ]);
    expect([o.labels, o.skips, o.reviews, o.rejections]).toEqual([3, 1, 2, 1]);
    expect(o.medianSecondsToCreate).toBe(20);
    expect(o.skipRate).toBe(0.25);
    expect(o.reviewRejectionRate).toBe(0.5);

    // Labelers and reviewers may not read it; bad zones and day counts name the field.
    await expect(lab.overview()).rejects.toBeInstanceOf(AuthorizationError);
    await expect(rev.dataRows().next()).rejects.toBeInstanceOf(AuthorizationError);
    await expect(manager.overview({ timezone: 'Mars/Olympus' })).rejects.toThrow(/unknown timezone/);
    await expect(manager.overview({ days: 91 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('rebuilds past days from the workflow history', async () => {
    const t = await team(ctx.store, 2);
    const lab = await projectAs(t.labeler, t.projectId);
    const row = await lab.nextRow();
    await lab.submitLabel({ dataRowId: row!.dataRowId, classifications: answers(), secondsToCreate: 5 });
    // Everything happened two days ago: rows arrived, one was labeled into review.
    const shift = 2 * 86_400_000;
    for (const table of ['project_data_rows'] as const)
      await ctx.store.db
        .updateTable(table)
        .set((e) => ({ added_at: e('added_at', '-', shift) }))
        .where('project_id', '=', t.projectId)
        .execute();
    await ctx.store.db
      .updateTable('workflow_history')
      .set((e) => ({ created_at: e('created_at', '-', shift) }))
      .where('project_id', '=', t.projectId)
      .execute();
    await ctx.store.db
      .updateTable('labels')
      .set((e) => ({ created_at: e('created_at', '-', shift) }))
      .where('project_id', '=', t.projectId)
      .execute();
    const o = await (await projectAs(t.manager, t.projectId)).overview({ days: 4 });
    expect(o.series.map((s) => [s.TO_LABEL, s.IN_REVIEW])).toEqual([
      [0, 0],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(o.labelers[0]!.labels).toEqual([0, 1, 0, 0]);
  });

  it('browses rows by global key, status, batch and labeler', async () => {
    const t = await team(ctx.store, 3);
    const lab = await projectAs(t.labeler, t.projectId);
    const row = await lab.nextRow();
    await lab.submitLabel({ dataRowId: row!.dataRowId, classifications: answers(), secondsToCreate: 5 });
    const manager = await projectAs(t.manager, t.projectId);
    const all = [];
    for await (const r of manager.dataRows({ pageSize: 2 })) all.push(r);
    expect(all.map((r) => r.dataRowId)).toEqual([...t.rowIds].sort());
    const labeled = all.find((r) => r.dataRowId === row!.dataRowId)!;
    expect(labeled).toMatchObject({
      workflowStatus: 'IN_REVIEW',
      labelCount: 1,
      labelers: [t.labeler.actor.email],
    });
    const list = async (f: Parameters<typeof manager.dataRows>[0]) => {
      const out = [];
      for await (const r of manager.dataRows(f)) out.push(r.dataRowId);
      return out;
    };
    expect(await list({ status: 'IN_REVIEW' })).toEqual([row!.dataRowId]);
    expect(await list({ labeler: t.labeler.actor.email.toUpperCase() })).toEqual([row!.dataRowId]);
    expect(await list({ labeler: t.labeler2.actor.email })).toEqual([]);
    expect(await list({ batchId: labeled.batchId })).toHaveLength(3);
    expect(await list({ batchId: 'nope' })).toEqual([]);
    const key = labeled.globalKey!;
    expect(await list({ globalKey: key.slice(1, -1).toUpperCase() })).toContain(row!.dataRowId);
    // LIKE's wildcards typed in a search mean themselves.
    expect(await list({ globalKey: '%' })).toEqual([]);
    expect(await list({ globalKey: '_' })).toEqual(
      all.filter((r) => r.globalKey?.includes('_')).map((r) => r.dataRowId),
    );
  });

  it("lists the project's export tasks newest first", async () => {
    const t = await team(ctx.store, 1);
    const first = await startExport(ctx.store, t.admin.actor, { projectId: t.projectId });
    const second = await startExport(ctx.store, t.admin.actor, { projectId: t.projectId });
    const manager = await projectAs(t.manager, t.projectId);
    const ids = [];
    for await (const task of manager.exportTasks({ pageSize: 1 })) ids.push(task.id);
    expect(ids).toEqual([second.id, first.id]);
    const other = await team(ctx.store, 1);
    const outsider = await projectAs(other.manager, other.projectId);
    const theirs = [];
    for await (const task of outsider.exportTasks()) theirs.push(task.id);
    expect(theirs).toEqual([]);
  });

  it('counts days in the zone asked for', () => {
    const now = Date.parse('2026-03-29T12:00:00Z');
    const { days, starts } = dayWindow(now, 2, 'Europe/Paris');
    expect(days).toEqual(['2026-03-28', '2026-03-29']);
    expect(starts).toEqual([Date.parse('2026-03-27T23:00:00Z'), Date.parse('2026-03-28T23:00:00Z')]);
  });
});
