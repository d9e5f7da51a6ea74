/**
 * Answers of the label import and the Labelbox migration when everything was imported (the
 * data row import's is in data-rows.ts), shared by the server and the SDK.
 */
import { z } from 'zod';

/** `POST /projects/:projectId/label-imports`. */
export const labelImportSchema = z.object({
  ok: z.literal(true),
  counts: z.object({ labels: z.number().int(), annotations: z.number().int() }),
});

const count = z.number().int();

/** `POST /imports/labelbox-export`. */
export const labelboxImportSchema = z.object({
  ok: z.literal(true),
  counts: z.object({
    dataRows: count,
    datasets: count,
    projects: count,
    batches: count,
    labels: count,
    reviews: count,
    historyEntries: count,
    attachments: count,
    metadata: count,
  }),
});
export type LabelboxImportCounts = z.infer<typeof labelboxImportSchema>['counts'];
