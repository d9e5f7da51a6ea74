/**
 * Data rows: `POST /datasets/:datasetId/data-rows` (the NDJSON file itself as the body, streamed
 * into the all-or-nothing importer), `GET /datasets/:datasetId/data-rows` (cursor paged) and
 * `GET /data-rows/:dataRowId` (with attachments and metadata).
 */
import { dataRowDetailSchema, dataRowImportSchema, dataRowSchema } from '@prefer/schemas';
import { z } from 'zod';
import { datasetParams } from '../datasets/dataset.routes.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { importedOrFail, importFaultsSchema, ndjsonUpload, uploadStream } from '../http/upload-body.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { importDataRows } from './data-row.import.ts';
import { getDataRow, listDataRowPage } from './data-row.read.ts';

export function dataRowRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/datasets/:datasetId/data-rows',
    summary: 'Import data rows into a dataset; all or nothing',
    tag: 'data-rows',
    permission: 'datasets.write',
    params: datasetParams,
    rawBody: ndjsonUpload('Data row specs, one per line'),
    responses: {
      200: {
        description: 'Everything was imported: the counts',
        schema: dataRowImportSchema,
      },
      422: { description: 'Nothing was imported: every fault by line and field', schema: importFaultsSchema },
    },
    handler: async (c, { actor, params }) => {
      const result = await importDataRows(store, actor, {
        datasetId: params.datasetId,
        input: uploadStream(c),
      });
      return c.json({ ok: true as const, counts: importedOrFail(result) });
    },
  });
  api.route({
    method: 'get',
    path: '/datasets/:datasetId/data-rows',
    summary: "List a dataset's data rows in id order",
    tag: 'data-rows',
    permission: 'datasets.read',
    params: datasetParams,
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of data rows', schema: pageOf(dataRowSchema) } },
    handler: async (c, { actor, params, query }) =>
      c.json(await listDataRowPage(store, actor, params.datasetId, query)),
  });
  api.route({
    method: 'get',
    path: '/data-rows/:dataRowId',
    summary: 'Get a data row with its attachments and metadata',
    tag: 'data-rows',
    permission: 'datasets.read',
    params: z.object({ dataRowId: z.string().min(1).max(64) }),
    responses: { 200: { description: 'The data row', schema: dataRowDetailSchema } },
    handler: async (c, { actor, params }) => c.json(await getDataRow(store, actor, params.dataRowId)),
  });
}
