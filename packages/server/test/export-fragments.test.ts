/**
 * Export fragments (exports/v2/fragments.ts) stay fresh: after every kind of write, each project
 * row's stored fragments (`x_head`, `x_media`, `x_attachments`, `x_metadata`, `x_labels`,
 * `x_history`) equal a render from the tables made now, and the export
 * that splices them is byte for byte the export rendered from the tables alone (fragments
 * cleared). A write that does not re-render leaves NULL (triggers), never stale text.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { flushFragments } from '../src/exports/v2/fragment-refresh.ts';
import { renderFragments, suspendStaleTriggers } from '../src/exports/v2/fragments.ts';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import { importLabels } from '../src/labels/label.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { newId } from '../src/shared/ids.ts';
import type { Store } from '../src/store/store.ts';
import { moveRows } from '../src/workflow/move.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { skipRow, submitLabel } from '../src/workflow/submit.service.ts';
import { fixtureText, ndjson, newOrgActor } from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';
import { collect } from './support/export-fixtures.ts';
import { expectFresh, storedFragments } from './support/fragments.ts';
import { ALL_PARAMS } from './support/seed-params.ts';
import { ndjson as ndjsonLines } from './support/seed-rows.ts';
import { answers, colleague, setConsensusLabels, workflowProject } from './workflow-helpers.ts';

describeBackends('export fragments', (ctx) => {
  let importer: Actor | undefined;
  /**
   * A project of two rows, the first labeled (and its fragments rendered unless `rendered` is
   * false), and a review of its label to insert.
   */
  const labeledRow = async ({ rendered = true } = {}) => {
    const p = await workflowProject(ctx.store, 2);
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    const rowId = p.rowIds[0]!;
    await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const { labelId } = await submitLabel(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: rowId,
      idempotencyKey: newId(),
      classifications: answers(),
      secondsToCreate: 4,
    });
    if (rendered) await flushFragments(ctx.store);
    const review = (at: number) => ({
      id: newId(at),
      org_id: p.owner.orgId,
      project_id: p.projectId,
      label_id: labelId,
      data_row_id: rowId,
      score: 1,
      reason: null,
      created_at: at,
      created_by: reviewer.userId,
    });
    return { p, rowId, labelId, review };
  };
  it('stay fresh through batch add, consensus labels, skip, review, reject, rework, approve and moves', async () => {
    const p = await workflowProject(ctx.store, 3);
    const [rowA, rowB] = p.rowIds as [string, string];
    await expectFresh(ctx.store, p.owner, p.projectId);
    await setConsensusLabels(ctx.store, p.projectId, 2);
    const second = await colleague(ctx.store, p.owner, 'labeler');
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    const label = async (who: Actor, rowId: string, choice: string) => {
      const row = await nextRow(ctx.store, who, { projectId: p.projectId });
      expect(row?.dataRowId).toBe(rowId);
      return submitLabel(ctx.store, who, {
        projectId: p.projectId,
        dataRowId: rowId,
        idempotencyKey: newId(),
        classifications: answers(choice),
        secondsToCreate: 7,
      });
    };
    // The first of two consensus labels: the row stays in the queue (no move renders it).
    const first = await label(p.owner, rowA, 'Response A');
    expect(first.workflowStatus).toBe('TO_LABEL');
    await expectFresh(ctx.store, p.owner, p.projectId);
    // The second: consensus scores on both labels, then the move to review.
    expect((await label(second, rowA, 'Response B')).workflowStatus).toBe('IN_REVIEW');
    await expectFresh(ctx.store, p.owner, p.projectId);
    // A skip counts as a label.
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    expect(row?.dataRowId).toBe(rowB);
    await skipRow(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: rowB,
      idempotencyKey: newId(),
      secondsToCreate: 1,
    });
    await expectFresh(ctx.store, p.owner, p.projectId);
    await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: first.labelId,
      decision: 'reject',
      reason: 'no',
      secondsToReview: 2,
    });
    await expectFresh(ctx.store, p.owner, p.projectId);
    await submitLabel(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: rowA,
      idempotencyKey: newId(),
      classifications: answers('Response B'),
      secondsToCreate: 3,
    });
    await expectFresh(ctx.store, p.owner, p.projectId);
    await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: first.labelId,
      decision: 'approve',
      secondsToReview: 1.5,
    });
    await expectFresh(ctx.store, p.owner, p.projectId);
    await moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: p.rowIds, to: 'REWORK' });
    await expectFresh(ctx.store, p.owner, p.projectId);
    const lines = (await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS })).lines;
    const a = JSON.parse(lines.find((l) => l.includes(rowA))!).projects[p.projectId];
    expect(a.labels).toHaveLength(2);
    expect(a.labels[0].label_details.reviews.map((r: { score: number }) => r.score)).toEqual([-1, 1]);
    expect(a.project_details.workflow_history[0].next_task_name).toBe('Rework');
  });

  it('stay fresh through a label import', async () => {
    const p = await workflowProject(ctx.store, 2);
    const result = await importLabels(ctx.store, p.owner, {
      projectId: p.projectId,
      asEmail: `rater-${newId().slice(-8)}@example.com`,
      input: ndjsonLines(
        p.rowIds.map((id, i) => ({
          uuid: newId(),
          dataRow: { id },
          name: 'Choose the best response',
          answer: { name: i ? 'Tie' : 'Response A' },
        })),
      ),
    });
    expect(result.ok).toBe(true);
    const stored = await storedFragments(ctx.store, p.projectId);
    expect(stored.every((r) => r.x_labels?.includes('"annotations"'))).toBe(true);
    await expectFresh(ctx.store, p.owner, p.projectId);
  });

  it('stay fresh through a label import onto rows with labels, reviews, a later label or a NULL fragment', async () => {
    // PostgreSQL appends the new label's entry to the stored x_labels (LabelFragmentAppender);
    // a row holding a label that sorts after the new one, or a fragment another writer left
    // NULL, is rendered whole. Each row must end as a render from the tables would have it.
    const p = await workflowProject(ctx.store, 4);
    const [reviewed, later, owed] = p.rowIds as [string, string, string, string];
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    expect((await nextRow(ctx.store, p.owner, { projectId: p.projectId }))?.dataRowId).toBe(reviewed);
    const { labelId } = await submitLabel(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: reviewed,
      idempotencyKey: newId(),
      classifications: answers(),
      secondsToCreate: 5,
    });
    await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId,
      decision: 'approve',
      secondsToReview: 1,
    });
    // A label dated a day ahead (a migrated one, or another clock): the import's sorts before it.
    const ahead = Date.now() + 86_400_000;
    await ctx.store.write(async (tx) => {
      await tx
        .insertInto('labels')
        .values({
          id: newId(ahead),
          org_id: p.owner.orgId,
          project_id: p.projectId,
          data_row_id: later,
          created_by: p.owner.userId,
          created_at: ahead,
          updated_at: ahead,
          content_last_updated_at: ahead,
          label_kind: 'Default',
          version: '1.0.0',
          annotations: '{"objects":[],"classifications":[],"relationships":[]}',
          seconds_to_create: null,
          seconds_to_review: null,
          skipped: 0,
          consensus_score: null,
          displayed_order: null,
        })
        .execute();
      await renderFragments(tx, p.projectId, [later]);
    });
    await flushFragments(ctx.store);
    await expectFresh(ctx.store, p.owner, p.projectId);
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ x_history: null })
      .where('project_id', '=', p.projectId)
      .where('data_row_id', '=', owed)
      .execute();

    const result = await importLabels(ctx.store, p.owner, {
      projectId: p.projectId,
      asEmail: `rater-${newId().slice(-8)}@example.com`,
      input: ndjsonLines(
        p.rowIds.map((id) => ({
          uuid: newId(),
          dataRow: { id },
          name: 'Choose the best response',
          answer: { name: 'Tie' },
        })),
      ),
    });
    expect(result.ok ? result.counts.labels : result).toBe(4);
    await expectFresh(ctx.store, p.owner, p.projectId);
    const lines = (await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS })).lines;
    const labelsOf = (rowId: string) =>
      JSON.parse(lines.find((l) => l.includes(rowId))!).projects[p.projectId].labels as {
        label_details: { created_at: string; reviews: unknown[] };
      }[];
    expect(labelsOf(reviewed).map((l) => l.label_details.reviews.length)).toEqual([1, 0]);
    expect(labelsOf(later).at(-1)!.label_details.created_at).toBe(
      new Date(ahead).toISOString().replace('Z', '+00:00'),
    );
  });

  for (const fixture of [
    'migration-consensus.json',
    'migration-metadata-attachments.json',
    'migration-reviews.json',
    'seed-sample-export-row.json',
  ]) {
    it(`stay fresh through a Labelbox migration import (${fixture})`, async () => {
      // One organization for the fixtures: they share users' emails.
      importer ??= await newOrgActor(ctx.store, 'fragments');
      const actor = importer;
      const line = JSON.stringify(JSON.parse(fixtureText(fixture)));
      const imported = await importLabelboxExport(ctx.store, actor, { input: ndjson(line) });
      expect(imported.ok ? 'ok' : imported.errors).toBe('ok');
      const projectId = Object.keys(JSON.parse(line).projects)[0]!;
      await expectFresh(ctx.store, actor, projectId);
    });
  }

  it('a write that does not re-render leaves NULL, and the export renders the row from the tables', async () => {
    const { p, rowId, labelId, review } = await labeledRow({ rendered: false });
    const fragmentsOf = async () =>
      (await storedFragments(ctx.store, p.projectId)).find((r) => r.data_row_id === rowId)!;
    // The submit left its row's labels to the background renderer: NULL until it ran, never stale.
    expect((await fragmentsOf()).x_labels).toBeNull();
    const unrendered = await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS });
    await flushFragments(ctx.store);
    expect((await fragmentsOf()).x_labels).not.toBeNull();
    const before = await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS });
    expect(before).toEqual(unrendered);

    // A review written straight into the table, as a writer that forgot the fragments would.
    await ctx.store.db.insertInto('reviews').values(review(Date.now())).execute();
    expect((await fragmentsOf()).x_labels).toBeNull();
    expect((await fragmentsOf()).x_history).not.toBeNull();
    const after = await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS });
    expect(after.errors).toEqual([]);
    const labelOf = (lines: string[]) =>
      JSON.parse(lines.find((l) => l.includes(rowId))!).projects[p.projectId];
    expect(labelOf(after.lines).labels[0].label_details.reviews).toHaveLength(1);
    expect(labelOf(before.lines).labels[0].label_details.reviews).toHaveLength(0);

    // History and label updates and deletes clear theirs too.
    await ctx.store.db
      .updateTable('workflow_history')
      .set({ action: 'Move' })
      .where('project_id', '=', p.projectId)
      .where('data_row_id', '=', rowId)
      .execute();
    expect((await fragmentsOf()).x_history).toBeNull();
    const other = p.rowIds[1]!;
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ x_labels: 'stale' })
      .where('project_id', '=', p.projectId)
      .where('data_row_id', '=', rowId)
      .execute();
    await ctx.store.db.deleteFrom('reviews').where('label_id', '=', labelId).execute();
    expect((await fragmentsOf()).x_labels).toBeNull();
    expect(
      (await storedFragments(ctx.store, p.projectId)).find((r) => r.data_row_id === other)!.x_labels,
    ).not.toBeNull();

    // The head goes when the data row's content changes, not when its activity moves.
    await ctx.store.db
      .updateTable('data_rows')
      .set({ last_activity_at: Date.now() + 1000 })
      .where('id', '=', rowId)
      .execute();
    expect((await fragmentsOf()).x_head).not.toBeNull();
    await ctx.store.db
      .updateTable('data_rows')
      .set({ row_data: 'https://example.com/changed.json' })
      .where('id', '=', rowId)
      .execute();
    expect((await fragmentsOf()).x_head).toBeNull();
    const changed = await collect(ctx.store, p.owner, p.projectId, { params: {} });
    expect(JSON.parse(changed.lines.find((l) => l.includes(rowId))!).data_row.row_data).toBe(
      'https://example.com/changed.json',
    );
    await ctx.store.db.updateTable('data_rows').set({ message_count: 9 }).where('id', '=', rowId).execute();
    expect((await fragmentsOf()).x_media).toBeNull();
    const counted = await collect(ctx.store, p.owner, p.projectId, { params: {} });
    expect(JSON.parse(counted.lines.find((l) => l.includes(rowId))!).media_attributes.message_count).toBe(9);
  });

  it("a bulk writer's pause of the triggers ends with its transaction; the next write clears again", async () => {
    const { p, rowId, review } = await labeledRow();
    const xLabels = async (db: Pick<Store['db'], 'selectFrom'>) =>
      (
        await db
          .selectFrom('project_data_rows')
          .where('project_id', '=', p.projectId)
          .where('data_row_id', '=', rowId)
          .select('x_labels')
          .executeTakeFirstOrThrow()
      ).x_labels;
    // A bulk writer: on PostgreSQL the trigger steps aside (SQLite's still clears), and the
    // writer renders the row itself before it commits.
    await ctx.store.write(async (tx) => {
      await suspendStaleTriggers(tx);
      await tx.insertInto('reviews').values(review(Date.now())).execute();
      if (ctx.store.backend === 'postgres') expect(await xLabels(tx)).not.toBeNull();
      else expect(await xLabels(tx)).toBeNull();
      await renderFragments(tx, p.projectId, [rowId]);
    });
    await expectFresh(ctx.store, p.owner, p.projectId);
    // Any later write, on whichever pooled connection, runs the triggers again.
    for (let i = 0; i < 3; i++) {
      await ctx.store.write(async (tx) => {
        await tx
          .insertInto('reviews')
          .values(review(Date.now() + i + 1))
          .execute();
      });
      expect(await xLabels(ctx.store.db)).toBeNull();
      await ctx.store.write((tx) => renderFragments(tx, p.projectId, [rowId]));
    }
    await expectFresh(ctx.store, p.owner, p.projectId);
  });

  it('a transaction writes its project row once for its fragments, and every later write makes a new version', async () => {
    const { p, rowId, labelId, review: reviewAt } = await labeledRow();
    let at = Date.now();
    const review = () => reviewAt(++at);
    const postgres = ctx.store.backend === 'postgres';
    // Rows written so far, triggers included: this transaction's updates of project rows on
    // PostgreSQL, every insert, update and delete of the connection on SQLite.
    const written = async (tx: Pick<Store['db'], 'selectFrom'>) =>
      Number(
        (postgres
          ? await sql<{
              n: string;
            }>`select n_tup_upd as n from pg_stat_xact_user_tables where relname = 'project_data_rows'`.execute(
              tx as Store['db'],
            )
          : await sql<{ n: number }>`select total_changes() as n`.execute(tx as Store['db'])
        ).rows[0]?.n ?? 0,
      );
    await ctx.store.write(async (tx) => {
      const before = await written(tx);
      // Two reviews and an update of the label: three writes to x_labels' inputs.
      await tx.insertInto('reviews').values(review()).execute();
      await tx.insertInto('reviews').values(review()).execute();
      await tx.updateTable('labels').set({ seconds_to_review: 9 }).where('id', '=', labelId).execute();
      // The project row is written once (SQLite counts the three writes themselves besides).
      expect((await written(tx)) - before).toBe(postgres ? 1 : 3 + 1);
    });
    const row = async () =>
      await sql<{ x_labels: string | null; version: string }>`select x_labels, ${
        postgres ? sql`xmin::text` : sql`''`
      } as version from project_data_rows where project_id = ${p.projectId} and data_row_id = ${rowId}`.execute(
        ctx.store.db,
      );
    const stale = (await row()).rows[0]!;
    expect(stale.x_labels).toBeNull();
    // The background renderer stores a row only if its version is the one it read: a later
    // transaction's write must leave a new version even where the fragment is NULL already.
    await ctx.store.write((tx) => tx.insertInto('reviews').values(review()).execute());
    const later = (await row()).rows[0]!;
    expect(later.x_labels).toBeNull();
    if (postgres) expect(later.version).not.toBe(stale.version);
    await ctx.store.write((tx) => renderFragments(tx, p.projectId, [rowId]));
    await expectFresh(ctx.store, p.owner, p.projectId);
  });

  it('a write to attachments, metadata values or a schema name clears the data row entries', async () => {
    // The fixture keeps its ids, so it goes in once per database (the test above may have).
    importer ??= await newOrgActor(ctx.store, 'fragments');
    const actor = importer;
    const line = JSON.stringify(JSON.parse(fixtureText('migration-metadata-attachments.json')));
    const projectId = Object.keys(JSON.parse(line).projects)[0]!;
    const there = await ctx.store.db
      .selectFrom('projects')
      .where('id', '=', projectId)
      .select('id')
      .executeTakeFirst();
    if (!there) {
      const imported = await importLabelboxExport(ctx.store, actor, { input: ndjson(line) });
      expect(imported.ok ? 'ok' : imported.errors).toBe('ok');
    }
    const rowId = JSON.parse(line).data_row.id as string;
    const fragmentsOf = async () =>
      (await storedFragments(ctx.store, projectId)).find((r) => r.data_row_id === rowId)!;
    const exported = async () => {
      const c = await collect(ctx.store, actor, projectId, {
        params: { attachments: true, metadata_fields: true },
      });
      expect(c.errors).toEqual([]);
      return JSON.parse(c.lines[0]!) as {
        attachments: { name: string }[];
        metadata_fields: { schema_name: string; value: unknown }[];
      };
    };
    expect((await fragmentsOf()).x_attachments).toContain('Guidelines');
    expect((await fragmentsOf()).x_metadata).toContain('support-chat');

    await ctx.store.db
      .updateTable('attachments')
      .set({ name: 'Rubric' })
      .where('id', '=', 'cattachguide0000000000000')
      .execute();
    expect((await fragmentsOf()).x_attachments).toBeNull();
    expect((await fragmentsOf()).x_metadata).not.toBeNull();
    expect((await exported()).attachments.map((a) => a.name)).toEqual(['Rubric', 'Screenshot']);

    await ctx.store.db
      .updateTable('metadata_values')
      .set({ value: 'email' })
      .where('data_row_id', '=', rowId)
      .where('schema_id', '=', 'cmetasource00000000000000')
      .execute();
    expect((await fragmentsOf()).x_metadata).toBeNull();
    expect((await exported()).metadata_fields[0]!.value).toBe('email');

    // Put a rendered text back; appending an option to a schema keeps it, renaming clears it.
    await ctx.store.write((tx) => renderFragments(tx, projectId, [rowId]));
    expect((await fragmentsOf()).x_metadata).toContain('email');
    await ctx.store.db
      .updateTable('metadata_schemas')
      .set({ options: JSON.stringify([{ id: 'o1', name: 'One' }]) })
      .where('id', '=', 'cmetasource00000000000000')
      .execute();
    await ctx.store.db
      .updateTable('metadata_schemas')
      .set({
        options: JSON.stringify([
          { id: 'o1', name: 'One' },
          { id: 'o2', name: 'Two' },
        ]),
      })
      .where('id', '=', 'cmetasource00000000000000')
      .execute();
    expect((await fragmentsOf()).x_metadata).not.toBeNull();
    await ctx.store.db
      .updateTable('metadata_schemas')
      .set({ name: 'channel' })
      .where('id', '=', 'cmetasource00000000000000')
      .execute();
    expect((await fragmentsOf()).x_metadata).toBeNull();
    expect((await exported()).metadata_fields[0]!.schema_name).toBe('channel');

    await ctx.store.db.deleteFrom('attachments').where('data_row_id', '=', rowId).execute();
    await ctx.store.write((tx) => renderFragments(tx, projectId, [rowId]));
    expect((await fragmentsOf()).x_attachments).toBe('');
    await ctx.store.db
      .insertInto('attachments')
      .values({ id: newId(), data_row_id: rowId, type: 'RAW_TEXT', value: 'late', name: 'Late', position: 0 })
      .execute();
    expect((await fragmentsOf()).x_attachments).toBeNull();
    expect((await exported()).attachments.map((a) => a.name)).toEqual(['Late']);
  });
});
