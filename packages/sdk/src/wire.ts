/** zod schemas of the server's answers: the SDK checks what it receives instead of trusting it. */
import { ontologySchema as sharedOntologySchema } from '@prefer/schemas';
import { z } from 'zod';

export const streamInfoSchema = z.object({ total_bytes: z.number(), total_lines: z.number() });

export const taskSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.string().optional(),
  status: z.enum(['IN_PROGRESS', 'COMPLETE', 'FAILED']),
  created_at: z.string(),
  updated_at: z.string().optional(),
  completion_percentage: z.number().nullable().optional(),
  failure_reason: z.string().nullable().optional(),
  result: streamInfoSchema.nullable().optional(),
  errors: streamInfoSchema.nullable().optional(),
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

export const labelCountsSchema = z.object({
  ok: z.literal(true),
  counts: z.object({ labels: z.number(), annotations: z.number() }),
});

/** Tolerates `tools` (prefer sends none; a newer server might). */
export const ontologySchema = sharedOntologySchema.extend({
  normalized: sharedOntologySchema.shape.normalized.extend({ tools: z.array(z.unknown()) }),
});
export type OntologyWire = z.infer<typeof ontologySchema>;

export const migrationCountsSchema = z.object({
  ok: z.literal(true),
  counts: z.object({
    dataRows: z.number(),
    datasets: z.number(),
    projects: z.number(),
    batches: z.number(),
    labels: z.number(),
    reviews: z.number(),
    historyEntries: z.number(),
    attachments: z.number(),
    metadata: z.number(),
  }),
});
export type MigrationCounts = z.infer<typeof migrationCountsSchema>['counts'];
