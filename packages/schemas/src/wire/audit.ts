/**
 * The audit log as `GET /audit` answers it (and `GET /audit/export` streams it, one entry a
 * line): one write by a person or key through the API, without any secret.
 */
import { z } from 'zod';

export const auditEntrySchema = z.object({
  id: z.string(),
  /** When the answer was made, export v2 form. */
  at: z.string(),
  actor_id: z.string(),
  actor_email: z.string(),
  /** `session` (a browser), `key` (an API key: REST or GraphQL) or `cli` (local mode on the database). */
  via: z.string(),
  /** The route's operationId in docs/openapi.json, e.g. `post_projects_projectId_label_imports`. */
  action: z.string(),
  method: z.string(),
  /** The route pattern (`/projects/:projectId/labels/:labelId`). */
  path: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  /** The body fields and query keys given, never their values. */
  summary: z.string(),
  /** The answer's HTTP status: refused attempts are entries too. */
  status: z.number().int(),
  /** The TCP peer address (the proxy's, behind one). */
  address: z.string(),
});
export type AuditEntryWire = z.infer<typeof auditEntrySchema>;
