/**
 * The ontology of an import: a Labelbox ontology JSON given with the export, or the one rebuilt
 * from the labels. Both go through the ontologies capability's `parseOntology`, so the stored form
 * is the one every other service reads (featureSchemaIds kept; missing ones made).
 */
import { type ClassificationLookup, indexOntology } from '../ontologies/ontology.index.ts';
import { parseOntology } from '../ontologies/ontology.normalize.ts';
import type { Fault } from '../shared/errors.ts';

export type GivenOntology =
  | { ok: true; json: string; questions: ClassificationLookup }
  | { ok: false; faults: Fault[] };

export function readGivenOntology(value: unknown): GivenOntology {
  const parsed = parseOntology(value);
  if (!parsed.ok)
    return { ok: false, faults: parsed.faults.map((f) => ({ ...f, path: `ontology ${f.path}` })) };
  return {
    ok: true,
    json: JSON.stringify(parsed.ontology),
    questions: indexOntology(parsed.ontology).classifications,
  };
}

/** Validates a rebuilt ontology; its faults name the ontology, since no single line caused them. */
export function checkRebuiltOntology(json: string, ontologyId: string): Fault[] {
  const parsed = parseOntology(JSON.parse(json));
  if (parsed.ok) return [];
  return parsed.faults.map((f) => ({
    path: `ontology ${ontologyId} ${f.path}`,
    message: `${f.message} (in the ontology rebuilt from the labels; pass the project's ontology JSON instead)`,
  }));
}
