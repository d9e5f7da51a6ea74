/**
 * Answers of the label import and the Labelbox migration when everything was imported (the
 * data row import's is in data-rows.ts), shared by the server and the SDK.
 */
import { z } from 'zod';

/** `POST /projects/:projectId/label-imports`. */
export const labelImportSchema = z.object({
  ok: z.literal(true),
  /** True when the labels were imported as pre-labels (`?pre_labels=true`). */
  pre_labels: z.boolean(),
  counts: z.object({
    /** Labels (or pre-labels) written. */
    labels: z.number().int(),
    annotations: z.number().int(),
    /** Labels of the file already imported (same labelExternalId, or same answers by the same labeler on the row): not imported again. */
    skipped: z.number().int(),
  }),
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
