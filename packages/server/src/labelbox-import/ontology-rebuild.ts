/**
 * Rebuilds an ontology from the classifications seen in exported labels, when no ontology JSON
 * is given: every node keeps the feature_schema_id the export names. Checklist answers carry no
 * feature_schema_id in export v2, so their options get new ids (keyed by answer name).
 * The same walk also validates the answer shapes, so a label that could not be exported back
 * the same way is refused.
 */
import { newId } from '../shared/ids.ts';
import { describe, isObject, type Json } from './field-reader.ts';

type Kind = 'radio' | 'checklist' | 'text';

interface ClassNode {
  featureSchemaId: string;
  type: Kind;
  name: string;
  scope: 'global' | 'index';
  options: Map<string, OptionNode>;
}

interface OptionNode {
  featureSchemaId: string;
  name: string;
  classifications: Map<string, ClassNode>;
}

/** Answer keys of export v2, global and message-scoped. */
export const ANSWER_KEYS: Record<string, { type: Kind; scope: 'global' | 'index' }> = {
  radio_answer: { type: 'radio', scope: 'global' },
  checklist_answers: { type: 'checklist', scope: 'global' },
  text_answer: { type: 'text', scope: 'global' },
  conversational_radio_answer: { type: 'radio', scope: 'index' },
  conversational_checklist_answers: { type: 'checklist', scope: 'index' },
  conversational_text_answer: { type: 'text', scope: 'index' },
};

/** Lists a fault; answers false so a walk can `return report(...)`. */
export type Report = (path: string, message: string) => false;

export class OntologyBuilder {
  private readonly root = new Map<string, ClassNode>();

  /** Walks a label's `annotations.classifications`, adding what it names and reporting bad shapes. */
  add(classifications: readonly unknown[], path: string, report: Report): void {
    this.walk(this.root, classifications, path, report, true);
  }

  private walk(
    into: Map<string, ClassNode>,
    list: readonly unknown[],
    path: string,
    report: Report,
    top: boolean,
  ): void {
    for (const [i, item] of list.entries()) this.item(into, item, `${path}[${i}]`, report, top);
  }

  private item(
    into: Map<string, ClassNode>,
    item: unknown,
    p: string,
    report: Report,
    top: boolean,
  ): boolean {
    if (!isObject(item)) return report(p, `expected a classification object, got ${describe(item)}`);
    const schemaId = item.feature_schema_id;
    const name = item.name;
    if (typeof schemaId !== 'string' || schemaId === '')
      return report(`${p}.feature_schema_id`, 'expected a string');
    if (typeof name !== 'string' || name === '') return report(`${p}.name`, 'expected a string');
    if (typeof item.feature_id !== 'string') report(`${p}.feature_id`, 'expected a string');
    const keys = Object.keys(item).filter((k) => k in ANSWER_KEYS);
    const key = keys[0];
    const shape = key === undefined ? undefined : ANSWER_KEYS[key];
    if (key === undefined || !shape || keys.length > 1) {
      return report(p, `expected exactly one answer key of ${Object.keys(ANSWER_KEYS).join(', ')}`);
    }
    if (shape.scope === 'index' && (!top || typeof item.message_id !== 'string')) {
      return report(`${p}.message_id`, 'a message-scoped answer needs a message_id (and cannot be nested)');
    }
    let node = into.get(schemaId);
    if (!node) {
      node = { featureSchemaId: schemaId, type: shape.type, name, scope: shape.scope, options: new Map() };
      into.set(schemaId, node);
    } else if (node.type !== shape.type || node.scope !== shape.scope) {
      return report(
        `${p}.${key}`,
        `feature schema ${schemaId} is used as a ${node.scope} ${node.type} elsewhere`,
      );
    }
    return this.answer(node, item[key], `${p}.${key}`, report);
  }

  private answer(node: ClassNode, value: unknown, p: string, report: Report): boolean {
    if (node.type === 'text') {
      if (!isObject(value) || typeof value.content !== 'string')
        return report(`${p}.content`, 'expected a string');
      return true;
    }
    if (node.type === 'radio') {
      if (!isObject(value)) return report(p, `expected an object, got ${describe(value)}`);
      return this.option(node, value, p, report, true);
    }
    if (!Array.isArray(value)) return report(p, `expected a list, got ${describe(value)}`);
    for (const [i, a] of value.entries()) {
      if (!isObject(a)) report(`${p}[${i}]`, `expected an object, got ${describe(a)}`);
      else this.option(node, a, `${p}[${i}]`, report, false);
    }
    return true;
  }

  private option(node: ClassNode, a: Json, p: string, report: Report, needsSchemaId: boolean): boolean {
    const name = a.name;
    if (typeof name !== 'string' || name === '') return report(`${p}.name`, 'expected a string');
    if (typeof a.feature_id !== 'string') report(`${p}.feature_id`, 'expected a string');
    const schemaId = typeof a.feature_schema_id === 'string' ? a.feature_schema_id : undefined;
    if (needsSchemaId && !schemaId) return report(`${p}.feature_schema_id`, 'expected a string');
    const key = schemaId ?? `name:${name}`;
    let option = node.options.get(key);
    if (!option) {
      option = { featureSchemaId: schemaId ?? newId(), name, classifications: new Map() };
      node.options.set(key, option);
    }
    const nested = a.classifications ?? [];
    if (!Array.isArray(nested)) return report(`${p}.classifications`, 'expected a list');
    this.walk(option.classifications, nested, `${p}.classifications`, report, false);
    return true;
  }

  /** The normalized ontology JSON, in the shape of a Labelbox ontology. */
  toJson(): string {
    return JSON.stringify({ tools: [], classifications: [...this.root.values()].map(classJson) });
  }
}

function classJson(c: ClassNode): unknown {
  return {
    featureSchemaId: c.featureSchemaId,
    type: c.type,
    name: c.name,
    instructions: c.name,
    required: false,
    scope: c.scope,
    options: [...c.options.values()].map((o) => ({
      featureSchemaId: o.featureSchemaId,
      value: o.name,
      label: o.name,
      options: [...o.classifications.values()].map(classJson),
    })),
  };
}
