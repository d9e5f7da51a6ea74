/** Answers of the data-lifecycle routes (delete, restore, erase), shared by the server and the SDK. */
import { z } from 'zod';

export const trashKindSchema = z.enum(['project', 'dataset', 'batch', 'data_row', 'label']);
export type TrashKindWire = z.infer<typeof trashKindSchema>;

/** `DELETE` of a project, dataset, batch, data row or label. */
export const deletionSchema = z.object({
  kind: trashKindSchema,
  id: z.string(),
  /** `deleted`: restorable until the purge (the retention window); `erased`: gone for good. */
  state: z.enum(['deleted', 'erased']),
  deleted_at: z.string(),
  /** Rows taken out of the live tables (labels, reviews, history, memberships, ...). */
  rows: z.number().int(),
});
export type DeletionWire = z.infer<typeof deletionSchema>;

/** `POST .../restore`. */
export const restorationSchema = z.object({
  kind: trashKindSchema,
  id: z.string(),
  restored: z.number().int(),
  /** Rows not put back: live again already, or their project, batch or dataset is gone. */
  skipped: z.number().int(),
});
export type RestorationWire = z.infer<typeof restorationSchema>;
