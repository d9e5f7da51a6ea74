/**
 * Export v2 rows compared as JSON TEXT (key order included): the seed's golden row, then each
 * param alone and all together on a richer project, errors, scoping and the snapshot.
 */
import { EXPORT_PARAM_KEYS } from '@prefer/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatV2 } from '../src/shared/time.ts';
import { describeBackends } from './support/backends.ts';
import {
  actor,
  CONVERSATION,
  cid,
  collect,
  GOLDEN,
  goldenLine,
  idsOf,
  L1_ANNOTATIONS,
  L3A_ANNOTATIONS,
  L3B_ANNOTATIONS,
  ORG,
  OTHER,
  otherActor,
  RICH,
  seedExportFixtures,
  T,
  USERS,
} from './support/export-fixtures.ts';

type Params = Partial<Record<(typeof EXPORT_PARAM_KEYS)[number], boolean>>;
const ALL: Params = Object.fromEntries(EXPORT_PARAM_KEYS.map((k) => [k, true]));
const v2 = formatV2;

/** The expected line of a rich row, written out by hand from the fixture's data. */
function expected(row: 'r1' | 'r2' | 'r3', p: Params): string {
  const id = RICH.rows[row];
  const labeler = USERS.labeler.email;
  const reviewer = USERS.reviewer.email;
  const data_row: Record<string, unknown> = { id };
  if (row === 'r1') Object.assign(data_row, { global_key: 'conv-1', external_id: 'ext-1' });
  if (row === 'r3') Object.assign(data_row, { global_key: 'Conv-3' });
  data_row.row_data = row === 'r2' ? 'https://example.com/conversations/2.json' : CONVERSATION;
  if (p.data_row_details) {
    data_row.details = {
      dataset_id: RICH.datasetId,
      dataset_name: RICH.datasetName,
      created_at: v2(T.created),
      updated_at: v2(T.updated),
      last_activity_at: v2({ r1: T.act1, r2: T.act2, r3: T.act3 }[row]),
      created_by: row === 'r2' ? reviewer : labeler,
    };
  }
  const out: Record<string, unknown> = {
    data_row,
    media_attributes: {
      mime_type: 'application/vnd.labelbox.conversational',
      labelable_ids: row === 'r2' ? [] : ['m1', 'm3'],
      message_count: row === 'r2' ? 0 : 4,
    },
  };
  if (p.attachments) {
    out.attachments =
      row === 'r1'
        ? [
            { id: RICH.attachments.a1, type: 'RAW_TEXT', value: 'context: "shopping"', name: 'context' },
            { id: RICH.attachments.a2, type: 'IMAGE', value: 'https://example.com/a.png', name: null },
          ]
        : [];
  }
  if (p.metadata_fields) {
    const md = RICH.metadata;
    out.metadata_fields =
      row === 'r1'
        ? [
            { schema_id: md.split, schema_name: 'split', value: 'train' },
            { schema_id: md.score, schema_name: 'score', value: 0.75 },
            { schema_id: md.tier, schema_name: 'tier', value: 'gold' },
            { schema_id: md.when, schema_name: 'captured', value: '2024-01-01T00:00:00.000Z' },
          ]
        : [];
  }
  if (p.embeddings) {
    out.embeddings =
      row === 'r1'
        ? [
            {
              id: RICH.embedding,
              name: 'clip',
              dimensions: 3,
              is_custom: true,
              values: [{ value: [0.1, 0.2, -3.5e-7] }],
            },
          ]
        : [];
  }
  const label = (
    labelId: string,
    created: number,
    by: string,
    reviews: unknown[],
    perf: Record<string, unknown> | null,
    annotations: unknown,
  ) => {
    const l: Record<string, unknown> = { label_kind: 'Default', version: '1.0.0', id: labelId };
    if (p.label_details) {
      l.label_details = {
        created_at: v2(created),
        updated_at: v2(created + 1000),
        created_by: by,
        content_last_updated_at: v2(created + 500),
        reviews,
      };
    }
    if (p.performance_details && perf) l.performance_details = perf;
    l.annotations = annotations;
    return l;
  };
  const labels =
    row === 'r1'
      ? [
          label(
            RICH.labels.l1,
            T.l1,
            labeler,
            [{ id: RICH.reviews.rv1, score: 1, created_at: v2(T.review1), created_by: reviewer }],
            { seconds_to_create: 120.5, seconds_to_review: 30, skipped: false },
            L1_ANNOTATIONS,
          ),
        ]
      : row === 'r3'
        ? [
            label(
              RICH.labels.l3a,
              T.l3a,
              labeler,
              [{ id: RICH.reviews.rv3, score: -1, created_at: v2(T.review3), created_by: reviewer }],
              { seconds_to_create: 42, seconds_to_review: 0, skipped: true, consensus_score: 0.8 },
              L3A_ANNOTATIONS,
            ),
            label(RICH.labels.l3b, T.l3b, reviewer, [], null, L3B_ANNOTATIONS),
          ]
        : [];
  const project: Record<string, unknown> = { name: RICH.projectName, labels };
  if (p.project_details) {
    const t = RICH.tasks;
    const entry = (
      action: string,
      at: number,
      by: string,
      prev: [string, string] | null,
      next: [string, string],
    ) => ({
      action,
      created_at: v2(at),
      created_by: by,
      ...(prev ? { previous_task_name: prev[1], previous_task_id: prev[0] } : {}),
      next_task_name: next[1],
      next_task_id: next[0],
    });
    const L: [string, string] = [t.label, 'Initial labeling task'];
    const R: [string, string] = [t.review, 'Initial review task'];
    const history = {
      r1: [
        entry('Approve', T.review1, reviewer, R, [t.done, 'Done']),
        entry('Move', T.review1, labeler, L, R),
        entry('Move', T.created, labeler, null, L),
      ],
      r2: [entry('Move', T.created, reviewer, null, L)],
      r3: [
        entry('Reject', T.review3, reviewer, R, [t.rework, 'Rework']),
        entry('Move', T.l3a, labeler, L, R),
        entry('Move', T.created, labeler, null, L),
      ],
    }[row];
    const state = {
      r1: [t.done, 'Done', RICH.batch1, 'DONE', 1],
      r2: [t.label, 'Initial labeling task', RICH.batch1, 'TO_LABEL', 1],
      r3: [t.rework, 'Rework', RICH.batch2, 'IN_REWORK', 2],
    } as const;
    const [taskId, taskName, batch, status, consensus] = state[row];
    project.project_details = {
      ontology_id: RICH.ontologyId,
      task_id: taskId,
      task_name: taskName,
      batch_id: batch.id,
      batch_name: batch.name,
      workflow_status: status,
      priority: batch.priority,
      consensus_expected_label_count: consensus,
      workflow_history: history,
    };
  }
  out.projects = { [RICH.projectId]: project };
  return JSON.stringify(out);
}

describeBackends('export v2 engine', (ctx) => {
  beforeAll(() => seedExportFixtures(ctx.store.db));
  const run = (input: Parameters<typeof collect>[3], options?: Parameters<typeof collect>[4]) =>
    collect(ctx.store, actor, RICH.projectId, input, options);

  it('exports the seed sample row exactly as the golden file, key order included', async () => {
    const out = await collect(ctx.store, actor, GOLDEN.projectId, { params: GOLDEN.params });
    expect(out.lines).toEqual([goldenLine]);
    expect(out.errors).toEqual([]);
  });

  it('without params gives the always-present sections only', async () => {
    const out = await run({});
    expect(out.lines).toEqual([expected('r1', {}), expected('r2', {}), expected('r3', {})]);
    expect(out.counts).toEqual({ rows: 3, errors: 0 });
  });

  for (const key of EXPORT_PARAM_KEYS) {
    it(`param ${key} alone adds only its own section`, async () => {
      const p = { [key]: true };
      const out = await run({ params: p });
      expect(out.lines).toEqual([expected('r1', p), expected('r2', p), expected('r3', p)]);
      expect(out.lines).not.toEqual([expected('r1', {}), expected('r2', {}), expected('r3', {})]);
    });
  }

  it('all params together', async () => {
    const out = await run({ params: ALL });
    expect(out.lines).toEqual([expected('r1', ALL), expected('r2', ALL), expected('r3', ALL)]);
  });

  it('gives the same rows whatever the page size, and reports progress', async () => {
    const one = await run({ params: ALL }, { pageSize: 1 });
    const two = await run({ params: ALL }, { pageSize: 2 });
    const all = await run({ params: ALL });
    expect(one.lines).toEqual(all.lines);
    expect(two.lines).toEqual(all.lines);
    expect(one.progress).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('answers a project of another organization as not found', async () => {
    await expect(collect(ctx.store, actor, OTHER.projectId, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(ctx.store, otherActor, RICH.projectId, {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const theirs = await collect(ctx.store, otherActor, OTHER.projectId, {});
    expect(idsOf(theirs)).toEqual([OTHER.rowId]);
  });

  it('sends a row that cannot be assembled to the errors stream and goes on', async () => {
    const ghost = cid('ghostuser');
    await ctx.store.db
      .updateTable('labels')
      .set({ created_by: ghost })
      .where('id', '=', RICH.labels.l3b)
      .execute();
    try {
      const out = await run({ params: { label_details: true } });
      expect(idsOf(out)).toEqual([RICH.rows.r1, RICH.rows.r2]);
      expect(out.errors).toEqual([
        JSON.stringify({
          data_row_id: RICH.rows.r3,
          message: `user ${ghost} named by created_by was not found`,
          code: 'INTERNAL',
        }),
      ]);
      expect(out.counts).toEqual({ rows: 2, errors: 1 });
    } finally {
      await ctx.store.db
        .updateTable('labels')
        .set({ created_by: USERS.reviewer.id })
        .where('id', '=', RICH.labels.l3b)
        .execute();
    }
  });

  it("a row in two projects carries only this project's labels, reviews and history", async () => {
    const pd = {
      batch: '66882c10-8e42-11ee-8f8d-71857f06db2f',
      task: '33e77b4d-424f-49ba-8792-628c1cb746b7',
    };
    const foreign = cid('foreignlabel');
    await ctx.store.write(async (tx) => {
      await tx
        .insertInto('project_data_rows')
        .values({
          project_id: GOLDEN.projectId,
          data_row_id: RICH.rows.r2,
          org_id: ORG,
          batch_id: pd.batch,
          task_id: pd.task,
          workflow_status: 'IN_REVIEW',
          priority: 5,
          added_at: T.created,
          updated_at: T.created,
          lease_user_id: null,
          lease_expires_at: null,
        })
        .execute();
      await tx
        .insertInto('labels')
        .values({
          id: foreign,
          org_id: ORG,
          project_id: GOLDEN.projectId,
          data_row_id: RICH.rows.r2,
          created_by: USERS.labeler.id,
          created_at: T.l1,
          updated_at: T.l1,
          content_last_updated_at: T.l1,
          label_kind: 'Default',
          version: '1.0.0',
          annotations: '{"objects":[],"classifications":[],"relationships":[]}',
          seconds_to_create: 1,
          seconds_to_review: 1,
          skipped: 0,
          consensus_score: null,
        })
        .execute();
      await tx
        .insertInto('reviews')
        .values({
          id: cid('foreignreview'),
          org_id: ORG,
          project_id: GOLDEN.projectId,
          label_id: foreign,
          data_row_id: RICH.rows.r2,
          score: 1,
          reason: null,
          created_at: T.l1,
          created_by: USERS.reviewer.id,
        })
        .execute();
    });
    try {
      // Dense pages (no filter) read labels by id range; filtered ones by id list: both stay in the project.
      for (const input of [{ params: ALL }, { params: ALL, filters: { workflow_status: 'ToLabel' } }]) {
        const out = await run(input, { pageSize: 2 });
        expect(out.lines).toContain(expected('r2', ALL));
      }
      const golden = await collect(ctx.store, actor, GOLDEN.projectId, { params: GOLDEN.params });
      // The other project's export does see its own label of that row.
      expect(idsOf(golden)).toEqual([RICH.rows.r2, GOLDEN.dataRowId]);
      expect(golden.lines[0]).toContain(foreign);
    } finally {
      await ctx.store.write(async (tx) => {
        await tx.deleteFrom('reviews').where('label_id', '=', foreign).execute();
        await tx.deleteFrom('labels').where('id', '=', foreign).execute();
        await tx
          .deleteFrom('project_data_rows')
          .where('project_id', '=', GOLDEN.projectId)
          .where('data_row_id', '=', RICH.rows.r2)
          .execute();
      });
    }
  });

  describe('snapshot', () => {
    it('reflects only the state at its start while labels and rows are written between pages', async () => {
      const lateLabel = cid('latelabel');
      const out = await run(
        { params: ALL },
        {
          pageSize: 1,
          onLine: async (_line, index) => {
            if (index !== 0) return;
            await ctx.store.write(async (tx) => {
              await tx
                .insertInto('labels')
                .values({
                  id: lateLabel,
                  org_id: ORG,
                  project_id: RICH.projectId,
                  data_row_id: RICH.rows.r3,
                  created_by: USERS.labeler.id,
                  created_at: T.l1,
                  updated_at: T.l1,
                  content_last_updated_at: T.l1,
                  label_kind: 'Default',
                  version: '1.0.0',
                  annotations: '{"objects":[],"classifications":[],"relationships":[]}',
                  seconds_to_create: null,
                  seconds_to_review: null,
                  skipped: 0,
                  consensus_score: null,
                })
                .execute();
              await tx
                .insertInto('project_data_rows')
                .values({
                  project_id: RICH.projectId,
                  data_row_id: RICH.rows.r4,
                  org_id: ORG,
                  batch_id: RICH.batch1.id,
                  task_id: RICH.tasks.label,
                  workflow_status: 'TO_LABEL',
                  priority: 2,
                  added_at: T.l1,
                  updated_at: T.l1,
                  lease_user_id: null,
                  lease_expires_at: null,
                })
                .execute();
              await tx
                .updateTable('data_rows')
                .set({ row_data: 'changed' })
                .where('id', '=', RICH.rows.r2)
                .execute();
            });
          },
        },
      );
      try {
        expect(out.lines).toEqual([expected('r1', ALL), expected('r2', ALL), expected('r3', ALL)]);
        // The writes did commit: a new export sees them.
        const after = await run({});
        expect(idsOf(after)).toEqual([RICH.rows.r1, RICH.rows.r2, RICH.rows.r3, RICH.rows.r4]);
        expect(after.lines[2]).toContain(lateLabel);
      } finally {
        await ctx.store.write(async (tx) => {
          await tx.deleteFrom('labels').where('id', '=', lateLabel).execute();
          await tx.deleteFrom('project_data_rows').where('data_row_id', '=', RICH.rows.r4).execute();
          await tx
            .updateTable('data_rows')
            .set({ row_data: 'https://example.com/conversations/2.json' })
            .where('id', '=', RICH.rows.r2)
            .execute();
        });
      }
    });
  });
});
