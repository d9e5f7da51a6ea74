/** Answers of the batch routes (`/projects/:projectId/batches`), shared by the server and the SDK. */
import { z } from 'zod';

export const batchSchema = z.object({
  id: z.string(),
  name: z.string(),
  priority: z.number().int(),
  /** null: the project's count. */
  consensus_expected_label_count: z.number().int().nullable(),
  data_row_count: z.number().int(),
  created_at: z.string(),
  created_by: z.string(),
});
export type BatchWire = z.infer<typeof batchSchema>;
