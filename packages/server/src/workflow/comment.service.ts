/**
 * Comments on a data row inside a project; a comment counts as the row's activity. A labeler
 * reads and writes comments only on rows they hold a live lease on or have labeled: other rows
 * answer NOT_FOUND, as the rows outside their queue do everywhere else.
 */
import type { Role } from '../auth/permissions.ts';
import { touchActivity } from '../data-rows/activity.ts';
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import { afterKey, DEFAULT_PAGE_SIZE, decodeCursor, type Page, pageFrom } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { invalid } from './submit.input.ts';
import { lockProjectRow, type ProjectRow } from './workflow.rows.ts';

export const MAX_COMMENT_LENGTH = 10_000;

export interface AddCommentInput {
  projectId: string;
  dataRowId: string;
  /** 1 to 10,000 characters, not only blanks; kept as written. */
  text: string;
  /** The caller's role in the project; `labeler` narrows the rows they may comment on. */
  role?: Role | undefined;
}

export interface Comment {
  id: string;
  dataRowId: string;
  authorId: string;
  authorEmail: string;
  text: string;
  createdAt: number;
}

export async function addComment(store: Store, actor: Actor, input: AddCommentInput): Promise<Comment> {
  const text = input.text;
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_COMMENT_LENGTH) {
    throw invalid([
      { path: '$.text', message: `must be 1 to ${MAX_COMMENT_LENGTH} characters, not only blanks` },
    ]);
  }
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  return store.write(async (tx) => {
    const row = await lockProjectRow(tx, store.backend, actor.orgId, project.id, input.dataRowId);
    const now = Date.now();
    if (input.role === 'labeler') await requireLabelerRow(tx, actor, project.id, row, now);
    const id = newId(now);
    await tx
      .insertInto('comments')
      .values({
        id,
        org_id: actor.orgId,
        project_id: project.id,
        data_row_id: row.data_row_id,
        author_id: actor.userId,
        text,
        created_at: now,
      })
      .execute();
    await touchActivity(tx, [row.data_row_id], now);
    return {
      id,
      dataRowId: row.data_row_id,
      authorId: actor.userId,
      authorEmail: actor.email,
      text,
      createdAt: now,
    };
  });
}

export interface ListCommentsInput {
  projectId: string;
  dataRowId: string;
  role?: Role | undefined;
  /** Page size (default 50). */
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** The row's comments in the project, oldest first (created_at, id), a page at a time. */
export async function listComments(
  store: Store,
  actor: Actor,
  input: ListCommentsInput,
): Promise<Page<Comment>> {
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  const member = await store.db
    .selectFrom('project_data_rows')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', project.id)
    .where('data_row_id', '=', input.dataRowId)
    .select(['data_row_id', 'lease_user_id', 'lease_expires_at'])
    .executeTakeFirst();
  if (!member) throw notFound('data row', input.dataRowId);
  if (input.role === 'labeler') await requireLabelerRow(store.db, actor, project.id, member, Date.now());
  let q = store.db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .where('c.org_id', '=', actor.orgId)
    .where('c.project_id', '=', project.id)
    .where('c.data_row_id', '=', member.data_row_id);
  if (input.cursor !== undefined) {
    const [at, id] = decodeCursor(input.cursor, ['number', 'string']) as [number, string];
    q = q.where((e) => afterKey(e, 'c.created_at', 'c.id', [at, id]));
  }
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await q
    .select(['c.id', 'c.data_row_id', 'c.author_id', 'u.email', 'c.text', 'c.created_at'])
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(limit + 1)
    .execute();
  return pageFrom(
    rows,
    limit,
    (r) => [Number(r.created_at), r.id],
    (r) => ({
      id: r.id,
      dataRowId: r.data_row_id,
      authorId: r.author_id,
      authorEmail: r.email,
      text: r.text,
      createdAt: Number(r.created_at),
    }),
  );
}

/** A labeler's row: one they hold a live lease on, or have a label (or skip) of. */
async function requireLabelerRow(
  db: Db | Tx,
  actor: Actor,
  projectId: string,
  row: Pick<ProjectRow, 'data_row_id' | 'lease_user_id' | 'lease_expires_at'>,
  now: number,
): Promise<void> {
  if (row.lease_user_id === actor.userId && Number(row.lease_expires_at ?? 0) > now) return;
  const own = await db
    .selectFrom('labels')
    .where('project_id', '=', projectId)
    .where('data_row_id', '=', row.data_row_id)
    .where('created_by', '=', actor.userId)
    .select('id')
    .executeTakeFirst();
  if (!own) throw notFound('data row', row.data_row_id);
}
