/**
 * Project members: who holds which project role (`manager`, `reviewer`, `labeler`). Routes check
 * `project.members` (an organization admin or a manager of the project) before these run. Only
 * users of the project's organization can be members: another organization's user is NOT_FOUND,
 * exactly like a missing one, and no project role makes anyone an organization admin.
 */
import type { Actor } from '../orgs/actor.ts';
import { decodeCursor, type Page, pageFrom } from '../shared/cursor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import type { ProjectRole } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import { requireProject } from './project.service.ts';

export const PROJECT_ROLES: readonly ProjectRole[] = ['manager', 'reviewer', 'labeler'];

export interface MemberView {
  user_id: string;
  email: string;
  name: string;
  role: ProjectRole;
  /** The member's organization role: an `admin` holds every role in every project anyway. */
  org_role: 'admin' | 'member';
  created_at: string;
}

const selectMembers = (db: Store['db'] | Tx, projectId: string, orgId: string) =>
  db
    .selectFrom('project_members')
    .innerJoin('users', 'users.id', 'project_members.user_id')
    .where('project_members.project_id', '=', projectId)
    .where('project_members.org_id', '=', orgId)
    .select([
      'project_members.user_id',
      'users.email',
      'users.name',
      'project_members.role',
      'users.role as org_role',
      'project_members.created_at',
    ]);

type MemberRow = Awaited<ReturnType<ReturnType<typeof selectMembers>['executeTakeFirstOrThrow']>>;

const view = (r: MemberRow): MemberView => ({ ...r, created_at: formatV2(r.created_at) });

export async function listMembers(
  store: Store,
  actor: Actor,
  projectId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<MemberView>> {
  let q = selectMembers(store.db, projectId, actor.orgId);
  if (page.cursor)
    q = q.where('project_members.user_id', '>', String(decodeCursor(page.cursor, ['string'])[0]));
  const rows = await q
    .orderBy('project_members.user_id')
    .limit(page.limit + 1)
    .execute();
  return pageFrom(rows, page.limit, (r) => [r.user_id], view);
}

/** The user named by id or email, inside the actor's organization (404 otherwise). */
async function orgUser(
  tx: Tx,
  actor: Actor,
  who: { userId?: string | undefined; email?: string | undefined },
) {
  let q = tx.selectFrom('users').where('org_id', '=', actor.orgId).select(['id']);
  if (who.userId !== undefined) q = q.where('id', '=', who.userId);
  else if (who.email !== undefined) q = q.where('email_lower', '=', who.email.trim().toLowerCase());
  else throw new AppError('BAD_REQUEST', 'name the user by user_id or email');
  const user = await q.executeTakeFirst();
  if (!user) throw notFound('user', who.userId ?? who.email ?? '');
  return user;
}

export async function addMember(
  store: Store,
  actor: Actor,
  projectId: string,
  input: { userId?: string | undefined; email?: string | undefined; role: ProjectRole },
  now = Date.now(),
): Promise<MemberView> {
  return store.write(async (tx) => {
    // Routes checked access already; local callers (the CLI) get the same 404 for another org's project.
    await requireProject(tx, actor.orgId, projectId);
    const user = await orgUser(tx, actor, input);
    const existing = await selectMembers(tx, projectId, actor.orgId)
      .where('project_members.user_id', '=', user.id)
      .executeTakeFirst();
    if (existing) {
      throw new AppError(
        'CONFLICT',
        `the user is already a ${existing.role} of this project; change the role with PATCH`,
      );
    }
    await tx
      .insertInto('project_members')
      .values({
        project_id: projectId,
        user_id: user.id,
        org_id: actor.orgId,
        role: input.role,
        created_at: now,
      })
      .execute();
    return view(
      await selectMembers(tx, projectId, actor.orgId)
        .where('project_members.user_id', '=', user.id)
        .executeTakeFirstOrThrow(),
    );
  });
}

export async function changeMemberRole(
  store: Store,
  actor: Actor,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<MemberView> {
  return store.write(async (tx) => {
    const updated = await tx
      .updateTable('project_members')
      .set({ role })
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .where('org_id', '=', actor.orgId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw notFound('project member', userId);
    return view(
      await selectMembers(tx, projectId, actor.orgId)
        .where('project_members.user_id', '=', userId)
        .executeTakeFirstOrThrow(),
    );
  });
}

/** Removes a member: their project role ends at once (labels they made stay, with their name). */
export async function removeMember(
  store: Store,
  actor: Actor,
  projectId: string,
  userId: string,
): Promise<void> {
  await store.write(async (tx) => {
    const deleted = await tx
      .deleteFrom('project_members')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .where('org_id', '=', actor.orgId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound('project member', userId);
  });
}
