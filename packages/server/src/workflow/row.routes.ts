/** Routes on a project's data rows in the workflow: bulk moves (managers) and comments. */
import { commentSchema, moveResultSchema } from '@prefer/schemas';
import type { ApiRouter } from '../http/api-router.ts';
import { withFieldNames } from '../http/field-names.ts';
import { AppError } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import type { TaskKind, WorkflowStatus } from '../store/schema.ts';
import { addComment, type Comment, listComments } from './comment.service.ts';
import { moveRows } from './move.service.ts';
import {
  commentBody,
  commentPageSchema,
  commentsQuery,
  moveBody,
  projectParams,
  rowParams,
} from './workflow.schemas.ts';

const KIND_OF_STATUS: Record<WorkflowStatus, TaskKind> = {
  TO_LABEL: 'LABEL',
  IN_REVIEW: 'REVIEW',
  IN_REWORK: 'REWORK',
  DONE: 'DONE',
};

export function rowRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/moves',
    summary:
      'Move up to 2,000 rows into a workflow task (by to_status or to_task), each with a Move history entry; all or nothing',
    tag: 'workflow',
    permission: 'rows.move',
    params: projectParams,
    body: moveBody,
    responses: {
      200: {
        description: 'How many rows moved and how many were in that task already',
        schema: moveResultSchema,
      },
      404: { description: 'Some data row is not in the project (each listed in details)' },
    },
    handler: async (c, { actor, params, body }) => {
      if ((body.to_status === undefined) === (body.to_task === undefined)) {
        throw new AppError('BAD_REQUEST', 'give exactly one of to_status and to_task');
      }
      const to = body.to_task === undefined ? KIND_OF_STATUS[body.to_status!] : { taskId: body.to_task };
      return c.json(
        await withFieldNames({ dataRowIds: 'data_row_ids' }, () =>
          moveRows(store, actor, { projectId: params.projectId, dataRowIds: body.data_row_ids, to }),
        ),
      );
    },
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/data-rows/:dataRowId/comments',
    summary: "A data row's comments in the project, oldest first (a labeler: rows they hold or labeled)",
    tag: 'workflow',
    permission: 'comments.write',
    params: rowParams,
    query: commentsQuery,
    responses: { 200: { description: 'A page of comments', schema: commentPageSchema } },
    handler: async (c, { actor, access, params, query }) => {
      const page = await listComments(store, actor, { ...params, role: access!.role, ...query });
      return c.json({ items: page.items.map(commentWire), nextCursor: page.nextCursor });
    },
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/data-rows/:dataRowId/comments',
    summary:
      'Comment on a data row (plain text, never rendered as HTML; a labeler: rows they hold or labeled)',
    tag: 'workflow',
    permission: 'comments.write',
    params: rowParams,
    body: commentBody,
    responses: { 201: { description: 'The comment', schema: commentSchema } },
    handler: async (c, { actor, access, params, body }) =>
      c.json(
        commentWire(await addComment(store, actor, { ...params, text: body.text, role: access!.role })),
        201,
      ),
  });
}

export function commentWire(x: Comment) {
  return {
    id: x.id,
    data_row_id: x.dataRowId,
    author_id: x.authorId,
    author_email: x.authorEmail,
    text: x.text,
    created_at: formatV2(x.createdAt),
  };
}
