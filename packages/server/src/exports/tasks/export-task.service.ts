/**
 * Export tasks as a user sees them: create one (answered at once, run later by a worker) and
 * read its state. Files and running belong to `worker.ts`; reading streams to `streams.ts`.
 */
import { sql } from 'kysely';
import type { Actor } from '../../orgs/actor.ts';
import { decodeCursor, type Page, type PageRequest, pageFrom } from '../../shared/cursor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { formatV2 } from '../../shared/time.ts';
import type { ExportTaskStatus, ExportTaskTable } from '../../store/schema.ts';
import type { Store, Tx } from '../../store/store.ts';
import { CONVERSION_TASK_TYPE } from '../../training/conversion.options.ts';
import { STATS_TASK_TYPE } from '../../training/stats.options.ts';
import { parseExportRequest } from '../request/export.request.ts';
import {
  EXPORT_TASK_TYPES,
  type ExportTaskType,
  MAX_RUNNING_PER_ORG,
  MAX_RUNNING_PER_PROJECT,
} from './export-task.types.ts';

export interface CreateExportTaskInput {
  projectId: string;
  type: ExportTaskType;
  name?: string | null;
  params: unknown;
  filters: unknown;
  /** V1: the origin of the `View Label` links, when the creator knows it (else the worker's). */
  linkBase?: string | null;
}

export interface CreatedExportTask {
  id: string;
  name: string;
  status: 'IN_PROGRESS';
  created_at: string;
}

/** Named as the SDK reads them (`getTotalFileSize`, `getTotalLines`). */
export interface ExportStreamInfo {
  total_bytes: number;
  total_lines: number;
  sha256: string | null;
}

export interface ExportTaskView {
  id: string;
  name: string | null;
  type: ExportTaskType;
  project_id: string;
  status: ExportTaskStatus;
  /** 0-100; 100 only once the files are final. */
  completion_percentage: number;
  created_at: string;
  updated_at: string;
  /** Set when FAILED: what happened, in words a user can act on. */
  failure_reason: string | null;
  /** Sizes of the two NDJSON streams, once COMPLETE. */
  result: ExportStreamInfo | null;
  errors: ExportStreamInfo | null;
  /** True once retention deleted the files (7 days after the task finished). */
  files_deleted: boolean;
}

const MAX_NAME_LENGTH = 256;

const DEFAULT_NAME: Record<ExportTaskType, string> = {
  'export-data-rows': 'Export v2',
  'export-labels': 'Export V1',
  'training-conversion': 'Training data',
  'training-stats': 'Analytics',
};

export async function createExportTask(
  store: Store,
  actor: Actor,
  input: CreateExportTaskInput,
): Promise<CreatedExportTask> {
  if (!EXPORT_TASK_TYPES.includes(input.type)) {
    throw new AppError('BAD_REQUEST', `export type must be one of ${EXPORT_TASK_TYPES.join(', ')}`);
  }
  const params = jsonObject(input.params, 'params');
  const filters = jsonObject(input.filters, 'filters');
  // Refused now rather than as a FAILED task later; the worker parses the stored form again.
  // A conversion's or stats task's params are its options (conversion.service.ts and
  // stats.service.ts checked them); its filters are export filters.
  if (input.type === CONVERSION_TASK_TYPE || input.type === STATS_TASK_TYPE)
    parseExportRequest({ filters: input.filters ?? {} });
  else parseExportRequest({ params: input.params ?? {}, filters: input.filters ?? {} });
  const givenName = input.name?.trim() || null;
  if (givenName && givenName.length > MAX_NAME_LENGTH) {
    throw new AppError('VALIDATION_FAILED', `task name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return store.write(async (tx) => {
    const project = await tx
      .selectFrom('projects')
      .where('id', '=', input.projectId)
      .where('org_id', '=', actor.orgId)
      .where('deleted_at', 'is', null)
      .select(['id', 'name'])
      .executeTakeFirst();
    if (!project) throw notFound('project', input.projectId);
    await lockOrgExports(store, tx, actor.orgId);
    await checkRunningLimits(tx, actor.orgId, project.id);
    const now = Date.now();
    const id = newId(now);
    const name = givenName ?? `${DEFAULT_NAME[input.type]}: ${project.name}`;
    await tx
      .insertInto('export_tasks')
      .values({
        id,
        org_id: actor.orgId,
        project_id: project.id,
        type: input.type,
        name,
        status: 'IN_PROGRESS',
        params,
        filters,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
        completion_percentage: 0,
        attempts: 0,
        link_base: input.linkBase ?? null,
      })
      .execute();
    return { id, name, status: 'IN_PROGRESS', created_at: formatV2(now) };
  });
}

export async function getExportTask(store: Store, actor: Actor, id: string): Promise<ExportTaskView> {
  return toView(await findExportTask(store, actor, id));
}

/** The project's export tasks, newest first (cursor pages); the caller's access is already checked. */
export async function listExportTaskPage(
  store: Store,
  actor: Actor,
  projectId: string,
  page: PageRequest,
): Promise<Page<ExportTaskView>> {
  let q = store.db
    .selectFrom('export_tasks')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', projectId)
    .selectAll();
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['number', 'string']) as [number, string];
    q = q.where((e) => e.or([e('created_at', '<', at), e.and([e('created_at', '=', at), e('id', '<', id)])]));
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return pageFrom(rows, page.limit, (r) => [Number(r.created_at), r.id], toView);
}

/** The task row of the actor's organization; another organization's id is NOT_FOUND. */
export async function findExportTask(store: Store, actor: Actor, id: string): Promise<ExportTaskTable> {
  const row = await store.db
    .selectFrom('export_tasks')
    .where('id', '=', id)
    .where('org_id', '=', actor.orgId)
    .selectAll()
    .executeTakeFirst();
  if (!row) throw notFound('export task', id);
  return row;
}

/**
 * Serializes creates of one organization so two concurrent ones cannot both pass the limits.
 * SQLite: `store.write` already holds the write lock (BEGIN IMMEDIATE). PostgreSQL: a
 * transaction-scoped advisory lock, released at commit; it works across server processes.
 */
async function lockOrgExports(store: Store, tx: Tx, orgId: string): Promise<void> {
  if (store.backend !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`prefer.export_tasks.${orgId}`}))`.execute(tx);
}

async function checkRunningLimits(tx: Tx, orgId: string, projectId: string): Promise<void> {
  const counts = await tx
    .selectFrom('export_tasks')
    .where('org_id', '=', orgId)
    .where('status', '=', 'IN_PROGRESS')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('org'),
      eb.fn.count<number | string>(eb.case().when('project_id', '=', projectId).then(1).end()).as('project'),
    ])
    .executeTakeFirstOrThrow();
  if (Number(counts.project) >= MAX_RUNNING_PER_PROJECT) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many exports running for this project (${MAX_RUNNING_PER_PROJECT}). Try again when one finishes.`,
    );
  }
  if (Number(counts.org) >= MAX_RUNNING_PER_ORG) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many exports running in this organization (${MAX_RUNNING_PER_ORG}). Try again when one finishes.`,
    );
  }
}

/** Params and filters are stored as JSON text; only plain objects are accepted. */
function jsonObject(value: unknown, what: string): string {
  if (value === undefined || value === null) return '{}';
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('BAD_REQUEST', `${what} must be an object`);
  }
  return JSON.stringify(value);
}

function toView(row: ExportTaskTable): ExportTaskView {
  const complete = row.status === 'COMPLETE';
  const stream = (bytes: number | null, lines: number | null, sha256: string | null) =>
    complete ? { total_bytes: bytes ?? 0, total_lines: lines ?? 0, sha256 } : null;
  return {
    id: row.id,
    name: row.name,
    type: row.type as ExportTaskType,
    project_id: row.project_id,
    status: row.status,
    completion_percentage: row.completion_percentage,
    created_at: formatV2(row.created_at),
    updated_at: formatV2(row.updated_at),
    failure_reason: row.failure_reason,
    result: stream(row.result_bytes, row.result_lines, row.result_sha256),
    errors: stream(row.errors_bytes, row.errors_lines, row.errors_sha256),
    files_deleted: row.files_deleted_at !== null,
  };
}
