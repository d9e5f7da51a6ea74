/**
 * The ontology of an import: a Labelbox ontology JSON given with the export, or the one rebuilt
 * from the labels. Both go through the ontologies capability's `parseOntology`, so the stored form
 * is the one every other service reads (featureSchemaIds kept; missing ones made).
 */
import type { NormalizedOntology } from '@prefer/schemas';
import { parseOntology } from '../ontologies/ontology.normalize.ts';
import type { Fault } from '../shared/errors.ts';

export type GivenOntology =
  | { ok: true; json: string; schemaIds: Set<string> }
  | { ok: false; faults: Fault[] };

export function readGivenOntology(value: unknown): GivenOntology {
  const parsed = parseOntology(value);
  if (!parsed.ok)
    return { ok: false, faults: parsed.faults.map((f) => ({ ...f, path: `ontology ${f.path}` })) };
  return { ok: true, json: JSON.stringify(parsed.ontology), schemaIds: schemaIdsOf(parsed.ontology) };
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

function schemaIdsOf(ontology: NormalizedOntology): Set<string> {
  const ids = new Set<string>();
  const visit = (list: NormalizedOntology['classifications']): void => {
    for (const c of list) {
      ids.add(c.featureSchemaId);
      for (const o of c.options) {
        ids.add(o.featureSchemaId);
        visit(o.options);
      }
    }
  };
  visit(ontology.classifications);
  return ids;
}
