/**
 * SDK calls beyond the seed script, replayed from the documents the Labelbox Python SDK builds
 * (docs/labelbox-graphql.md cites the source of each): `task.created_by()` and
 * `task.organization()`, `client.get_projects()`, `Stream.with_line()`, `ExportTask.result_url`
 * and `errors_url` (REST routes), and an operation prefer does not answer.
 */
import { describe, expect, it } from 'vitest';
import { startLabelExport } from '../src/exports/tasks/export-start.service.ts';
import {
  DOCS,
  data,
  exportInput,
  gql,
  graphqlFixture,
  type Json,
  PROJECT,
  pyDumps,
  Q,
  ROWS,
  rowIdsOf,
  sdkExport,
  sdkHeaders,
  v1Mutation,
  WITH_ERRORS,
} from './graphql-helpers.ts';
import { appWithLog } from './security-world.ts';
import { describeBackends } from './support/backends.ts';

/** Project fields as 3.78.1 / 4.0.0 select them; 6.0.0 leaves out queueMode. */
const PROJECT_FIELDS =
  'autoAuditNumberOfLabels autoAuditPercentage createdAt dataRowCount description editorTaskType isBenchmarkEnabled isConsensusEnabled lastActivityTime allowedMediaType modelSetupComplete name queueMode setupComplete id updatedAt uploadType';
const PROJECT_FIELDS_6 = PROJECT_FIELDS.replace(' queueMode', '');

const Q2 = {
  // orm/query.py `relationship()` for the ToOne relationships of schema/task.py.
  taskCreatedBy:
    'query GetTaskCreatedByPyApi($param_0: ID!){task(where: {id: $param_0}){createdBy{createdAt email intercomHash isExternalUser isViewer nickname name picture id updatedAt}}}',
  taskOrganization:
    'query GetTaskOrganizationPyApi($param_0: ID!){task(where: {id: $param_0}){organization{createdAt name id updatedAt}}}',
  // client.py `_get_all(Entity.Project, where)` through orm/query.py `get_all()`; pagination.py
  // `_OffsetPagination` writes skip and first into the two %d.
  projects: (skip: number, fields = PROJECT_FIELDS) =>
    `query GetProjectsPyApi($param_0: Boolean!){projects(where: {deleted: $param_0} skip: ${skip} first: 100){${fields}}}`,
  projectsNamed: (skip: number) =>
    `query GetProjectsPyApi($param_0: String!, $param_1: Boolean!){projects(where: {AND: [{name: $param_0}, {deleted: $param_1}]} skip: ${skip} first: 100){${PROJECT_FIELDS}}}`,
  // client.py `get_task_by_id` (3.78 and later), its own multi-line document.
  taskById: `
            query GetUserCreatedTasksPyApi($userId: ID!, $taskId: ID!) {
            user(where: {id: $userId}) {
                createdTasks(where: {id: $taskId} skip: 0 first: 1) {
                    completionPercentage
                    createdAt
                    errors
                    metadata
                    name
                    result
                    status
                    type
                    id
                    updatedAt
                }
            }
        }
        `,
  // schema/export_task.py `FileRetrieverByLine.get_next_chunk` (3.x to 5.x).
  fileFromLine:
    'query GetExportFileFromLinePyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $line: UInt64!){task(where: $where){exportFileFromLine(streamType: $streamType, line: $line){offsets {start end} lines {start end} file}}}',
} as const;

describe('docs/labelbox-graphql.md', () => {
  it('lists these documents too', () => {
    for (const doc of [Q2.taskCreatedBy, Q2.taskOrganization, Q2.fileFromLine, Q2.projects(0)]) {
      expect(DOCS).toContain(doc.replace('skip: 0', 'skip: %d').replace('first: 100', 'first: %d'));
    }
  });
});

describeBackends('GraphQL: more SDK calls', (ctx) => {
  const fx = graphqlFixture(ctx, { chunkBytes: 9000 });

  it('task.created_by() and task.organization(): the creator and the organization', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const { task } = await data(fx, Q2.taskCreatedBy, { param_0: run.taskId });
    const { user } = await data(fx, Q.getUser, {});
    expect(task.createdBy).toEqual(user);
    expect(task.createdBy.id).toBe(fx.actor.userId);
    const org = await data(fx, Q2.taskOrganization, { param_0: run.taskId });
    expect(org.task.organization).toEqual((await data(fx, Q.organization, null)).organization);
    // Another organization's key: the task is missing, so is its creator.
    const other = await gql(fx, Q2.taskCreatedBy, { param_0: run.taskId }, fx.keys.other);
    expect(other.body.errors?.[0]?.extensions.code).toBe('RESOURCE_NOT_FOUND');
    expect(other.body.data).toEqual({ task: null });
  });

  it('client.get_task_by_id(id): the key user’s task, as a plain Task', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const { user } = await data(fx, Q.getUser, {});
    const byId = await data(fx, Q2.taskById, { userId: user.id, taskId: run.taskId });
    expect(byId.user.createdTasks).toEqual([run.task]);
    const missing = await data(fx, Q2.taskById, { userId: user.id, taskId: 'no-such-task' });
    expect(missing.user.createdTasks).toEqual([]);
  });

  it('client.get_projects(): pages of 100 with skip, every selected key, scoped to the key', async () => {
    const page = (await data(fx, Q2.projects(0), { param_0: false })).projects as Json[];
    expect(page.map((p) => p.id)).toEqual([PROJECT]);
    expect(Object.keys(page[0]).sort()).toEqual(PROJECT_FIELDS.split(' ').sort());
    const single = (await data(fx, Q.getProject, { param_0: PROJECT })).project;
    expect(page[0]).toEqual(single);
    // 6.x selects the same minus queueMode; the next page is empty, which ends the SDK's loop.
    const six = (await data(fx, Q2.projects(0, PROJECT_FIELDS_6), { param_0: false })).projects;
    expect(Object.keys(six[0]).sort()).toEqual(PROJECT_FIELDS_6.split(' ').sort());
    expect((await data(fx, Q2.projects(100), { param_0: false })).projects).toEqual([]);
    // where=Project.name == ...
    const named = await data(fx, Q2.projectsNamed(0), {
      param_0: 'Test LLM Human Preference',
      param_1: false,
    });
    expect(named.projects.map((p: Json) => p.id)).toEqual([PROJECT]);
    const none = await data(fx, Q2.projectsNamed(0), { param_0: 'No such project', param_1: false });
    expect(none.projects).toEqual([]);
    // Another organization sees its own project only; a labeler the projects they work in.
    const other = (await data(fx, Q2.projects(0), { param_0: false }, fx.keys.other)).projects;
    expect(other.map((p: Json) => p.id)).toEqual([fx.otherProject]);
    const labeler = (await data(fx, Q2.projects(0), { param_0: false }, fx.keys.labeler)).projects;
    expect(labeler.map((p: Json) => p.id)).toEqual([PROJECT]);
  });

  it('a project from get_projects exports (export_v2 on its id)', async () => {
    const [project] = (await data(fx, Q2.projects(0), { param_0: false })).projects as Json[];
    const run = await sdkExport(fx, exportInput(project.id, []));
    expect(rowIdsOf(run.result)).toHaveLength(ROWS);
  });

  it('Stream.with_line(2): chunks start at that line and go on by line to the end', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const header = run.header!;
    const where = { id: run.taskId };
    const parts: Buffer[] = [];
    let line = 2;
    let first: Json;
    while (line < header.totalLines) {
      const chunk = (await data(fx, Q2.fileFromLine, { where, streamType: 'RESULT', line })).task
        .exportFileFromLine;
      first ??= chunk;
      expect(chunk.lines.start).toBe(line);
      const res = await fetch(chunk.file);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(chunk.offsets.end - chunk.offsets.start + 1);
      parts.push(bytes);
      line = chunk.lines.end + 1;
    }
    const lines = run.result.toString('utf8').split('\n');
    const fromLine2 = Buffer.from(`${lines.slice(2).join('\n')}`, 'utf8');
    expect(Buffer.concat(parts).equals(fromLine2)).toBe(true);
    expect(first.offsets.start).toBe(Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`));
    const past = await gql(fx, Q2.fileFromLine, { where, streamType: 'RESULT', line: header.totalLines });
    expect(past.body.errors?.[0]?.message).toBe(
      `line ${header.totalLines} is at or past the end of the result stream (${header.totalLines} lines)`,
    );
  });

  it('signed links honour Range within the linked bytes (206), past it 416', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const chunk = run.chunks[0]!;
    const res = await fetch(chunk.file, { headers: { Range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 10-19/${chunk.bytes.length}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(chunk.bytes.subarray(10, 20))).toBe(true);
    const tail = await fetch(chunk.file, { headers: { Range: 'bytes=5-' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(chunk.bytes.subarray(5))).toBe(true);
    const past = await fetch(chunk.file, { headers: { Range: `bytes=${chunk.bytes.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${chunk.bytes.length}`);
    expect((await fetch(chunk.file)).status).toBe(200);
  });

  it('result_url and errors_url: <rest_endpoint>/export-results|export-errors/<task>/<org>', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, [], {}, WITH_ERRORS));
    const org = fx.actor.orgId;
    const get = (path: string, key: string | null = fx.keys.admin) =>
      fetch(`${fx.url}/api/v1/${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
    const result = await get(`export-results/${run.taskId}/${org}`);
    expect(result.status).toBe(200);
    expect(Buffer.from(await result.arrayBuffer()).equals(run.result)).toBe(true);
    const errors = await get(`export-errors/${run.taskId}/${org}`);
    expect(errors.status).toBe(200);
    expect((await errors.text()).split('\n').filter(Boolean)).toHaveLength(3);
    // Authenticated like /export-tasks/:id/result; another organization's id is a missing task.
    expect((await get(`export-results/${run.taskId}/${org}`, null)).status).toBe(401);
    expect((await get(`export-results/${run.taskId}/${org}`, fx.keys.labeler)).status).toBe(403);
    expect((await get(`export-results/${run.taskId}/not-${org}`)).status).toBe(404);
    expect((await get(`export-results/${run.taskId}/${org}`, fx.keys.other)).status).toBe(404);
  });

  it('an operation prefer lacks: GRAPHQL_VALIDATION_FAILED (InvalidQueryError) naming the field', async () => {
    // client.get_datasets() (orm/query.py get_all on Dataset).
    const answer = await gql(
      fx,
      'query GetDatasetsPyApi($param_0: Boolean!){datasets(where: {deleted: $param_0} skip: 0 first: 100){name id}}',
      { param_0: false },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors![0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors![0]!.message).toMatch(
      /^Cannot query field "datasets" on type "Query"\. prefer answers only the Labelbox SDK operations listed in docs\/labelbox-graphql\.md/,
    );
  });

  it('V1: a task made elsewhere (the CLI, links on its own origin) is never handed to the SDK', async () => {
    // What `prefer export-labels` does in local mode, by the same user with the same dates.
    const made = await startLabelExport(ctx.store, fx.actor, { projectId: PROJECT, start: '2024-02-01' });
    for (;;) {
      const row = await ctx.store.db
        .selectFrom('export_tasks')
        .where('id', '=', made.id)
        .select('status')
        .executeTakeFirstOrThrow();
      if (row.status !== 'IN_PROGRESS') break;
      await new Promise((r) => setTimeout(r, 30));
    }
    const query = v1Mutation({ labelCreatedAt: { start: '2024-02-01' } });
    const answers: Json[] = [];
    for (;;) {
      const { exportLabels } = await data(fx, query, { projectId: PROJECT });
      answers.push(exportLabels);
      if (!exportLabels.shouldPoll) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    // A task of its own: the first answer polls.
    expect(answers[0]).toMatchObject({ shouldPoll: true, downloadUrl: null });
    const labels = (await (await fetch(answers.at(-1).downloadUrl)).json()) as Json[];
    expect(labels).toHaveLength(ROWS - 1);
    for (const l of labels)
      expect(l['View Label']).toMatch(new RegExp(`^${fx.url}/projects/${PROJECT}/labels/`));
  });

  it('a 401 on /graphql is logged once: authn.failed', async () => {
    const { app, lines } = appWithLog(ctx.store);
    const res = await app.request('/graphql', {
      method: 'POST',
      headers: sdkHeaders(null),
      body: pyDumps({ query: Q.currentUser, variables: null }),
    });
    expect(res.status).toBe(401);
    const id = res.headers.get('x-request-id');
    const security = lines
      .map((l) => JSON.parse(l) as Json)
      .filter((l) => l.requestId === id && l.msg === 'security');
    expect(security).toEqual([expect.objectContaining({ event: 'authn.failed', outcome: 'failure' })]);
  });
});
