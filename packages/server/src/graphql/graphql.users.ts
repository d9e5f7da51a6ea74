/**
 * `User` and `Organization` objects: the API key's own (`user`, `organization`) and a task's
 * (`Task.createdBy`, `Task.organization`). Only users of the caller's organization are ever read.
 */
import { authorizeProject } from '../auth/permissions.ts';
import type { Store } from '../store/store.ts';
import type { GraphqlContext } from './graphql.context.ts';
import { taskObject } from './graphql.tasks.ts';

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
