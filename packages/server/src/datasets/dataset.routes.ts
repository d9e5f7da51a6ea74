/** Datasets: `POST /datasets`, `GET /datasets` (cursor paged), `GET /datasets/:datasetId`. */
import { type Dataset, type DatasetWire, datasetSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import { createDataset, getDataset, listDatasetPage } from './dataset.service.ts';

export const datasetParams = z.object({ datasetId: z.string().min(1).max(64) });

const createBody = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
});

export const datasetWire = (d: Dataset): DatasetWire => ({
  id: d.id,
  name: d.name,
  description: d.description,
  row_count: d.rowCount,
  created_at: formatV2(d.createdAt),
  updated_at: formatV2(d.updatedAt),
  created_by: d.createdBy,
});

export function datasetRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/datasets',
    summary: 'Create a dataset',
    tag: 'datasets',
    permission: 'datasets.write',
    body: createBody,
    responses: { 201: { description: 'The dataset (no rows yet)', schema: datasetSchema } },
    handler: async (c, { actor, body }) => {
      const created = await createDataset(store, actor, body);
      return c.json(datasetWire(await getDataset(store, actor, created.id)), 201);
    },
  });
  api.route({
    method: 'get',
    path: '/datasets',
    summary: "List the organization's datasets, oldest first",
    tag: 'datasets',
    permission: 'datasets.read',
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of datasets', schema: pageOf(datasetSchema) } },
    handler: async (c, { actor, query }) => {
      const page = await listDatasetPage(store, actor, query);
      return c.json({ items: page.items.map(datasetWire), nextCursor: page.nextCursor });
    },
  });
  api.route({
    method: 'get',
    path: '/datasets/:datasetId',
    summary: 'Get a dataset with its row count',
    tag: 'datasets',
    permission: 'datasets.read',
    params: datasetParams,
    responses: { 200: { description: 'The dataset', schema: datasetSchema } },
    handler: async (c, { actor, params }) =>
      c.json(datasetWire(await getDataset(store, actor, params.datasetId))),
  });
}
