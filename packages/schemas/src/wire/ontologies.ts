/** Answers of the ontology routes (`/ontologies`), shared by the server and the SDK. */
import { z } from 'zod';

export const ontologySchema = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Every classification and option with its featureSchemaId, defaults filled in. */
  normalized: z.object({ tools: z.array(z.looseObject({})), classifications: z.array(z.looseObject({})) }),
});
export type OntologyWire = z.infer<typeof ontologySchema>;
