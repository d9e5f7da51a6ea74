/**
 * The objects the SDK walks between: `Task` (an export task: state for the SDK's polling, its
 * stream fields in graphql.task-files.ts), its `createdBy` `User` and `Organization`, and a user's
 * `createdTasks`. One file because they refer to each other. Only rows of the caller's
 * organization are ever read.
 */
import { authorizeProject } from '../auth/permissions.ts';
import { findExportTask } from '../exports/tasks/export-task.service.ts';
import type { ExportTaskTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { GraphqlContext } from './graphql.context.ts';
import { fileFromLine, fileFromOffset, metadataHeader, type TaskStreamType } from './graphql.task-files.ts';

/** Tasks are read by people who may export from their project (as `GET /export-tasks/:id`). */
export async function readableTask(ctx: GraphqlContext, id: string): Promise<ExportTaskTable> {
  const row = await findExportTask(ctx.store, ctx.actor, id);
  await authorizeProject(ctx.store.db, ctx.actor, row.project_id, 'export');
  return row;
}

export function taskObject(row: ExportTaskTable) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status,
    completionPercentage: row.completion_percentage,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // Export files are read by offset (below), never through URLs in these fields.
    result: null,
    errors: null,
    metadata: null,
    exportMetadataHeader: (args: { streamType: TaskStreamType }) => metadataHeader(row, args.streamType),
    exportFileFromOffset: (args: { streamType: TaskStreamType; offset: number }, ctx: GraphqlContext) =>
      fileFromOffset(ctx, row, args.streamType, args.offset),
    exportFileFromLine: (args: { streamType: TaskStreamType; line: number }, ctx: GraphqlContext) =>
      fileFromLine(ctx, row, args.streamType, args.line),
    // The creator is a user of the task's organization, which is the caller's.
    createdBy: (_args: unknown, ctx: GraphqlContext) => userObject(ctx, row.created_by),
    organization: (_args: unknown, ctx: GraphqlContext) => organizationObject(ctx.store, row.org_id),
  };
}

export interface Where {
  id: string;
}

/** The user `userId` of the caller's organization as the SDK reads it; null when there is none. */
export async function userObject(ctx: GraphqlContext, userId: string) {
  const user = await ctx.store.db
    .selectFrom('users')
    .where('id', '=', userId)
    .where('org_id', '=', ctx.actor.orgId)
    .select(['id', 'email', 'name', 'created_at'])
    .executeTakeFirst();
  if (!user) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    nickname: null,
    picture: null,
    intercomHash: null,
    isExternalUser: false,
    isViewer: user.id === ctx.actor.userId,
    // prefer keeps no per-user zone: null reads as UTC in the SDK.
    timezone: null,
    createdAt: user.created_at,
    updatedAt: user.created_at,
    createdTasks: (a: { where?: Where | null; skip?: number | null; first?: number | null }) =>
      createdTasks(ctx, user.id, a),
  };
}

export async function organizationObject(store: Store, orgId: string) {
  const org = await store.db
    .selectFrom('organizations')
    .where('id', '=', orgId)
    .select(['id', 'name', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: org.id, name: org.name, createdAt: org.created_at, updatedAt: org.created_at };
}

/** The user's export tasks, newest first, that the caller may read (export rights in the project). */
async function createdTasks(
  ctx: GraphqlContext,
  userId: string,
  args: { where?: Where | null; skip?: number | null; first?: number | null },
) {
  const { actor, store } = ctx;
  const first = Math.min(Math.max(args.first ?? 100, 0), 100);
  let query = store.db
    .selectFrom('export_tasks')
    .where('org_id', '=', actor.orgId)
    .where('created_by', '=', userId);
  if (args.where) query = query.where('id', '=', args.where.id);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(Math.max(args.skip ?? 0, 0))
    .limit(first)
    .selectAll()
    .execute();
  const readable = [];
  for (const row of rows) {
    // A task stays the user's, but reading it needs export rights in its project today.
    const ok = await authorizeProject(store.db, actor, row.project_id, 'export').then(
      () => true,
      () => false,
    );
    if (ok) readable.push(taskObject(row));
  }
  return readable;
}
