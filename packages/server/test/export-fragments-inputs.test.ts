/**
 * Export fragments (exports/v2/fragments.ts) hold more than their rows' own data: the emails of the
 * people who wrote labels, reviews and history, the consensus count of the row's batch or project,
 * and the task names of the history entries. A change to any of them, even one made straight in
 * the database, leaves no stale text: the export equals a fresh render (migration 0013's triggers,
 * 0004's for history). Also: the fragment writer's lock order on PostgreSQL, and that an
 * unexpected error while rendering is logged with its row.
 */
import { sql } from 'kysely';
import { expect, it, vi } from 'vitest';
import { loadExportContext } from '../src/exports/v2/export-context.ts';
import {
  FRAGMENT_PARAMS,
  type FragmentErrorLog,
  renderFragments,
  renderRows,
} from '../src/exports/v2/fragments.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { newId } from '../src/shared/ids.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import { describeBackends } from './support/backends.ts';
import { expectFresh, expectNothingStale, storedFragments } from './support/fragments.ts';
import { answers, colleague, setConsensusLabels, workflowProject } from './workflow-helpers.ts';

describeBackends('export fragments and their fixed inputs', (ctx) => {
  /** A project of `rows` rows, the first labeled by `labeler` and reviewed by a reviewer. */
  async function labeled(rows = 2) {
    const p = await workflowProject(ctx.store, rows);
    const labeler = await colleague(ctx.store, p.owner, 'labeler');
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    const row = await nextRow(ctx.store, labeler, { projectId: p.projectId });
    const label = await submitLabel(ctx.store, labeler, {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: newId(),
      classifications: answers(),
      secondsToCreate: 4,
    });
    await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: label.labelId,
      decision: 'approve',
      secondsToReview: 1,
    });
    await expectFresh(ctx.store, p.owner, p.projectId);
    return { ...p, labeler, reviewer, rowId: row!.dataRowId, labelId: label.labelId };
  }

  const lineOf = (lines: string[], rowId: string, projectId: string) =>
    JSON.parse(lines.find((l) => l.includes(rowId))!).projects[projectId];

  it("a user's new email: labels, reviews and history name it", async () => {
    const p = await labeled();
    const email = (who: Actor) => `renamed-${who.userId}@example.com`;
    for (const who of [p.labeler, p.reviewer]) {
      await ctx.store.db
        .updateTable('users')
        .set({ email: email(who), email_lower: email(who) })
        .where('id', '=', who.userId)
        .execute();
    }
    const line = lineOf(await expectNothingStale(ctx.store, p.owner, p.projectId), p.rowId, p.projectId);
    expect(line.labels[0].label_details.created_by).toBe(email(p.labeler));
    expect(line.labels[0].label_details.reviews[0].created_by).toBe(email(p.reviewer));
    expect(line.project_details.workflow_history[0].created_by).toBe(email(p.reviewer));
  });

  it("the project's consensus count: through the write path the fragments are rendered again", async () => {
    const p = await labeled();
    await setConsensusLabels(ctx.store, p.projectId, 2);
    // Every row rendered again, none left NULL, each equal to a fresh render.
    await expectFresh(ctx.store, p.owner, p.projectId);
    const line = lineOf(await expectNothingStale(ctx.store, p.owner, p.projectId), p.rowId, p.projectId);
    expect(line.labels[0].performance_details).toHaveProperty('consensus_score');
  });

  it("the project's and the batch's consensus counts changed in the database", async () => {
    const p = await labeled();
    await ctx.store.db
      .updateTable('projects')
      .set({ consensus_expected_label_count: 3 })
      .where('id', '=', p.projectId)
      .execute();
    let line = lineOf(await expectNothingStale(ctx.store, p.owner, p.projectId), p.rowId, p.projectId);
    expect(line.labels[0].performance_details).toHaveProperty('consensus_score');
    expect(line.project_details.consensus_expected_label_count).toBe(3);
    // Rendered again, then the batch's own count (which overrides the project's) goes back to 1.
    await setConsensusLabels(ctx.store, p.projectId, 3);
    await ctx.store.db
      .updateTable('batches')
      .set({ consensus_label_count: 1 })
      .where('project_id', '=', p.projectId)
      .execute();
    line = lineOf(await expectNothingStale(ctx.store, p.owner, p.projectId), p.rowId, p.projectId);
    expect(line.labels[0].performance_details).not.toHaveProperty('consensus_score');
  });

  it("task names: a renamed task and a history entry's name", async () => {
    const p = await labeled();
    await ctx.store.db
      .updateTable('workflow_tasks')
      .set({ name: 'Checked' })
      .where('project_id', '=', p.projectId)
      .where('kind', '=', 'DONE')
      .execute();
    await ctx.store.db
      .updateTable('workflow_history')
      .set({ next_task_name: 'Checked' })
      .where('project_id', '=', p.projectId)
      .where('next_task_name', '=', 'Done')
      .execute();
    const line = lineOf(await expectNothingStale(ctx.store, p.owner, p.projectId), p.rowId, p.projectId);
    expect(line.project_details.task_name).toBe('Checked');
    expect(line.project_details.workflow_history[0].next_task_name).toBe('Checked');
  });

  it('logs an unexpected error while rendering, with the row, and leaves that fragment NULL', async () => {
    const p = await labeled();
    const [row] = (await storedFragments(ctx.store, p.projectId)).filter((r) => r.data_row_id === p.rowId);
    const exportCtx = await loadExportContext(ctx.store.db, p.owner, p.projectId, FRAGMENT_PARAMS);
    const logged: Parameters<FragmentErrorLog>[0][] = [];
    const log: FragmentErrorLog = (entry) => logged.push(entry);
    const { x_head: _h, x_media: _m, ...source } = row!;
    const fine = await renderRows(exportCtx, [source], log);
    expect(logged).toEqual([]);
    expect(fine[0]![1].x_media).toBe(row!.x_media);
    // A value JSON.stringify cannot write: a TypeError, not an AppError.
    const broken = await renderRows(exportCtx, [{ ...source, mime_type: 1n as unknown as string }], log);
    expect(broken[0]![1].x_media).toBeNull();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ dataRowId: p.rowId, fragment: 'x_media' });
    expect(logged[0]!.error).toBeInstanceOf(TypeError);
  });

  it('PostgreSQL: a write to a source waits for the fragment writer that locked the row', async () => {
    if (ctx.backend !== 'postgres') return;
    const p = await labeled();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const writer = ctx.store.write(async (tx) => {
      await renderFragments(tx, p.projectId, [p.rowId]);
      locked();
      await released;
    });
    await isLocked;
    // A label changed meanwhile: its trigger clears the row's x_labels, so it waits for the lock.
    const change = ctx.store.db
      .updateTable('labels')
      .set({ seconds_to_create: 99 })
      .where('id', '=', p.labelId)
      .execute();
    await vi.waitFor(
      async () => {
        const waiting = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and query like 'update "labels"%'`.execute(
          ctx.store.db,
        );
        expect(waiting.rows[0]!.n).toBe(1);
      },
      { timeout: 10_000, interval: 50 },
    );
    release();
    await writer;
    await change;
    const line = lineOf(await expectNothingStale(ctx.store, p.owner, p.projectId), p.rowId, p.projectId);
    expect(line.labels[0].performance_details.seconds_to_create).toBe(99);
  });
});
