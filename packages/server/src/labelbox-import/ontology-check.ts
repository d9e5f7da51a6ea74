/**
 * Checks a label's answers against the ontology given with the import: each question must be a
 * question of that level (same type and scope), each answer an option of its question; nested
 * answers are checked against the option's own questions. Shapes were checked by the rebuild
 * walk, so malformed items are skipped here rather than reported twice.
 */
import type { ClassificationLookup, IndexedClassification } from '../ontologies/ontology.index.ts';
import { isObject, type Json } from './field-reader.ts';
import { ANSWER_KEYS, type Report } from './ontology-rebuild.ts';

export function checkAgainstOntology(
  list: readonly unknown[],
  lookup: ClassificationLookup,
  path: string,
  report: Report,
): void {
  for (const [i, item] of list.entries()) {
    if (!isObject(item) || typeof item.feature_schema_id !== 'string') continue;
    const p = `${path}[${i}]`;
    const key = Object.keys(item).find((k) => k in ANSWER_KEYS);
    const shape = key === undefined ? undefined : ANSWER_KEYS[key];
    if (key === undefined || !shape) continue;
    const question = lookup.byId.get(item.feature_schema_id);
    if (!question) {
      report(
        `${p}.feature_schema_id`,
        `feature schema ${item.feature_schema_id} is not a question here in the given ontology`,
      );
      continue;
    }
    if (question.type !== shape.type || question.scope !== shape.scope) {
      report(
        `${p}.${key}`,
        `the given ontology has ${question.name} as a ${question.scope} ${question.type}`,
      );
      continue;
    }
    const value = item[key];
    if (shape.type === 'radio' && isObject(value)) checkOption(question, value, `${p}.${key}`, report);
    if (shape.type === 'checklist' && Array.isArray(value)) {
      for (const [j, a] of value.entries())
        if (isObject(a)) checkOption(question, a, `${p}.${key}[${j}]`, report);
    }
  }
}

function checkOption(question: IndexedClassification, a: Json, p: string, report: Report): void {
  // Checklist answers in export v2 carry no feature_schema_id: they are found by name.
  const option =
    typeof a.feature_schema_id === 'string'
      ? question.optionById.get(a.feature_schema_id)
      : question.optionByName.get(String(a.name));
  if (!option) {
    report(p, `${JSON.stringify(a.name)} is not an option of ${question.name} in the given ontology`);
    return;
  }
  if (Array.isArray(a.classifications)) {
    checkAgainstOntology(a.classifications, option.classifications, `${p}.classifications`, report);
  }
}
