/** Answers of the data row routes (import, list, read), shared by the server and the SDK. */
import { z } from 'zod';

/** A data row as listed: `GET /datasets/:datasetId/data-rows`. */
export const dataRowSchema = z.object({
  id: z.string(),
  dataset_id: z.string(),
  global_key: z.string().nullable(),
  external_id: z.string().nullable(),
  row_data: z.string(),
  media_type: z.string(),
  mime_type: z.string(),
  labelable_ids: z.array(z.string()),
  message_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  last_activity_at: z.string(),
});
export type DataRowWire = z.infer<typeof dataRowSchema>;

/** `GET /data-rows/:dataRowId`: with its attachments and metadata. */
export const dataRowDetailSchema = dataRowSchema.extend({
  attachments: z.array(
    z.object({ id: z.string(), type: z.string(), value: z.string(), name: z.string().nullable() }),
  ),
  metadata_fields: z.array(
    z.object({ schema_id: z.string(), schema_name: z.string(), value: z.union([z.string(), z.number()]) }),
  ),
});
export type DataRowDetailWire = z.infer<typeof dataRowDetailSchema>;

/** `POST /datasets/:datasetId/data-rows` when everything was imported. */
export const dataRowImportSchema = z.object({
  ok: z.literal(true),
  counts: z.object({
    dataRows: z.number().int(),
    attachments: z.number().int(),
    metadata: z.number().int(),
    embeddings: z.number().int(),
  }),
});
