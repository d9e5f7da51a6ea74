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
  type NormalizedTool,
  Ontology,
  type OntologyClassificationInput,
  type OntologyOptionInput,
  type OntologyToolInput,
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
      tools: (parsed.data.tools ?? []).map((t, i, all) => tool(t, i, all.length, makeId)),
      classifications: parsed.data.classifications.map((c) => classification(c, makeId)),
    },
  };
}

function classification(c: OntologyClassificationInput, makeId: () => string): NormalizedClassification {
  return {
    featureSchemaId: c.featureSchemaId ?? makeId(),
    ...(c.schemaNodeId == null ? {} : { schemaNodeId: c.schemaNodeId }),
    type: c.type,
    name: c.name,
    instructions: c.instructions ?? c.name,
    required: c.required ?? false,
    scope: c.scope ?? 'global',
    options: (c.options ?? []).map((o) => option(o, makeId)),
  };
}

/**
 * A message tool: the SDK's `OntologyBuilder` colours tools by evenly spaced hues, so a tool sent
 * without a colour gets the one the SDK would have given it.
 */
function tool(t: OntologyToolInput, index: number, count: number, makeId: () => string): NormalizedTool {
  return {
    featureSchemaId: t.featureSchemaId ?? makeId(),
    ...(t.schemaNodeId == null ? {} : { schemaNodeId: t.schemaNodeId }),
    tool: t.tool,
    name: t.name,
    required: t.required ?? false,
    color: t.color ?? hueColor(index, count),
    classifications: (t.classifications ?? []).map((c) => ({
      ...classification(c, makeId),
      scope: 'global' as const,
    })),
  };
}

/** `#rrggbb` of hue index/count at full saturation and value (colorsys.hsv_to_rgb, as the SDK). */
export function hueColor(index: number, count: number): string {
  const h = (index / Math.max(count, 1)) * 6;
  const i = Math.floor(h) % 6;
  const f = h - Math.floor(h);
  const [r, g, b] = [
    [1, f, 0],
    [1 - f, 1, 0],
    [0, 1, f],
    [0, 1 - f, 1],
    [f, 0, 1],
    [1, 0, 1 - f],
  ][i]!;
  const hex = (v: number) =>
    Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(r!)}${hex(g!)}${hex(b!)}`;
}

function option(o: OntologyOptionInput, makeId: () => string): NormalizedOption {
  return {
    featureSchemaId: o.featureSchemaId ?? makeId(),
    ...(o.schemaNodeId == null ? {} : { schemaNodeId: o.schemaNodeId }),
    value: o.value,
    label: o.label ?? o.value,
    options: (o.options ?? []).map((n) => classification(n, makeId)),
  };
}
