/** Comments on a data row inside a project; a comment counts as the row's activity. */
import { touchActivity } from '../data-rows/activity.ts';
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Store } from '../store/store.ts';
import { invalid } from './submit.input.ts';
import { lockProjectRow } from './workflow.rows.ts';

export const MAX_COMMENT_LENGTH = 10_000;

export interface AddCommentInput {
  projectId: string;
  dataRowId: string;
  /** 1 to 10,000 characters, not only blanks; kept as written. */
  text: string;
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

/** The row's comments in the project, oldest first. */
export async function listComments(
  store: Store,
  actor: Actor,
  input: { projectId: string; dataRowId: string },
): Promise<Comment[]> {
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  const member = await store.db
    .selectFrom('project_data_rows')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', project.id)
    .where('data_row_id', '=', input.dataRowId)
    .select('data_row_id')
    .executeTakeFirst();
  if (!member) throw notFound('data row', input.dataRowId);
  const rows = await store.db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .where('c.org_id', '=', actor.orgId)
    .where('c.project_id', '=', project.id)
    .where('c.data_row_id', '=', member.data_row_id)
    .select(['c.id', 'c.data_row_id', 'c.author_id', 'u.email', 'c.text', 'c.created_at'])
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    dataRowId: r.data_row_id,
    authorId: r.author_id,
    authorEmail: r.email,
    text: r.text,
    createdAt: r.created_at,
  }));
}
