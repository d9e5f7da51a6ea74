/**
 * The Labelbox Python SDK's export path replayed against a real server (and a real export worker)
 * on both backends: the documents, variables and headers of docs/labelbox-graphql.md byte for
 * byte; the answers checked for every key the SDK reads; chunks reassembled and compared with the
 * REST export byte for byte; the search query items mapped onto prefer's filters; V1 polling.
 */
import { describe, expect, it } from 'vitest';
import {
  activityOf,
  atLeast,
  atMost,
  BATCH_TWO,
  between,
  DOCS,
  data,
  errorLine,
  exportInput,
  globalKey,
  gql,
  graphqlFixture,
  heldTask,
  type Json,
  PROJECT,
  Q,
  ROWS,
  restExport,
  rowId,
  rowIdsOf,
  SEED_SDK_PARAMS,
  sdkExport,
  v1Mutation,
  WITH_ERRORS,
} from './graphql-helpers.ts';
import { describeBackends } from './support/backends.ts';

const ALL_ROWS = Array.from({ length: ROWS }, (_, i) => rowId(i));
const rows = (...ids: number[]) => ids.map(rowId);
const NDJSON = 'application/x-ndjson; charset=utf-8';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('docs/labelbox-graphql.md', () => {
  it('holds every document the tests replay, byte for byte', () => {
    for (const [name, doc] of Object.entries(Q)) {
      if (name === 'organization') continue; // the spec names it and its selection only
      expect(DOCS, name).toContain(doc);
    }
    expect(DOCS).toContain('organization{createdAt name id updatedAt}');
    expect(DOCS).toContain(
      'mutation GetLabelExportUrlPyApi($projectId: ID!) {exportLabels(data:{projectId: $projectId',
    );
  });
});

describeBackends('GraphQL: the SDK export path', (ctx) => {
  // Small chunks, so the six rows (2-12 KB each) span many chunks ending anywhere.
  const fx = graphqlFixture(ctx, { chunkBytes: 9000 });

  it('GetProjectPyApi: every selected key, with the types the SDK parses', async () => {
    const { project } = await data(fx, Q.getProject, { param_0: PROJECT });
    expect(Object.keys(project).sort()).toEqual(
      [
        'autoAuditNumberOfLabels',
        'autoAuditPercentage',
        'createdAt',
        'dataRowCount',
        'description',
        'editorTaskType',
        'isBenchmarkEnabled',
        'isConsensusEnabled',
        'lastActivityTime',
        'allowedMediaType',
        'modelSetupComplete',
        'name',
        'queueMode',
        'setupComplete',
        'id',
        'updatedAt',
        'uploadType',
      ].sort(),
    );
    expect(project).toMatchObject({
      id: PROJECT,
      name: 'Test LLM Human Preference',
      allowedMediaType: 'CONVERSATIONAL',
      queueMode: 'BATCH',
      dataRowCount: ROWS,
      autoAuditNumberOfLabels: 1,
      autoAuditPercentage: 1,
      isBenchmarkEnabled: false,
      isConsensusEnabled: false,
      modelSetupComplete: false,
      editorTaskType: null,
      uploadType: null,
      lastActivityTime: '2024-06-10T12:00:00.000Z',
    });
    for (const key of ['createdAt', 'updatedAt', 'setupComplete']) expect(project[key]).toMatch(ISO);
  });

  it('CurrentUserPyApi with variables null: timezone null (UTC)', async () => {
    expect(await data(fx, Q.currentUser, null)).toEqual({ user: { timezone: null } });
  });

  it('GetUserPyApi: the key’s user with all 10 keys; GetOrganizationPyApi', async () => {
    const { user } = await data(fx, Q.getUser, {});
    expect(Object.keys(user).sort()).toEqual(
      [
        'createdAt',
        'email',
        'intercomHash',
        'isExternalUser',
        'isViewer',
        'nickname',
        'name',
        'picture',
        'id',
        'updatedAt',
      ].sort(),
    );
    expect(user).toMatchObject({ id: fx.actor.userId, email: fx.actor.email, isViewer: true });
    expect(user.createdAt).toMatch(ISO);
    const { organization } = await data(fx, Q.organization, null);
    expect(organization).toEqual({
      id: fx.actor.orgId,
      name: 'GraphQL org',
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
  });

  it('the seed page’s export_v2: polled task, header, chunks equal to the REST export byte for byte', async () => {
    const input = exportInput(
      PROJECT,
      [between('data_row_last_activity_at', '2000-01-01 00:00:00', '2050-01-01 00:00:00')],
      SEED_SDK_PARAMS,
    );
    const run = await sdkExport(fx, input);
    // Polled while IN_PROGRESS, then COMPLETE; nothing else on the way.
    expect(run.statuses.at(-1)).toBe('COMPLETE');
    expect(run.statuses.slice(0, -1).every((s) => s === 'IN_PROGRESS')).toBe(true);
    expect(run.task).toEqual({
      id: run.taskId,
      type: 'export-data-rows',
      status: 'COMPLETE',
      name: 'Export v2: Test LLM Human Preference',
      completionPercentage: 100,
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
      errors: null,
      result: null,
      metadata: null,
    });
    expect(run.errorsHeader).toBeNull();

    const rest = await restExport(fx, 'exports', {
      params: {
        attachments: true,
        metadata_fields: true,
        data_row_details: true,
        project_details: true,
        label_details: true,
        performance_details: true,
      },
      filters: { last_activity_at: ['2000-01-01 00:00:00', '2050-01-01 00:00:00'] },
    });
    expect(run.result.equals(rest.bytes)).toBe(true);
    expect(run.header).toEqual({ totalSize: rest.bytes.length, totalLines: ROWS });
    expect(rowIdsOf(run.result)).toEqual(ALL_ROWS);

    // Chunks: contiguous, each exactly end - start + 1 bytes ending on a line end, lines counted.
    expect(run.chunks.length).toBeGreaterThan(2);
    let offset = 0;
    let line = 0;
    for (const chunk of run.chunks) {
      expect(chunk.offsets.start).toBe(offset);
      expect(chunk.bytes.length).toBe(chunk.offsets.end - chunk.offsets.start + 1);
      expect(chunk.bytes.at(-1)).toBe(0x0a);
      expect(chunk.contentType).toBe(NDJSON);
      const text = chunk.bytes.toString('utf8');
      // Whole UTF-8 characters only: decoding and encoding again gives the same bytes.
      expect(Buffer.from(text, 'utf8').equals(chunk.bytes)).toBe(true);
      expect(text).toMatch(/🌍.*مرحبا.*日本語/u);
      const lines = text.split('\n').slice(0, -1);
      expect(chunk.lines).toEqual({ start: line, end: line + lines.length - 1 });
      for (const l of lines) JSON.parse(l);
      offset = chunk.offsets.end + 1;
      line += lines.length;
    }
    expect(offset).toBe(rest.bytes.length);
  });

  it('exportFileFromOffset answers the chunk starting exactly at the offset, from a string or a literal', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const second = run.chunks[1]!;
    const where = { id: run.taskId };
    const fromString = (
      await data(fx, Q.fileFromOffset, { where, streamType: 'RESULT', offset: String(second.offsets.start) })
    ).task.exportFileFromOffset;
    expect(fromString.offsets).toEqual(second.offsets);
    expect(fromString.lines).toEqual(second.lines);
    const inline = `query { task(where: {id: "${run.taskId}"}) { exportFileFromOffset(streamType: RESULT, offset: ${second.offsets.start}) { offsets { start end } } } }`;
    expect((await data(fx, inline, null)).task.exportFileFromOffset.offsets).toEqual(second.offsets);

    const past = await gql(fx, Q.fileFromOffset, {
      where,
      streamType: 'RESULT',
      offset: String(run.header!.totalSize),
    });
    expect(past.body.errors?.[0]?.message).toMatch(/at or past the end/);
    const inside = await gql(fx, Q.fileFromOffset, { where, streamType: 'RESULT', offset: '-1' });
    expect(inside.status).toBe(400);
    expect(inside.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an export with no rows: COMPLETE, both headers null (never totalSize 0)', async () => {
    const run = await sdkExport(
      fx,
      exportInput(PROJECT, [atLeast('data_row_last_activity_at', '2030-01-01')]),
    );
    expect(run.task.status).toBe('COMPLETE');
    expect(run.header).toBeNull();
    expect(run.errorsHeader).toBeNull();
  });

  it('the errors stream: header, chunks and REST bytes agree (what task.errors reads)', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, [], {}, WITH_ERRORS));
    const expected = `${[0, 1, 2].map(errorLine).join('\n')}\n`;
    expect(run.errorsHeader).toEqual({ totalSize: Buffer.byteLength(expected), totalLines: 3 });
    const where = { id: run.taskId };
    const chunk = (await data(fx, Q.fileFromOffset, { where, streamType: 'ERRORS', offset: '0' })).task
      .exportFileFromOffset;
    expect(chunk.offsets).toEqual({ start: 0, end: Buffer.byteLength(expected) - 1 });
    expect(chunk.lines).toEqual({ start: 0, end: 2 });
    const res = await fetch(chunk.file);
    expect(res.headers.get('content-type')).toBe(NDJSON);
    expect(await res.text()).toBe(expected);
    const rest = await fetch(`${fx.url}/api/v1/export-tasks/${run.taskId}/errors`, {
      headers: { Authorization: `Bearer ${fx.keys.admin}` },
    });
    expect(await rest.text()).toBe(expected);
    // The rows themselves are all there still.
    expect(rowIdsOf(run.result).sort()).toEqual([...ALL_ROWS].sort());
  });

  it('polling states: IN_PROGRESS reads "Task is not ready yet", FAILED "Task failed" (OPERATION_NOT_ALLOWED)', async () => {
    const { user } = await data(fx, Q.getUser, {});
    // Running (held by another worker), then failed as a worker fails a task.
    const taskId = await heldTask(ctx.store, fx.actor, PROJECT);
    const polled = async () =>
      (await data(fx, Q.createdTasks, { param_0: taskId, param_1: user.id })).user.createdTasks[0];
    expect(await polled()).toMatchObject({ id: taskId, status: 'IN_PROGRESS', completionPercentage: 40 });
    const where = { id: taskId };
    const early = await gql(fx, Q.header, { where, streamType: 'RESULT' });
    expect(early.body.errors?.[0]).toMatchObject({
      message: 'Task is not ready yet',
      extensions: { code: 'OPERATION_NOT_ALLOWED' },
    });
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ status: 'FAILED', failure_reason: 'the disk is full', worker_id: null })
      .where('id', '=', taskId)
      .execute();
    expect(await polled()).toMatchObject({ id: taskId, status: 'FAILED', type: 'export-data-rows' });
    const late = await gql(fx, Q.fileFromOffset, { where, streamType: 'RESULT', offset: '0' });
    expect(late.body.errors?.[0]).toMatchObject({
      message: 'Task failed: the disk is full',
      extensions: { code: 'OPERATION_NOT_ALLOWED' },
    });
  });

  describe('search query items → prefer filters', () => {
    const cases: [string, Json[], string[]][] = [
      [
        'last activity BETWEEN',
        [between('data_row_last_activity_at', '2024-02-01 00:00:00', '2024-04-01 00:00:00')],
        rows(1, 2),
      ],
      ['last activity from (one-sided)', [atLeast('data_row_last_activity_at', '2024-05-01')], rows(4, 5)],
      // A date-only end bound covers its whole day.
      ['last activity until (one-sided)', [atMost('data_row_last_activity_at', '2024-02-10')], rows(0, 1)],
      // 13:30 in Kolkata is 08:00 UTC: row 1 (12:00 UTC that day) is in; in UTC it would not be.
      [
        'the caller’s timezone',
        [atLeast('data_row_last_activity_at', '2024-02-10 13:30:00', 'Asia/Kolkata')],
        rows(1, 2, 3, 4, 5),
      ],
      [
        'UTC for the same text',
        [atLeast('data_row_last_activity_at', '2024-02-10 13:30:00')],
        rows(2, 3, 4, 5),
      ],
      // What the SDK makes of an ISO date: its offset replaced by +0000 and the zone set to UTC,
      // while the other date keeps the user's zone.
      [
        'an ISO date beside a zoned one',
        [
          atLeast('data_row_last_activity_at', '2024-02-10T12:00:00+0000'),
          atMost('labeled_at', '2024-03-05 13:30:00', 'Asia/Kolkata'),
        ],
        rows(1, 2),
      ],
      ['labeled_at BETWEEN', [between('labeled_at', '2024-03-01', '2024-04-30')], rows(2, 3)],
      ['labeled_at until', [atMost('labeled_at', '2024-01-31')], rows(0)],
      ['data row ids', [{ ids: [rowId(5), rowId(4)], operator: 'is', type: 'data_row_id' }], rows(4, 5)],
      [
        'global keys (any case)',
        [{ ids: [globalKey(3).toUpperCase()], operator: 'is', type: 'global_key' }],
        rows(3),
      ],
      ['batch', [{ ids: [BATCH_TWO], operator: 'is', type: 'batch' }], rows(3, 4, 5)],
      ['ToLabel', [{ type: 'task_queue_not_exist' }], rows(2, 5)],
      ['InReview', [{ type: 'task_queue_status', status: 'InReview' }], rows(0, 3)],
      ['Done', [{ type: 'task_queue_status', status: 'Done' }], rows(1, 4)],
      [
        'several items are ANDed',
        [
          { ids: [BATCH_TWO], operator: 'is', type: 'batch' },
          { type: 'task_queue_status', status: 'Done' },
        ],
        rows(4),
      ],
    ];
    for (const [name, items, expected] of cases) {
      it(name, async () => {
        const run = await sdkExport(fx, exportInput(PROJECT, items));
        expect(run.task.status).toBe('COMPLETE');
        // The order follows the filter (activity order, label order or id order): compare as sets.
        expect(rowIdsOf(run.result).sort()).toEqual([...expected].sort());
      });
    }
    it('matches the activity times the fixture set', () => {
      expect(activityOf(1)).toBe('2024-02-10T12:00:00.000+00:00');
    });

    const faults: [string, Json[], RegExp][] = [
      [
        'an unknown type',
        [{ type: 'data_row_color', ids: [] }],
        /unknown type "data_row_color"; valid types are: .*labeled_at/,
      ],
      [
        'a malformed date (the SDK’s own words)',
        [atLeast('labeled_at', '2024-13-45')],
        /^Incorrect format for: 2024-13-45\. Format must be "YYYY-MM-DD"/,
      ],
      [
        'an unknown operator',
        [{ type: 'labeled_at', value: { operator: 'AFTER', timezone: 'UTC', value: '2024-01-01' } }],
        /operator must be BETWEEN/,
      ],
      ['a reversed range', [between('labeled_at', '2024-05-01', '2024-01-01')], /starts after it ends/],
      [
        'an unknown timezone',
        [atLeast('labeled_at', '2024-01-01', 'Mars/Olympus')],
        /unknown timezone "Mars\/Olympus"/,
      ],
      ['an empty id list', [{ ids: [], operator: 'is', type: 'batch' }], /non-empty list/],
      [
        'ids and global keys together',
        [
          { ids: [rowId(1)], operator: 'is', type: 'data_row_id' },
          { ids: [globalKey(1)], operator: 'is', type: 'global_key' },
        ],
        /data_rows and global_keys cannot both be present/,
      ],
      [
        'a workflow status prefer lacks',
        [{ type: 'task_queue_status', status: 'Skipped' }],
        /status must be one of "InReview", "InRework", "Done"/,
      ],
      [
        'an item twice',
        [{ type: 'task_queue_not_exist' }, { type: 'task_queue_not_exist' }],
        /a second task_queue_not_exist item/,
      ],
      [
        'two zones for dates without offset',
        [
          atLeast('labeled_at', '2024-01-01', 'Europe/Paris'),
          atLeast('data_row_last_activity_at', '2024-01-01'),
        ],
        /different timezones \(Europe\/Paris, UTC\)/,
      ],
    ];
    for (const [name, items, message] of faults) {
      it(`refuses ${name} with a message the user can act on`, async () => {
        const answer = await gql(fx, Q.exportV2, { input: exportInput(PROJECT, items) });
        expect(answer.status).toBe(200);
        expect(answer.body.data).toBeNull();
        expect(answer.body.errors).toHaveLength(1);
        expect(answer.body.errors![0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(answer.body.errors![0]!.message).toMatch(message);
      });
    }
  });

  describe('V1 export_labels', () => {
    /** What export_labels(download=True, ...) does: send the mutation until it says stop, then GET. */
    async function exportLabels(filters: Parameters<typeof v1Mutation>[0]) {
      const query = v1Mutation(filters);
      const answers: Json[] = [];
      for (;;) {
        const { exportLabels } = await data(fx, query, { projectId: PROJECT });
        answers.push(exportLabels);
        if (!exportLabels.shouldPoll && exportLabels.downloadUrl !== null) break;
        await new Promise((r) => setTimeout(r, 30));
      }
      const last = answers.at(-1)!;
      const res = await fetch(last.downloadUrl);
      expect(res.status).toBe(200);
      return {
        answers,
        bytes: Buffer.from(await res.arrayBuffer()),
        contentType: res.headers.get('content-type'),
      };
    }

    it('polls until shouldPoll is false, then downloads the V1 JSON array (REST’s bytes)', async () => {
      const run = await exportLabels({ labelCreatedAt: { start: '2024-03-01', end: '2024-04-30' } });
      expect(run.answers[0]).toEqual({
        downloadUrl: null,
        createdAt: expect.stringMatching(ISO),
        shouldPoll: true,
      });
      for (const a of run.answers.slice(0, -1))
        expect(a).toMatchObject({ downloadUrl: null, shouldPoll: true });
      // Every poll answered about the same task.
      expect(new Set(run.answers.map((a) => a.createdAt)).size).toBe(1);
      expect(run.contentType).toBe('application/json; charset=utf-8');
      const labels = JSON.parse(run.bytes.toString('utf8')) as { 'DataRow ID': string }[];
      expect(labels.map((l) => l['DataRow ID']).sort()).toEqual(rows(2, 3));
      const rest = await restExport(fx, 'label-exports', { start: '2024-03-01', end: '2024-04-30' });
      // The same bytes but for the View Label origin: the caller's here (the server's public URL,
      // else the request's), the worker's default for a REST task (http://localhost:7400).
      const viaRest = rest.bytes.toString('utf8').replaceAll('"http://localhost:7400/', `"${fx.url}/`);
      expect(run.bytes.toString('utf8')).toBe(viaRest);
      expect(run.bytes.toString('utf8')).not.toContain('localhost:7400');
    });

    it('takes one bound, and lastActivityAt after labelCreatedAt', async () => {
      const from = await exportLabels({ labelCreatedAt: { start: '2024-05-01' } });
      expect((JSON.parse(from.bytes.toString()) as Json[]).map((l) => l['DataRow ID']).sort()).toEqual(
        rows(4, 5),
      );
      const both = await exportLabels({
        labelCreatedAt: { end: '2024-03-31' },
        lastActivityAt: { start: '2024-02-01', end: '2024-12-31' },
      });
      expect((JSON.parse(both.bytes.toString()) as Json[]).map((l) => l['DataRow ID']).sort()).toEqual(
        rows(1, 2),
      );
      const none = await exportLabels({});
      expect((JSON.parse(none.bytes.toString()) as Json[]).length).toBe(ROWS);
    });

    it('refuses a malformed date', async () => {
      const answer = await gql(fx, v1Mutation({ labelCreatedAt: { start: '28/09/2022' } }), {
        projectId: PROJECT,
      });
      expect(answer.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toMatch(/^Incorrect format for: 28\/09\/2022/);
    });
  });
});
