/** zod schemas of the server's answers: the SDK checks what it receives instead of trusting it. */
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

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  media_type: z.string(),
  ontology_id: z.string(),
  consensus_expected_label_count: z.number(),
  data_row_count: z.number(),
  last_activity_at: z.string().nullable(),
});
export type ProjectWire = z.infer<typeof projectSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
