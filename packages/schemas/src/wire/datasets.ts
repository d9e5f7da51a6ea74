/** Answers of the dataset routes (`/datasets`), shared by the server and the SDK. */
import { z } from 'zod';

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  row_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  created_by: z.string(),
});
export type DatasetWire = z.infer<typeof datasetSchema>;
