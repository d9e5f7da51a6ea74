/**
 * An ontology indexed for lookups while validating or rendering answers: questions by name and by
 * featureSchemaId at each level, options by value, label or featureSchemaId, and every node by
 * featureSchemaId. Pure; built once per import or export.
 */
import type {
  ClassificationScope,
  ClassificationType,
  MessageToolType,
  NormalizedClassification,
  NormalizedOntology,
  NormalizedOption,
  NormalizedTool,
} from '@prefer/schemas';

export interface IndexedOption {
  featureSchemaId: string;
  value: string;
  label: string;
  /** The answer's `name` in exports: the label if set, else the value. */
  exportName: string;
  classifications: ClassificationLookup;
}

export interface IndexedClassification {
  featureSchemaId: string;
  type: ClassificationType;
  name: string;
  scope: ClassificationScope;
  required: boolean;
  options: readonly IndexedOption[];
  /** Options by value and by label. */
  optionByName: ReadonlyMap<string, IndexedOption>;
  optionById: ReadonlyMap<string, IndexedOption>;
}

/** The questions of one level: the top of the ontology, or those nested in one option. */
export interface ClassificationLookup {
  list: readonly IndexedClassification[];
  byName: ReadonlyMap<string, IndexedClassification>;
  byId: ReadonlyMap<string, IndexedClassification>;
}

export type IndexedNode =
  | { kind: 'classification'; node: IndexedClassification }
  | { kind: 'option'; node: IndexedOption; parent: IndexedClassification };

/** A message tool of a multimodal chat evaluation ontology. */
export interface IndexedTool {
  featureSchemaId: string;
  tool: MessageToolType;
  name: string;
  required: boolean;
}

export interface ToolLookup {
  list: readonly IndexedTool[];
  byName: ReadonlyMap<string, IndexedTool>;
  byId: ReadonlyMap<string, IndexedTool>;
}

export interface OntologyIndex {
  classifications: ClassificationLookup;
  /** The message tools (none in a v1 ontology). */
  tools: ToolLookup;
  /** Every node of the tree, at any depth. */
  byFeatureSchemaId: ReadonlyMap<string, IndexedNode>;
}

export function indexOntology(ontology: NormalizedOntology): OntologyIndex {
  const all = new Map<string, IndexedNode>();
  const tools: IndexedTool[] = ontology.tools.map((t) => ({
    featureSchemaId: t.featureSchemaId,
    tool: t.tool,
    name: t.name,
    required: t.required,
  }));
  return {
    classifications: level(ontology.classifications, all),
    tools: {
      list: tools,
      byName: new Map(tools.map((t) => [t.name, t])),
      byId: new Map(tools.map((t) => [t.featureSchemaId, t])),
    },
    byFeatureSchemaId: all,
  };
}

/** Finds a question of a level by `name` or `schemaId` (featureSchemaId). */
export function findClassification(
  lookup: ClassificationLookup,
  ref: { name?: string | undefined; schemaId?: string | undefined },
): IndexedClassification | undefined {
  return ref.schemaId !== undefined ? lookup.byId.get(ref.schemaId) : lookup.byName.get(ref.name ?? '');
}

/** Finds an option by `name` (its value or label) or `schemaId`. */
export function findOption(
  c: IndexedClassification,
  ref: { name?: string | undefined; schemaId?: string | undefined },
): IndexedOption | undefined {
  return ref.schemaId !== undefined ? c.optionById.get(ref.schemaId) : c.optionByName.get(ref.name ?? '');
}

/**
 * Reads a stored ontology leniently: ontologies written by the Labelbox migration are kept as
 * given, so defaults (scope, label, value, options) are filled here rather than assumed.
 */
export function readStoredOntology(json: string): NormalizedOntology {
  const raw = JSON.parse(json) as { tools?: unknown[]; classifications?: unknown[] };
  return {
    tools: (raw.tools ?? []).map(storedTool),
    classifications: (raw.classifications ?? []).map(storedClassification),
  };
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function storedClassification(value: unknown): NormalizedClassification {
  const c = value as Loose;
  const name = str(c.name) ?? '';
  return {
    featureSchemaId: str(c.featureSchemaId) ?? '',
    ...(str(c.schemaNodeId) === undefined ? {} : { schemaNodeId: str(c.schemaNodeId)! }),
    type: c.type as ClassificationType,
    name,
    instructions: str(c.instructions) ?? name,
    required: c.required === true,
    scope: c.scope === 'index' ? 'index' : 'global',
    options: ((c.options as unknown[] | undefined) ?? []).map(storedOption),
  };
}

function storedTool(value: unknown): NormalizedTool {
  const t = value as Loose;
  return {
    featureSchemaId: str(t.featureSchemaId) ?? '',
    ...(str(t.schemaNodeId) === undefined ? {} : { schemaNodeId: str(t.schemaNodeId)! }),
    tool: t.tool as MessageToolType,
    name: str(t.name) ?? '',
    required: t.required === true,
    color: str(t.color) ?? '#000000',
    classifications: ((t.classifications as unknown[] | undefined) ?? []).map(storedClassification),
  };
}

function storedOption(value: unknown): NormalizedOption {
  const o = value as Loose;
  const label = str(o.label) ?? str(o.value) ?? '';
  return {
    featureSchemaId: str(o.featureSchemaId) ?? '',
    ...(str(o.schemaNodeId) === undefined ? {} : { schemaNodeId: str(o.schemaNodeId)! }),
    value: str(o.value) ?? label,
    label,
    options: ((o.options as unknown[] | undefined) ?? []).map(storedClassification),
  };
}

function level(
  list: readonly NormalizedClassification[],
  all: Map<string, IndexedNode>,
): ClassificationLookup {
  const out: IndexedClassification[] = [];
  const byName = new Map<string, IndexedClassification>();
  const byId = new Map<string, IndexedClassification>();
  for (const c of list) {
    const options: IndexedOption[] = [];
    const optionByName = new Map<string, IndexedOption>();
    const optionById = new Map<string, IndexedOption>();
    const node: IndexedClassification = {
      featureSchemaId: c.featureSchemaId,
      type: c.type,
      name: c.name,
      scope: c.scope,
      required: c.required,
      options,
      optionByName,
      optionById,
    };
    for (const o of c.options) {
      const option: IndexedOption = {
        featureSchemaId: o.featureSchemaId,
        value: o.value,
        label: o.label,
        exportName: o.label || o.value,
        classifications: level(o.options, all),
      };
      options.push(option);
      // The first option claiming a name wins; validated ontologies never have two.
      if (!optionByName.has(o.value)) optionByName.set(o.value, option);
      if (!optionByName.has(o.label)) optionByName.set(o.label, option);
      optionById.set(o.featureSchemaId, option);
      all.set(o.featureSchemaId, { kind: 'option', node: option, parent: node });
    }
    out.push(node);
    if (!byName.has(c.name)) byName.set(c.name, node);
    byId.set(c.featureSchemaId, node);
    all.set(c.featureSchemaId, { kind: 'classification', node });
  }
  return { list: out, byName, byId };
}
