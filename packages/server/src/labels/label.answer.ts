/**
 * The answer side of a label line: the question a name or schemaId points at, and an answer of the
 * shape its type wants (radio: `{ name }`, checklist: a list of them, text: a string), nested
 * classifications included. Pure; faults collect in the walk with line and JSON path.
 */
import { AnnotationAnswer, NestedAnnotation } from '@prefer/schemas';
import { formatPath } from '../ingest/strict-json.ts';
import { zodFaults } from '../ingest/zod-faults.ts';
import {
  type ClassificationLookup,
  findClassification,
  findOption,
  type IndexedClassification,
} from '../ontologies/ontology.index.ts';
import type { Fault } from '../shared/errors.ts';
import type { AnswerValue, ClassificationAnswer, ClassificationValue } from './annotation.types.ts';

export type Path = (string | number)[];

export interface Walk {
  line: number;
  faults: Fault[];
  makeId: () => string;
}

export function fault(w: Walk, path: Path, message: string): undefined {
  w.faults.push({ line: w.line, path: formatPath(path), message });
  return undefined;
}

export function resolveQuestion(
  w: Walk,
  lookup: ClassificationLookup,
  ref: { name?: string | undefined; schemaId?: string | undefined },
  at: Path,
  where: string,
): IndexedClassification | undefined {
  const found = findClassification(lookup, ref);
  if (!found) {
    const names = lookup.list.map((c) => JSON.stringify(c.name)).join(', ') || 'none';
    return ref.schemaId !== undefined
      ? fault(
          w,
          [...at, 'schemaId'],
          `unknown ${where} classification schemaId ${JSON.stringify(ref.schemaId)}`,
        )
      : fault(
          w,
          [...at, 'name'],
          `unknown ${where} classification ${JSON.stringify(ref.name)}; known: ${names}`,
        );
  }
  if (ref.schemaId !== undefined && ref.name !== undefined && ref.name !== found.name) {
    return fault(
      w,
      [...at, 'name'],
      `name ${JSON.stringify(ref.name)} does not match schemaId ${ref.schemaId} (${JSON.stringify(found.name)})`,
    );
  }
  return found;
}

const describe = (v: unknown) =>
  Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/** The answer of `q` from `answer`/`answers`, checked against its type and options. */
export function answer(
  w: Walk,
  q: IndexedClassification,
  a: { answer?: unknown; answers?: unknown },
  at: Path,
): ClassificationAnswer | undefined {
  const what = JSON.stringify(q.name);
  switch (q.type) {
    case 'radio': {
      if (a.answers !== undefined)
        return fault(
          w,
          [...at, 'answers'],
          `${what} is a radio question: give one answer as answer: { name }`,
        );
      if (!isObject(a.answer))
        return fault(
          w,
          [...at, 'answer'],
          `${what} is a radio question: answer must be { name }, got ${describe(a.answer)}`,
        );
      const one = option(w, q, a.answer, [...at, 'answer']);
      return one && { type: 'radio', answer: one };
    }
    case 'checklist': {
      if (a.answer !== undefined && a.answers !== undefined)
        return fault(w, [...at, 'answers'], 'give answer or answers, not both');
      const key = a.answers !== undefined ? 'answers' : 'answer';
      const list = a.answers ?? a.answer;
      if (!Array.isArray(list) || list.length === 0) {
        return fault(
          w,
          [...at, key],
          `${what} is a checklist question: ${key} must be a non-empty list of { name }, got ${describe(list)}`,
        );
      }
      const answers: AnswerValue[] = [];
      const seen = new Map<string, number>();
      for (const [i, item] of list.entries()) {
        if (!isObject(item)) {
          fault(w, [...at, key, i], `a checklist answer must be { name }, got ${describe(item)}`);
          continue;
        }
        const one = option(w, q, item, [...at, key, i]);
        if (!one) continue;
        const first = seen.get(one.featureSchemaId);
        if (first !== undefined)
          fault(
            w,
            [...at, key, i],
            `option ${JSON.stringify(one.name)} is chosen twice (first at ${key}[${first}])`,
          );
        else seen.set(one.featureSchemaId, i);
        answers.push(one);
      }
      return answers.length === list.length ? { type: 'checklist', answers } : undefined;
    }
    case 'text': {
      if (a.answers !== undefined)
        return fault(w, [...at, 'answers'], `${what} is a text question: give answer: "text"`);
      if (typeof a.answer !== 'string')
        return fault(
          w,
          [...at, 'answer'],
          `${what} is a text question: answer must be a string, got ${describe(a.answer)}`,
        );
      if (a.answer.trim() === '') return fault(w, [...at, 'answer'], 'a text answer must not be empty');
      return { type: 'text', content: a.answer };
    }
    default: {
      const never: never = q.type;
      throw new Error(`unknown classification type ${String(never)}`);
    }
  }
}

/** One chosen option `{ name | schemaId, classifications? }`, with its nested answers. */
function option(
  w: Walk,
  q: IndexedClassification,
  value: Record<string, unknown>,
  at: Path,
): AnswerValue | undefined {
  const parsed = AnnotationAnswer.safeParse(value);
  if (!parsed.success) {
    w.faults.push(...zodFaults(parsed.error, at, w.line));
    return undefined;
  }
  const ref = parsed.data;
  const found = findOption(q, ref);
  if (!found) {
    const known = q.options.map((o) => JSON.stringify(o.exportName)).join(', ');
    return ref.schemaId !== undefined
      ? fault(
          w,
          [...at, 'schemaId'],
          `unknown option schemaId ${JSON.stringify(ref.schemaId)} of ${JSON.stringify(q.name)}`,
        )
      : fault(
          w,
          [...at, 'name'],
          `unknown option ${JSON.stringify(ref.name)} of ${JSON.stringify(q.name)}; options: ${known}`,
        );
  }
  const classifications: ClassificationValue[] = [];
  const seen = new Map<string, number>();
  for (const [i, item] of (ref.classifications ?? []).entries()) {
    const p: Path = [...at, 'classifications', i];
    const n = NestedAnnotation.safeParse(item);
    if (!n.success) {
      w.faults.push(...zodFaults(n.error, p, w.line));
      continue;
    }
    const sub = resolveQuestion(
      w,
      found.classifications,
      n.data,
      p,
      `nested (under ${JSON.stringify(found.exportName)})`,
    );
    if (!sub) continue;
    const first = seen.get(sub.featureSchemaId);
    if (first !== undefined) {
      fault(
        w,
        [...p, 'name'],
        `${JSON.stringify(sub.name)} is answered twice (first at classifications[${first}])`,
      );
      continue;
    }
    seen.set(sub.featureSchemaId, i);
    const subAnswer = answer(w, sub, n.data, p);
    if (subAnswer) {
      classifications.push({
        featureId: w.makeId(),
        featureSchemaId: sub.featureSchemaId,
        name: sub.name,
        ...subAnswer,
      });
    }
  }
  return {
    featureId: w.makeId(),
    featureSchemaId: found.featureSchemaId,
    name: found.exportName,
    classifications,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
