/** zod schemas of the server's answers: the SDK checks what it receives instead of trusting it. */
import { type LabelboxImportCounts, ontologySchema as sharedOntologySchema } from '@prefer/schemas';
import { z } from 'zod';

export const streamInfoSchema = z.object({
  total_bytes: z.number(),
  total_lines: z.number(),
  sha256: z.string().nullable().optional(),
});

export const taskSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.string().optional(),
  project_id: z.string().optional(),
  status: z.enum(['IN_PROGRESS', 'COMPLETE', 'FAILED']),
  created_at: z.string(),
  updated_at: z.string().optional(),
  completion_percentage: z.number().nullable().optional(),
  failure_reason: z.string().nullable().optional(),
  result: streamInfoSchema.nullable().optional(),
  errors: streamInfoSchema.nullable().optional(),
  files_deleted: z.boolean().optional(),
});
export type TaskWire = z.infer<typeof taskSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

/** Tolerates `tools` (prefer sends none; a newer server might). */
export const ontologySchema = sharedOntologySchema.extend({
  normalized: sharedOntologySchema.shape.normalized.extend({ tools: z.array(z.unknown()) }),
});
export type OntologyWire = z.infer<typeof ontologySchema>;

/** What a Labelbox migration imported. */
export type MigrationCounts = LabelboxImportCounts;
