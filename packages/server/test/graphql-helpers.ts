/**
 * The Labelbox Python SDK's requests, as docs/labelbox-graphql.md records them: the documents
 * byte for byte, the variables, the headers, and the body as Python's `json.dumps` writes it
 * (`", "` and `": "` separators, non-ASCII escaped). Plus a project to export: the seed sample
 * row in six variants spread over time, batches and workflow statuses, with multi-byte text.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import type { ExportRunner } from '../src/exports/tasks/export-task.types.ts';
import { lineChunk } from '../src/exports/v2/line-buffer.ts';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { ensureUser } from '../src/orgs/org.service.ts';
import { newId } from '../src/shared/ids.ts';
import type { Store } from '../src/store/store.ts';
import {
  fixtureRow,
  LABEL,
  LABEL_TASK,
  ndjson,
  newOrgActor,
  REVIEW_TASK,
  ROW,
} from './fixtures/labelbox-lines.ts';
import type { BackendContext } from './support/backends.ts';
import { seedProject } from './support/export-child-fixtures.ts';

export const DOCS = readFileSync(
  fileURLToPath(new URL('../../../docs/labelbox-graphql.md', import.meta.url)),
  'utf8',
);

export const Q = {
  getProject:
    'query GetProjectPyApi($param_0: ID!){project(where: {id: $param_0}){autoAuditNumberOfLabels autoAuditPercentage createdAt dataRowCount description editorTaskType isBenchmarkEnabled isConsensusEnabled lastActivityTime allowedMediaType modelSetupComplete name queueMode setupComplete id updatedAt uploadType}}',
  currentUser: 'query CurrentUserPyApi { user { timezone } }',
  exportV2:
    'mutation exportDataRowsInProjectPyApi($input: ExportDataRowsInProjectInput!){exportDataRowsInProject(input: $input){taskId isStreamable}}',
  getUser:
    'query GetUserPyApi{user{createdAt email intercomHash isExternalUser isViewer nickname name picture id updatedAt}}',
  createdTasks:
    'query GetUserCreatedTasksPyApi($param_0: ID!, $param_1: ID!){user(where: {id: $param_1}){createdTasks(where: {id: $param_0} skip: 0 first: 100){completionPercentage createdAt errors metadata name result status type id updatedAt}}}',
  header:
    'query GetExportMetadataHeaderPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!){task(where: $where){exportMetadataHeader(streamType: $streamType){totalSize totalLines}}}',
  fileFromOffset:
    'query GetExportFileFromOffsetPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $offset: UInt64!){task(where: $where){exportFileFromOffset(streamType: $streamType, offset: $offset){offsets {start end} lines {start end} file}}}',
  organization: 'query GetOrganizationPyApi {organization{createdAt name id updatedAt}}',
} as const;

/** The V1 mutation as the SDK formats it: filters inline, a missing bound left out. */
export function v1Mutation(filters: { labelCreatedAt?: Bounds; lastActivityAt?: Bounds } = {}): string {
  const inner = Object.entries(filters)
    .map(([key, b]) => {
      const parts = (['start', 'end'] as const).filter((k) => b?.[k]).map((k) => `${k}: "${b?.[k]}"`);
      return `${key}: {${parts.join(',')}}`;
    })
    .join(',');
  const filterParam = inner ? `, filters: {${inner} }` : '';
  return `mutation GetLabelExportUrlPyApi($projectId: ID!) {exportLabels(data:{projectId: $projectId${filterParam}}) {downloadUrl createdAt shouldPoll} }`;
}
interface Bounds {
  start?: string;
  end?: string;
}

export type SearchItem = Record<string, unknown>;

/** `$input` of the export mutation, as export_v2 builds it. */
export function exportInput(
  projectId: string,
  items: SearchItem[],
  params: Partial<SdkParams> = {},
  taskName: string | null = null,
) {
  return {
    taskName,
    isStreamableReady: true,
    filters: { projectId, searchQuery: { scope: null, query: items } },
    params: { ...NO_PARAMS, ...params },
    streamable: false,
  };
}
const NO_PARAMS = {
  mediaTypeOverride: null,
  includeAttachments: false,
  includeEmbeddings: false,
  includeMetadata: false,
  includeDataRowDetails: false,
  includeProjectDetails: false,
  includePerformanceDetails: false,
  includeLabelDetails: false,
  includeInterpolatedFrames: false,
};
type SdkParams = Omit<typeof NO_PARAMS, 'mediaTypeOverride'> & { mediaTypeOverride: string | null };

/** The seed page's export_params as the SDK sends them. */
export const SEED_SDK_PARAMS: Partial<SdkParams> = {
  includeAttachments: true,
  includeMetadata: true,
  includeDataRowDetails: true,
  includeProjectDetails: true,
  includeLabelDetails: true,
  includePerformanceDetails: true,
};

export const between = (type: string, min: string, max: string, timezone = 'UTC'): SearchItem => ({
  type,
  value: { operator: 'BETWEEN', timezone, value: { min, max } },
});
export const atLeast = (type: string, value: string, timezone = 'UTC'): SearchItem => ({
  type,
  value: { operator: 'GREATER_THAN_OR_EQUAL', timezone, value },
});
export const atMost = (type: string, value: string, timezone = 'UTC'): SearchItem => ({
  type,
  value: { operator: 'LESS_THAN_OR_EQUAL', timezone, value },
});

/** Python's `json.dumps` with its defaults: `", "`, `": "`, ASCII only. */
export function pyDumps(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyDumps(k)}: ${pyDumps(v)}`).join(', ')}}`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  return JSON.stringify(value);
}

/** The SDK's headers (3.78.1; 6.0.0 adds X-SDK-Method). */
export function sdkHeaders(key: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Accept: 'application/json',
    'Content-Type': 'application/json',
    ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
    'X-User-Agent': 'python-sdk 3.78.1',
    'X-Python-Version': '3.11.4',
    ...extra,
  };
}

// ---- the project: six variants of the seed row -------------------------------------------

export const PROJECT = 'clpiy2itz08vg0705akh60zc1';
export const BATCH_ONE = '66882c10-8e42-11ee-8f8d-71857f06db2f';
export const BATCH_TWO = '77882c10-8e42-11ee-8f8d-71857f06db2f';
const DONE_TASK = '5d0e0000-0000-4000-8000-00000000d0e0';
export const ROWS = 6;

const TASKS = [
  { status: 'IN_REVIEW', id: REVIEW_TASK, name: 'Initial review task' },
  { status: 'DONE', id: DONE_TASK, name: 'Done' },
  { status: 'TO_LABEL', id: LABEL_TASK, name: 'Initial labeling task' },
] as const;

export const rowId = (i: number) => `${ROW.slice(0, 21)}${i.toString(36).padStart(4, '0')}`;
const labelId = (i: number) => `${LABEL.slice(0, 21)}${i.toString(36).padStart(4, '0')}`;
export const globalKey = (i: number) => `gk-${i}`;
export const statusOf = (i: number) => TASKS[i % 3]!.status;
export const batchOf = (i: number) => (i < 3 ? BATCH_ONE : BATCH_TWO);
/** Row i: activity on the 10th of month i+1 of 2024 at 12:00 UTC, its label made on the 5th. */
export const activityOf = (i: number) => `2024-${String(i + 1).padStart(2, '0')}-10T12:00:00.000+00:00`;
const labeledOf = (i: number) => `2024-${String(i + 1).padStart(2, '0')}-05T08:00:00.000+00:00`;
/** Emoji, right-to-left and CJK text, a different length on every row so chunks end anywhere. */
const reasonOf = (i: number) => `${'é€🌍 مرحبا بالعالم 日本語 '.repeat(3 + i * 17)}#${i}`;

/** The rows to import, as Labelbox export v2 lines. */
export function projectRows(): unknown[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const row = fixtureRow('seed-sample-export-row.json');
    const task = TASKS[i % 3]!;
    row.data_row.id = rowId(i);
    row.data_row.global_key = globalKey(i);
    row.data_row.details = { ...row.data_row.details, last_activity_at: activityOf(i) };
    const project = row.projects[PROJECT]!;
    const label = project.labels[0]!;
    label.id = labelId(i);
    const details = label.label_details as Record<string, unknown>;
    details.created_at = labeledOf(i);
    details.updated_at = labeledOf(i);
    details.content_last_updated_at = labeledOf(i);
    const text = label.annotations.classifications[1] as {
      feature_id: string;
      text_answer: { content: string };
    };
    text.text_answer.content = reasonOf(i);
    const pd = project.project_details!;
    pd.task_id = task.id;
    pd.task_name = task.name;
    pd.workflow_status = task.status;
    pd.batch_id = batchOf(i);
    pd.batch_name = i < 3 ? 'batch one' : 'batch two';
    pd.workflow_history = [
      {
        action: 'Move',
        created_at: '2023-11-28T23:11:07.631+00:00',
        created_by: 'labeler@example.com',
        next_task_name: task.name,
        next_task_id: task.id,
      },
    ];
    // Feature ids are unique per annotation instance.
    return JSON.parse(
      JSON.stringify(row).replace(/"feature_id":"(c[0-9a-z]{20})[0-9a-z]{4}"/g, (_m, head: string) => {
        return `"feature_id":"${head}${i.toString(36).padStart(4, '0')}"`;
      }),
    );
  });
}

// ---- a running server with a worker, and the SDK's calls against it ----------------------

/** A task named so gets these lines in its errors stream after the real export. */
export const WITH_ERRORS = 'with errors';
export const errorLine = (i: number) =>
  JSON.stringify({
    data_row_id: rowId(i),
    message: `row ${i} could not be exported: é€🌍`,
    code: 'ROW_FAILED',
  });

/** The real export engine; a task named WITH_ERRORS also reports three rows as failed. */
const runner: ExportRunner = async (store, actor, task, sink) => {
  const done = await exportRunner(store, actor, task, sink);
  if (task.name !== WITH_ERRORS) return done;
  for (let i = 0; i < 3; i++) await sink.errors(...lineChunk(errorLine(i)));
  return { ...done, errors: 3 };
};

export interface GraphqlFixture {
  readonly url: string;
  readonly secret: Buffer;
  /** Keys: the organization's admin, a labeler of the project, another organization's admin. */
  readonly keys: { admin: string; labeler: string; other: string };
  readonly actor: Actor;
  readonly otherProject: string;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON, checked key by key by the tests
export type Json = any;

export interface GqlAnswer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, Json> | null; errors?: { message: string; extensions: { code: string } }[] };
}

/** A fixed secret, so tests can sign links themselves. */
export const SECRET = createHash('sha256').update('prefer graphql tests').digest();

/** Starts everything in `beforeAll` and stops it in `afterAll`. */
export function graphqlFixture(ctx: BackendContext, options: { chunkBytes: number }): GraphqlFixture {
  let server: RunningServer | undefined;
  let worker: ExportWorker | undefined;
  const state = {} as { keys: GraphqlFixture['keys']; actor: Actor; otherProject: string };
  beforeAll(async () => {
    const actor = await newOrgActor(ctx.store, 'GraphQL org');
    const imported = await importLabelboxExport(ctx.store, actor, { input: ndjson(...projectRows()) });
    expect(imported).toMatchObject({ ok: true });
    const other = await newOrgActor(ctx.store, 'Other org');
    const otherProject = await seedProject(ctx.store, other, 'Not yours');
    const rater = await ensureUser(ctx.store.db, actor.orgId, `rater-${newId().slice(-8)}@example.com`);
    await ctx.store.db
      .insertInto('project_members')
      .values({ project_id: PROJECT, user_id: rater.id, org_id: actor.orgId, role: 'labeler', created_at: 0 })
      .execute();
    const labelerActor: Actor = { orgId: actor.orgId, userId: rater.id, email: rater.email, role: 'member' };
    state.keys = {
      admin: (await createApiKey(ctx.store, actor, { name: 'sdk' })).key,
      labeler: (await createApiKey(ctx.store, labelerActor, { name: 'rater' })).key,
      other: (await createApiKey(ctx.store, other, { name: 'other' })).key,
    };
    state.actor = actor;
    state.otherProject = otherProject;
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner,
      pollMs: 20,
      log: () => {},
    });
    server = await startServer({
      store: ctx.store,
      port: 0,
      host: '127.0.0.1',
      logError: () => {},
      graphql: { secret: SECRET, chunkBytes: options.chunkBytes },
    });
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });
  return {
    get url() {
      return server!.url;
    },
    secret: SECRET,
    get keys() {
      return state.keys;
    },
    get actor() {
      return state.actor;
    },
    get otherProject() {
      return state.otherProject;
    },
  };
}

/** One SDK call: POST the document and variables as the SDK writes them. */
export async function gql(
  fx: GraphqlFixture,
  query: string,
  variables: unknown,
  key: string | null = fx.keys.admin,
): Promise<GqlAnswer> {
  const res = await fetch(`${fx.url}/graphql`, {
    method: 'POST',
    headers: sdkHeaders(key),
    body: pyDumps({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlAnswer['body'] };
}

/** The data of a call that must succeed. */
export async function data(fx: GraphqlFixture, query: string, variables: unknown, key?: string) {
  const answer = await gql(fx, query, variables, key);
  expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
  expect(answer.status).toBe(200);
  return answer.body.data!;
}

export interface Chunk {
  offsets: { start: number; end: number };
  lines: { start: number; end: number };
  file: string;
  bytes: Buffer;
  contentType: string | null;
}

export interface SdkExport {
  taskId: string;
  statuses: string[];
  task: Record<string, unknown>;
  header: { totalSize: number; totalLines: number } | null;
  errorsHeader: { totalSize: number; totalLines: number } | null;
  chunks: Chunk[];
  /** The reassembled result stream. */
  result: Buffer;
}

/** What `export_v2` + `wait_till_done` + `result` send, in order. */
export async function sdkExport(fx: GraphqlFixture, input: unknown, key?: string): Promise<SdkExport> {
  const started = await data(fx, Q.exportV2, { input }, key);
  const { taskId, isStreamable } = started.exportDataRowsInProject;
  expect(isStreamable).toBe(true);
  const user = (await data(fx, Q.getUser, {}, key)).user;
  const statuses: string[] = [];
  let task: Record<string, unknown>;
  for (;;) {
    const tasks = (await data(fx, Q.createdTasks, { param_0: taskId, param_1: user.id }, key)).user
      .createdTasks;
    expect(tasks).toHaveLength(1);
    task = tasks[0];
    statuses.push(task.status as string);
    if (task.status !== 'IN_PROGRESS') break;
    await new Promise((r) => setTimeout(r, 30));
  }
  const headerOf = async (streamType: string) =>
    (await data(fx, Q.header, { where: { id: taskId }, streamType }, key)).task.exportMetadataHeader;
  const header = await headerOf('RESULT');
  const errorsHeader = await headerOf('ERRORS');
  const chunks: Chunk[] = [];
  let offset = 0;
  while (header && offset < header.totalSize) {
    const file = (
      await data(
        fx,
        Q.fileFromOffset,
        { where: { id: taskId }, streamType: 'RESULT', offset: String(offset) },
        key,
      )
    ).task.exportFileFromOffset;
    const res = await fetch(file.file);
    expect(res.status).toBe(200);
    chunks.push({
      ...file,
      bytes: Buffer.from(await res.arrayBuffer()),
      contentType: res.headers.get('content-type'),
    });
    offset = file.offsets.end + 1;
  }
  return {
    taskId,
    statuses,
    task: task!,
    header,
    errorsHeader,
    chunks,
    result: Buffer.concat(chunks.map((c) => c.bytes)),
  };
}

/** The data row ids of an export's result, in order. */
export const rowIdsOf = (result: Buffer): string[] =>
  result
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).data_row.id);

/** The same export through the REST API, its file as bytes. */
export async function restExport(
  fx: GraphqlFixture,
  path: string,
  body: unknown,
): Promise<{ bytes: Buffer; contentType: string | null }> {
  const auth = { Authorization: `Bearer ${fx.keys.admin}`, 'Content-Type': 'application/json' };
  const started = await fetch(`${fx.url}/api/v1/projects/${PROJECT}/${path}`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  for (;;) {
    const state = (await (await fetch(`${fx.url}/api/v1/export-tasks/${id}`, { headers: auth })).json()) as {
      status: string;
    };
    if (state.status !== 'IN_PROGRESS') break;
    await new Promise((r) => setTimeout(r, 30));
  }
  const res = await fetch(`${fx.url}/api/v1/export-tasks/${id}/result`, { headers: auth });
  expect(res.status).toBe(200);
  return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
}

/**
 * An IN_PROGRESS export task that another, live worker holds (its heartbeat is an hour ahead),
 * so the fixture's worker leaves it alone: a running export whose state the test controls.
 */
export async function heldTask(store: Store, actor: Actor, projectId: string): Promise<string> {
  const id = newId();
  const now = Date.now();
  await store.db
    .insertInto('export_tasks')
    .values({
      id,
      org_id: actor.orgId,
      project_id: projectId,
      type: 'export-data-rows',
      name: 'held',
      status: 'IN_PROGRESS',
      params: '{}',
      filters: '{}',
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      completion_percentage: 40,
      attempts: 1,
      worker_id: 'another-worker',
      heartbeat_at: now + 3_600_000,
    })
    .execute();
  return id;
}
