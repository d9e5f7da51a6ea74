/**
 * Label imports: `POST /projects/:projectId/label-imports`, the annotation-import NDJSON itself
 * as the body, streamed into the all-or-nothing importer (labels.import.ts).
 */
import { labelImportSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { withFieldNames } from '../http/field-names.ts';
import { importedOrFail, importFaultsSchema, ndjsonUpload, uploadStream } from '../http/upload-body.ts';
import { projectParams } from '../projects/project.routes.ts';
import { importLabels, LABEL_IMPORT_WIRE_NAMES } from './label.import.ts';

export function labelRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/label-imports',
    summary:
      'Import labels or pre-labels (Labelbox annotation-import NDJSON); all or nothing; labels already imported are skipped',
    tag: 'labels',
    permission: 'labels.import',
    params: projectParams,
    query: z.strictObject({
      /** The user the labels are credited to (an existing user of the organization); default: the caller. */
      as_email: z.string().max(320).optional(),
      /** `true`: import model-assisted pre-labels (a starting point in the editor), not labels. */
      pre_labels: z.enum(['true', 'false']).optional(),
    }),
    rawBody: ndjsonUpload('Annotations, one per line; the lines of one data row become one label'),
    responses: {
      200: {
        description: 'Everything was imported: the counts',
        schema: labelImportSchema,
      },
      422: { description: 'Nothing was imported: every fault by line and field', schema: importFaultsSchema },
    },
    handler: async (c, { actor, params, query }) => {
      const result = await withFieldNames(LABEL_IMPORT_WIRE_NAMES, () =>
        importLabels(store, actor, {
          projectId: params.projectId,
          asEmail: query.as_email ?? actor.email,
          input: uploadStream(c),
          existingUserOnly: true,
          preLabels: query.pre_labels === 'true',
        }),
      );
      return c.json({
        ok: true as const,
        pre_labels: query.pre_labels === 'true',
        counts: importedOrFail(result),
      });
    },
  });
}
