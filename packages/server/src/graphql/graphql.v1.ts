/**
 * The legacy `exportLabels` mutation. The SDK sends the same mutation again every 2 s until it
 * answers `shouldPoll: false` with a `downloadUrl`, so each call first looks for the caller's own
 * V1 task of this project with the same filters and the same link origin: running → keep
 * polling; finished moments ago → its link (or its failure); otherwise a new task starts through
 * the REST API's service. The origin is recorded on the task, so its `View Label` links point
 * where the caller reaches prefer, and a task made elsewhere (the CLI, REST, another public URL)
 * is never handed over.
 */
import { isDeepStrictEqual } from 'node:util';
import { authorizeProject } from '../auth/permissions.ts';
import { streamFileOf } from '../exports/files/streams.ts';
import { parseExportRequest } from '../exports/request/export.request.ts';
import { startLabelExport, storedRequest } from '../exports/tasks/export-start.service.ts';
import { AppError } from '../shared/errors.ts';
import type { ExportTaskTable } from '../store/schema.ts';
import type { GraphqlContext } from './graphql.context.ts';

export interface ExportLabelsInput {
  projectId: string;
  filters?: {
    labelCreatedAt?: DateRange | null;
    lastActivityAt?: DateRange | null;
  } | null;
}
interface DateRange {
  start?: string | null;
  end?: string | null;
}

/** A finished task answers the polls that follow it for this long, then a call starts afresh. */
export const V1_REUSE_MS = 2 * 60_000;
/** How long a V1 download link works (the SDK returns it to the caller with `download=False`). */
export const V1_LINK_TTL_SECONDS = 60 * 60;
/** Running tasks older than this are not joined (a worker fails stuck tasks long before). */
const RUNNING_LOOKBACK_MS = 24 * 60 * 60_000;

export interface V1Answer {
  downloadUrl: string | null;
  createdAt: number;
  shouldPoll: boolean;
  /** Not in the schema: set when this call started the task (the audit records only those). */
  startedTaskId?: string;
}

export async function exportLabels(ctx: GraphqlContext, data: ExportLabelsInput): Promise<V1Answer> {
  const { store, actor } = ctx;
  await authorizeProject(store.db, actor, data.projectId, 'export');
  const bounds = {
    start: bound(data.filters?.labelCreatedAt?.start),
    end: bound(data.filters?.labelCreatedAt?.end),
    lastActivityStart: bound(data.filters?.lastActivityAt?.start),
    lastActivityEnd: bound(data.filters?.lastActivityAt?.end),
  };
  // The filters as the task stores them, to recognise the task a previous poll started.
  const { filters } = storedRequest(
    parseExportRequest({
      filters: {
        label_created_at: [bounds.start, bounds.end],
        last_activity_at: [bounds.lastActivityStart, bounds.lastActivityEnd],
      },
    }),
  );
  const now = Date.now();
  const recent = await store.db
    .selectFrom('export_tasks')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', data.projectId)
    .where('type', '=', 'export-labels')
    .where('created_by', '=', actor.userId)
    .where('link_base', '=', ctx.links.base)
    .where('created_at', '>=', now - RUNNING_LOOKBACK_MS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .selectAll()
    .execute();
  const same = recent.find((t) => isDeepStrictEqual(JSON.parse(t.filters), filters));
  if (same && (same.status === 'IN_PROGRESS' || now - same.updated_at <= V1_REUSE_MS)) {
    return answer(ctx, same);
  }
  const task = await startLabelExport(store, actor, {
    projectId: data.projectId,
    ...bounds,
    linkBase: ctx.links.base,
  });
  return {
    downloadUrl: null,
    createdAt: Date.parse(task.created_at),
    shouldPoll: true,
    startedTaskId: task.id,
  };
}

async function answer(ctx: GraphqlContext, task: ExportTaskTable): Promise<V1Answer> {
  if (task.status === 'IN_PROGRESS') {
    return { downloadUrl: null, createdAt: task.created_at, shouldPoll: true };
  }
  // FAILED raises with the reason; a COMPLETE task's file must still match its manifest.
  const file = await streamFileOf(task, 'result');
  if (file.totalBytes === 0) throw new AppError('INTERNAL', `export task ${task.id} wrote an empty V1 file`);
  const downloadUrl = ctx.links.fileUrl(
    { taskId: task.id, stream: 'result', start: 0, end: file.totalBytes - 1 },
    V1_LINK_TTL_SECONDS,
  );
  return { downloadUrl, createdAt: task.created_at, shouldPoll: false };
}

/** The SDK writes a missing bound as `""`. */
const bound = (value: string | null | undefined) => (value ? value : null);
