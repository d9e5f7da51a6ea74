/**
 * A lookup over a project's normalized ontology (Labelbox ontology JSON, every node carrying its
 * featureSchemaId) for the V1 export: v2 annotations name checklist answers without their
 * schema id, and V1 wants titles and values as the ontology spells them.
 */
export interface OptionNode {
  featureSchemaId: string | null;
  value: string;
  title: string;
}

export interface ClassificationNode {
  featureSchemaId: string | null;
  /** V1 `title`: the instructions shown to labelers. */
  title: string;
  /** V1 `value`: the classification's name. */
  value: string;
  /** Options by value and by label, so an answer's `name` finds its option either way. */
  options: Map<string, OptionNode>;
}

export type OntologyIndex = Map<string, ClassificationNode>;

interface RawOption {
  value?: unknown;
  label?: unknown;
  featureSchemaId?: unknown;
  options?: unknown;
}
interface RawClassification {
  name?: unknown;
  instructions?: unknown;
  featureSchemaId?: unknown;
  options?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Classifications (nested ones included) by featureSchemaId. Unreadable JSON gives an empty index. */
export function indexOntology(normalized: string): OntologyIndex {
  const index: OntologyIndex = new Map();
  let root: { classifications?: unknown };
  try {
    root = JSON.parse(normalized) as { classifications?: unknown };
  } catch {
    return index;
  }
  const visit = (raw: RawClassification) => {
    const name = str(raw.name) ?? str(raw.instructions) ?? '';
    const node: ClassificationNode = {
      featureSchemaId: str(raw.featureSchemaId),
      title: str(raw.instructions) ?? name,
      value: name,
      options: new Map(),
    };
    for (const o of list(raw.options) as RawOption[]) {
      const value = str(o.value) ?? str(o.label) ?? '';
      const option: OptionNode = {
        featureSchemaId: str(o.featureSchemaId),
        value,
        title: str(o.label) ?? value,
      };
      node.options.set(value, option);
      if (!node.options.has(option.title)) node.options.set(option.title, option);
      for (const nested of list(o.options) as RawClassification[]) visit(nested);
    }
    if (node.featureSchemaId) index.set(node.featureSchemaId, node);
  };
  for (const c of list(root.classifications) as RawClassification[]) visit(c);
  return index;
}
