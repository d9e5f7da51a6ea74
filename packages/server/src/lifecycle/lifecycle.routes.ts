/**
 * The data lifecycle over HTTP: edit (`PATCH`) projects, batches and datasets; archive and
 * unarchive projects; soft-delete (`DELETE`, `?erase=true` to erase at once: admins only) and
 * restore (`POST .../restore`) projects, datasets, batches, data rows and labels.
 */
import {
  batchSchema,
  type DeletionWire,
  datasetSchema,
  deletionSchema,
  projectSchema,
  restorationSchema,
} from '@prefer/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import { noteAudit } from '../audit/audit.record.ts';
import { editBatch } from '../batches/batch.edit.ts';
import { batchWire } from '../batches/batch.routes.ts';
import { getBatch } from '../batches/batch.service.ts';
import { editDataset } from '../datasets/dataset.edit.ts';
import { datasetParams, datasetWire } from '../datasets/dataset.routes.ts';
import { getDataset } from '../datasets/dataset.service.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { editProject, setArchived } from '../projects/project.edit.ts';
import { projectParams } from '../projects/project.routes.ts';
import { getProjectSummary } from '../projects/project.summary.ts';
import { formatV2 } from '../shared/time.ts';
import { type DeleteResult, deleteTarget, restoreTarget } from './lifecycle.service.ts';

const id = z.string().min(1).max(64);
const batchParams = z.object({ projectId: id, batchId: id });
const labelParams = z.object({ projectId: id, labelId: id });
const dataRowParams = z.object({ dataRowId: id });

const erase = z
  .enum(['true', 'false'])
  .optional()
  .describe('true: erase at once (organization admins only): nothing kept to restore, the erasure recorded');
const eraseQuery = z.strictObject({ erase });
const batchDeleteQuery = z.strictObject({
  labels: z
    .enum(['keep', 'delete'], {
      error: 'is required: "keep" or "delete" (the labels of the batch’s rows in this project)',
    })
    .describe(
      "Required: keep or delete the labels, reviews, comments and history of the batch's rows in this project",
    ),
  erase,
});

const deletedResponses = {
  200: { description: 'Deleted (restorable within the retention window) or erased', schema: deletionSchema },
  403: { description: 'erase=true by someone who is not an organization admin' },
};
const restoredResponses = {
  200: { description: 'Restored: the rows put back and those skipped', schema: restorationSchema },
  404: { description: 'Nothing of that id is in the trash (never deleted, restored, or purged)' },
  409: { description: 'A data row’s global key belongs to another row now, or its dataset is deleted' },
};

/** The answer of a delete; an erasure also marks its audit entry (never what was erased). */
function wire(c: Context, r: DeleteResult): DeletionWire {
  if (r.state === 'erased') noteAudit(c, `erased at once: ${r.rows} rows removed, nothing kept to restore`);
  return { kind: r.kind, id: r.id, state: r.state, deleted_at: formatV2(r.deletedAt), rows: r.rows };
}

const TAG = 'lifecycle';

export function lifecycleRoutes(api: ApiRouter): void {
  const { store } = api;
  // ---- projects
  api.route({
    method: 'patch',
    path: '/projects/:projectId',
    summary: 'Edit a project: name, description, instructions (markdown for labelers), consensus',
    tag: TAG,
    permission: 'project.settings',
    params: projectParams,
    body: z.strictObject({
      name: z.string().optional(),
      description: z.string().nullable().optional(),
      instructions: z.string().nullable().optional(),
      consensus_expected_label_count: z.number().optional(),
    }),
    responses: {
      200: { description: 'The project as changed', schema: projectSchema },
      409: { description: 'The project is archived' },
    },
    handler: async (c, { actor, params, body }) => {
      await editProject(store, actor, params.projectId, {
        name: body.name,
        description: body.description,
        instructions: body.instructions,
        consensusLabels: body.consensus_expected_label_count,
      });
      return c.json(await getProjectSummary(store, actor, params.projectId));
    },
  });
  for (const [verb, archived] of [
    ['archive', true],
    ['unarchive', false],
  ] as const) {
    api.route({
      method: 'post',
      path: `/projects/:projectId/${verb}`,
      summary: archived
        ? 'Archive a project: read-only, out of the queues and the labelers’ lists, still exportable'
        : 'Bring an archived project back',
      tag: TAG,
      permission: 'project.settings',
      archived: 'allow',
      params: projectParams,
      responses: { 200: { description: 'The project', schema: projectSchema } },
      handler: async (c, { actor, params }) => {
        await setArchived(store, actor, params.projectId, archived);
        return c.json(await getProjectSummary(store, actor, params.projectId));
      },
    });
  }
  api.route({
    method: 'delete',
    path: '/projects/:projectId',
    summary: 'Delete a project (restorable within the retention window; erase=true: at once, admins only)',
    tag: TAG,
    permission: 'project.delete',
    archived: 'allow',
    params: projectParams,
    query: eraseQuery,
    responses: deletedResponses,
    handler: async (c, { actor, params, query }) =>
      c.json(
        wire(
          c,
          await deleteTarget(store, actor, {
            kind: 'project',
            id: params.projectId,
            erase: query.erase === 'true',
          }),
        ),
      ),
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/restore',
    summary: 'Restore a deleted project',
    tag: TAG,
    permission: 'project.delete',
    deletedProject: true,
    archived: 'allow',
    params: projectParams,
    responses: restoredResponses,
    handler: async (c, { actor, params }) =>
      c.json(await restoreTarget(store, actor, { kind: 'project', id: params.projectId })),
  });
  // ---- batches
  api.route({
    method: 'patch',
    path: '/projects/:projectId/batches/:batchId',
    summary: 'Edit a batch: name, priority (its queued rows follow), consensus (null: the project’s)',
    tag: TAG,
    permission: 'batches.edit',
    params: batchParams,
    body: z.strictObject({
      name: z.string().optional(),
      priority: z.number().optional(),
      consensus_expected_label_count: z.number().nullable().optional(),
    }),
    responses: { 200: { description: 'The batch as changed', schema: batchSchema } },
    handler: async (c, { actor, params, body }) => {
      await editBatch(store, actor, params.projectId, params.batchId, {
        name: body.name,
        priority: body.priority,
        consensusLabels: body.consensus_expected_label_count,
      });
      return c.json(batchWire(await getBatch(store, actor, params.projectId, params.batchId)));
    },
  });
  api.route({
    method: 'delete',
    path: '/projects/:projectId/batches/:batchId',
    summary:
      'Delete a batch: its rows leave the project; labels=keep|delete says what becomes of their labels',
    tag: TAG,
    permission: 'batches.edit',
    params: batchParams,
    query: batchDeleteQuery,
    responses: deletedResponses,
    handler: async (c, { actor, params, query }) =>
      c.json(
        wire(
          c,
          await deleteTarget(store, actor, {
            kind: 'batch',
            id: params.batchId,
            projectId: params.projectId,
            labels: query.labels,
            erase: query.erase === 'true',
          }),
        ),
      ),
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/batches/:batchId/restore',
    summary: 'Restore a deleted batch (its rows come back to the project where they are not back already)',
    tag: TAG,
    permission: 'batches.edit',
    params: batchParams,
    responses: restoredResponses,
    handler: async (c, { actor, params }) =>
      c.json(
        await restoreTarget(store, actor, { kind: 'batch', id: params.batchId, projectId: params.projectId }),
      ),
  });
  // ---- labels
  api.route({
    method: 'delete',
    path: '/projects/:projectId/labels/:labelId',
    summary: 'Delete a label with its reviews (the row keeps its workflow status)',
    tag: TAG,
    permission: 'labels.delete',
    params: labelParams,
    query: eraseQuery,
    responses: deletedResponses,
    handler: async (c, { actor, params, query }) =>
      c.json(
        wire(
          c,
          await deleteTarget(store, actor, {
            kind: 'label',
            id: params.labelId,
            projectId: params.projectId,
            erase: query.erase === 'true',
          }),
        ),
      ),
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/labels/:labelId/restore',
    summary: 'Restore a deleted label with its reviews',
    tag: TAG,
    permission: 'labels.delete',
    params: labelParams,
    responses: restoredResponses,
    handler: async (c, { actor, params }) =>
      c.json(
        await restoreTarget(store, actor, { kind: 'label', id: params.labelId, projectId: params.projectId }),
      ),
  });
  // ---- datasets and data rows
  api.route({
    method: 'patch',
    path: '/datasets/:datasetId',
    summary: 'Edit a dataset: name, description',
    tag: TAG,
    permission: 'datasets.edit',
    params: datasetParams,
    body: z.strictObject({ name: z.string().optional(), description: z.string().nullable().optional() }),
    responses: { 200: { description: 'The dataset as changed', schema: datasetSchema } },
    handler: async (c, { actor, params, body }) => {
      await editDataset(store, actor, params.datasetId, body);
      return c.json(datasetWire(await getDataset(store, actor, params.datasetId)));
    },
  });
  api.route({
    method: 'delete',
    path: '/datasets/:datasetId',
    summary: 'Delete a dataset with its data rows (and their labels, in every project)',
    tag: TAG,
    permission: 'datasets.edit',
    params: datasetParams,
    query: eraseQuery,
    responses: deletedResponses,
    handler: async (c, { actor, params, query }) =>
      c.json(
        wire(
          c,
          await deleteTarget(store, actor, {
            kind: 'dataset',
            id: params.datasetId,
            erase: query.erase === 'true',
          }),
        ),
      ),
  });
  api.route({
    method: 'post',
    path: '/datasets/:datasetId/restore',
    summary: 'Restore a deleted dataset with its data rows',
    tag: TAG,
    permission: 'datasets.edit',
    params: datasetParams,
    responses: restoredResponses,
    handler: async (c, { actor, params }) =>
      c.json(await restoreTarget(store, actor, { kind: 'dataset', id: params.datasetId })),
  });
  api.route({
    method: 'delete',
    path: '/data-rows/:dataRowId',
    summary: 'Delete a data row with its labels, reviews, comments and history, in every project',
    tag: TAG,
    permission: 'datasets.edit',
    params: dataRowParams,
    query: eraseQuery,
    responses: deletedResponses,
    handler: async (c, { actor, params, query }) =>
      c.json(
        wire(
          c,
          await deleteTarget(store, actor, {
            kind: 'data_row',
            id: params.dataRowId,
            erase: query.erase === 'true',
          }),
        ),
      ),
  });
  api.route({
    method: 'post',
    path: '/data-rows/:dataRowId/restore',
    summary: 'Restore a deleted data row with its labels, in the projects that still exist',
    tag: TAG,
    permission: 'datasets.edit',
    params: dataRowParams,
    responses: restoredResponses,
    handler: async (c, { actor, params }) =>
      c.json(await restoreTarget(store, actor, { kind: 'data_row', id: params.dataRowId })),
  });
}
