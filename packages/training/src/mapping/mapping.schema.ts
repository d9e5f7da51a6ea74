/**
 * The mapping file (`--mapping FILE`): how a label's answers become a comparison. Every key is
 * optional; a missing one is inferred (mapping.infer.ts). Unknown keys are errors listing the
 * valid ones, so a typo never silently falls back to a default.
 */
import { z } from 'zod';
import { TrainingInputError } from '../errors.ts';
import type { Role } from '../types.ts';

function strict<T extends z.ZodRawShape>(shape: T) {
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; valid keys: ${valid}`
        : undefined,
  });
}

const name = z.string().min(1, 'must not be empty');

export const MappingFileSchema = strict({
  /** The radio question whose answer is the preference. */
  preference: name.optional(),
  /** Preference option -> the model output title it means. Default: options equal to a title. */
  options: z.record(z.string(), name).optional(),
  /** Options meaning "tie" (both equally good) and "both bad". */
  tie: z.array(name).optional(),
  both_bad: z.array(name).optional(),
  /** An optional radio question saying how much better, with a number per option. */
  strength: strict({ question: name, values: z.record(z.string(), z.number().finite()) })
    .nullable()
    .optional(),
  /** The rubric checklist and the reason text question; null means none. */
  rubric: name.nullable().optional(),
  reason: name.nullable().optional(),
  /** Message role by `user.userId`, when the derivation from `align` is wrong for your data. */
  roles: z.record(z.string(), z.enum(['system', 'user', 'assistant'])).optional(),
});

export type MappingFile = z.infer<typeof MappingFileSchema>;

/** A mapping with every choice made. */
export interface Mapping {
  preference: string;
  options: Record<string, string>;
  tie: string[];
  both_bad: string[];
  strength: { question: string; values: Record<string, number> } | null;
  rubric: string | null;
  reason: string | null;
  roles: Record<string, Role>;
}

/** Validates a mapping file's text; errors name the file and the path of each problem. */
export function parseMappingFile(text: string, source: string): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TrainingInputError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = MappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${source}: ${i.path.join('.') || '(top level)'}: ${i.message}`,
    );
    throw new TrainingInputError(lines.join('\n'));
  }
  return parsed.data;
}
