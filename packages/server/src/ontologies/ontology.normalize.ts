/**
 * Validates a Labelbox ontology JSON and gives its stored form: defaults filled in (scope
 * `global`, `required` false, `instructions` = name, option `label` = value) and a featureSchemaId
 * on every classification and option that had none. Given ids are kept, so an ontology exported
 * from Labelbox keeps the ids its labels name.
 */
import {
  type NormalizedClassification,
  type NormalizedOntology,
  type NormalizedOption,
  Ontology,
  type OntologyClassificationInput,
  type OntologyOptionInput,
} from '@prefer/schemas';
import { zodFaults } from '../ingest/zod-faults.ts';
import type { Fault } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export type ParsedOntology = { ok: true; ontology: NormalizedOntology } | { ok: false; faults: Fault[] };

export function parseOntology(value: unknown, makeId: () => string = newId): ParsedOntology {
  const parsed = Ontology.safeParse(value);
  if (!parsed.success) return { ok: false, faults: zodFaults(parsed.error) };
  return {
    ok: true,
    ontology: {
      tools: [],
      classifications: parsed.data.classifications.map((c) => classification(c, makeId)),
    },
  };
}

function classification(c: OntologyClassificationInput, makeId: () => string): NormalizedClassification {
  return {
    featureSchemaId: c.featureSchemaId ?? makeId(),
    ...(c.schemaNodeId === undefined ? {} : { schemaNodeId: c.schemaNodeId }),
    type: c.type,
    name: c.name,
    instructions: c.instructions ?? c.name,
    required: c.required ?? false,
    scope: c.scope ?? 'global',
    options: (c.options ?? []).map((o) => option(o, makeId)),
  };
}

function option(o: OntologyOptionInput, makeId: () => string): NormalizedOption {
  return {
    featureSchemaId: o.featureSchemaId ?? makeId(),
    ...(o.schemaNodeId === undefined ? {} : { schemaNodeId: o.schemaNodeId }),
    value: o.value,
    label: o.label ?? o.value,
    options: (o.options ?? []).map((n) => classification(n, makeId)),
  };
}
