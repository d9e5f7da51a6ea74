/**
 * `POST /imports/labelbox-export`: a Labelbox export v2 file as the body, migrated keeping its
 * ids, all or nothing (labelbox-export.import.ts). Organization admins only: it creates
 * projects, datasets and the users its labels name. The ontology is rebuilt from the labels; a
 * Labelbox ontology JSON can be given only to the CLI's local mode (`--ontology`).
 */
import { labelboxImportSchema } from '@prefer/schemas';
import type { ApiRouter } from '../http/api-router.ts';
import { importedOrFail, importFaultsSchema, ndjsonUpload, uploadStream } from '../http/upload-body.ts';
import { importLabelboxExport } from './labelbox-export.import.ts';

export function migrationRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/imports/labelbox-export',
    summary: 'Migrate a Labelbox export v2 file, keeping its ids; all or nothing',
    tag: 'imports',
    permission: 'migration.import',
    rawBody: ndjsonUpload('Export v2 rows, one per line'),
    responses: {
      200: {
        description: 'Everything was imported: the counts',
        schema: labelboxImportSchema,
      },
      422: { description: 'Nothing was imported: every fault by line and field', schema: importFaultsSchema },
    },
    handler: async (c, { actor }) => {
      const result = await importLabelboxExport(store, actor, { input: uploadStream(c) });
      return c.json({ ok: true as const, counts: importedOrFail(result) });
    },
  });
}
