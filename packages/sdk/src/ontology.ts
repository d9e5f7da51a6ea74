/** An ontology as the SDK sees it: the questions raters answer, normalized by the server. */
import { ontologySchema } from '@prefer/schemas';
import { z } from 'zod';

/**
 * The server's ontology answer, read tolerantly: `tools` may hold entries (prefer sends none; a
 * newer server might), which this SDK keeps without reading them.
 */
export const ontologyAnswerSchema = ontologySchema.extend({
  normalized: ontologySchema.shape.normalized.extend({ tools: z.array(z.unknown()) }),
});
type OntologyAnswer = z.infer<typeof ontologyAnswerSchema>;

/** A Labelbox ontology JSON: `{ tools: [], classifications: [...] }`. */
export interface OntologyInput {
  tools?: unknown[];
  classifications: Record<string, unknown>[];
}

export class Ontology {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Every classification and option with its featureSchemaId, defaults filled in. */
  readonly normalized: { tools: unknown[]; classifications: Record<string, unknown>[] };

  constructor(wire: OntologyAnswer) {
    this.id = wire.id;
    this.name = wire.name;
    this.createdAt = new Date(wire.created_at);
    this.updatedAt = new Date(wire.updated_at);
    this.normalized = wire.normalized;
  }

  /** The classifications (Labelbox's `ontology.classifications()`). */
  classifications(): Record<string, unknown>[] {
    return this.normalized.classifications;
  }
}
