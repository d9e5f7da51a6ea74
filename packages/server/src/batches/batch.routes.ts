/** Batches: `POST /projects/:projectId/batches` (rows enter the queue), `GET /projects/:projectId/batches`. */
import { type BatchWire, batchSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { withFieldNames } from '../http/field-names.ts';
import { projectParams } from '../projects/project.routes.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import { BATCH_WIRE_NAMES, MAX_PRIORITY } from './batch.input.ts';
import { type BatchSummary, createBatch, getBatch, listBatchPage } from './batch.service.ts';

const createBody = z.strictObject({
  name: z.string(),
  /** Exactly one of data_row_ids, global_keys and dataset_id. */
  data_row_ids: z.array(z.string()).optional(),
  global_keys: z.array(z.string()).optional(),
  dataset_id: z.string().optional(),
  /** 1 (highest) to 5 (lowest, the default). */
  priority: z.number().optional(),
  /** Labels wanted per row of this batch, 1 to 10; default: the project's. */
  consensus_expected_label_count: z.number().optional(),
});

const FIELD_NAMES = BATCH_WIRE_NAMES;

export const batchWire = (b: BatchSummary): BatchWire => ({
  id: b.id,
  name: b.name,
  priority: b.priority,
  consensus_expected_label_count: b.consensusLabels,
  data_row_count: b.dataRows,
  created_at: formatV2(b.createdAt),
  created_by: b.createdBy,
});

export function batchRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/batches',
    summary: `Add data rows to the project's queue as a batch (priority 1 to ${MAX_PRIORITY})`,
    tag: 'batches',
    permission: 'project.batches',
    params: projectParams,
    body: createBody,
    responses: { 201: { description: 'The batch with its row count', schema: batchSchema } },
    handler: async (c, { actor, params, body }) => {
      const created = await withFieldNames(FIELD_NAMES, () =>
        createBatch(store, actor, {
          projectId: params.projectId,
          name: body.name,
          priority: body.priority,
          dataRowIds: body.data_row_ids,
          globalKeys: body.global_keys,
          datasetId: body.dataset_id,
          consensusLabels: body.consensus_expected_label_count,
        }),
      );
      return c.json(batchWire(await getBatch(store, actor, params.projectId, created.id)), 201);
    },
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/batches',
    summary: "List the project's batches, oldest first",
    tag: 'batches',
    permission: 'project.batches',
    params: projectParams,
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of batches', schema: pageOf(batchSchema) } },
    handler: async (c, { actor, params, query }) => {
      const page = await listBatchPage(store, actor, params.projectId, query);
      return c.json({ items: page.items.map(batchWire), nextCursor: page.nextCursor });
    },
  });
}
