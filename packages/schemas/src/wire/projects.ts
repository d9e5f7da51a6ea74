/** Answers of the project routes (`/projects`), shared by the server and the SDK. */
import { z } from 'zod';

/** A project with its counts: `GET /projects/:projectId`, a page item of `GET /projects`. */
export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  media_type: z.string(),
  ontology_id: z.string(),
  consensus_expected_label_count: z.number().int(),
  data_row_count: z.number().int(),
  last_activity_at: z.string().nullable(),
  /** The caller's role in the project (`admin` for the organization's admins). */
  role: z.enum(['admin', 'manager', 'reviewer', 'labeler']),
  /** The labelers' guideline (markdown); null when none was written. */
  instructions: z.string().nullable(),
  /** When it was archived (read-only, out of the queues); null while active. */
  archived_at: z.string().nullable(),
});
export type ProjectWire = z.infer<typeof projectSchema>;
