/**
 * A Labelbox ontology JSON given with the export (`{ tools, classifications }`, as Labelbox's
 * "export ontology" gives it). It is stored as it is, keeping its featureSchemaIds; only nodes
 * without one get a new id, since every stored node must carry one.
 */
import type { Fault } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { describe, isObject } from './field-reader.ts';

const TYPES = new Set(['radio', 'checklist', 'text']);

export type GivenOntology =
  | { ok: true; json: string; schemaIds: Set<string> }
  | { ok: false; faults: Fault[] };

export function readGivenOntology(value: unknown): GivenOntology {
  const faults: Fault[] = [];
  const schemaIds = new Set<string>();
  const fault = (path: string, message: string) => faults.push({ path: `ontology ${path}`, message });
  if (!isObject(value))
    return {
      ok: false,
      faults: [{ path: 'ontology $', message: `expected an object, got ${describe(value)}` }],
    };
  const copy = structuredClone(value);

  const classifications = (list: unknown, path: string): void => {
    if (!Array.isArray(list)) {
      fault(path, `expected a list, got ${describe(list)}`);
      return;
    }
    for (const [i, c] of list.entries()) classification(c, `${path}[${i}]`);
  };
  const classification = (c: unknown, p: string): void => {
    if (!isObject(c)) {
      fault(p, 'expected a classification object');
      return;
    }
    if (!TYPES.has(c.type as string)) fault(`${p}.type`, 'expected radio, checklist or text');
    if (typeof c.name !== 'string' || c.name === '') fault(`${p}.name`, 'expected a non-empty string');
    node(c, p);
    const options = c.options ?? [];
    if (!Array.isArray(options)) {
      fault(`${p}.options`, 'expected a list');
      return;
    }
    for (const [j, o] of options.entries()) {
      const op = `${p}.options[${j}]`;
      if (!isObject(o)) {
        fault(op, 'expected an option object');
        continue;
      }
      if (typeof o.value !== 'string' && typeof o.label !== 'string')
        fault(op, 'an option needs a value or a label');
      node(o, op);
      if (o.options !== undefined) classifications(o.options, `${op}.options`);
    }
  };
  const node = (n: Record<string, unknown>, path: string): void => {
    if (n.featureSchemaId === undefined || n.featureSchemaId === null) n.featureSchemaId = newId();
    if (typeof n.featureSchemaId !== 'string') {
      fault(`${path}.featureSchemaId`, 'expected a string');
      return;
    }
    if (schemaIds.has(n.featureSchemaId))
      fault(`${path}.featureSchemaId`, `${n.featureSchemaId} is used twice`);
    schemaIds.add(n.featureSchemaId);
  };

  copy.tools ??= [];
  if (!Array.isArray(copy.tools) || copy.tools.length > 0)
    fault('$.tools', 'prefer has no tools: expected an empty list');
  classifications(copy.classifications, '$.classifications');
  return faults.length > 0 ? { ok: false, faults } : { ok: true, json: JSON.stringify(copy), schemaIds };
}
