/**
 * The form's answers and their two translations: to a submit's classifications (names by
 * schemaId, nested answers inside the chosen option) and from a stored label (export v2 form),
 * for review and rework. Also the required-question check, which mirrors the server's so the
 * message appears at the question; the server refuses the same submits.
 */
import type { Option, Question } from './ontology.ts';

/** Radio: the chosen option's featureSchemaId; checklist: those ticked; text: the text. */
export type AnswerValue = string | string[];
/** Keyed by `answerKey(messageId, path)`. */
export type Answers = Record<string, AnswerValue>;

/** A question's place: its message ('' for global) and its featureSchemaId under its parents. */
export const answerKey = (messageId: string, path: string) => `${messageId}|${path}`;
export const childPath = (path: string, optionId: string, questionId: string) =>
  `${path}/${optionId}/${questionId}`;

const isBlank = (v: AnswerValue | undefined) =>
  v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === '');

export interface Classification {
  schemaId: string;
  answer?: unknown;
  answers?: unknown[];
  messageId?: string;
}

/** The submit body's classifications for one level of questions. */
export function toClassifications(
  questions: readonly Question[],
  answers: Answers,
  labelable: readonly string[],
): Classification[] {
  const out: Classification[] = [];
  for (const q of questions) {
    const messages = q.scope === 'index' ? labelable : [''];
    for (const m of messages) {
      const c = level(q, answers, m, q.featureSchemaId);
      if (c) out.push(m ? { ...c, messageId: m } : c);
    }
  }
  return out;
}

function level(q: Question, answers: Answers, m: string, path: string): Classification | undefined {
  const v = answers[answerKey(m, path)];
  if (isBlank(v)) return undefined;
  const nested = (o: Option) =>
    o.options
      .map((n) => level(n, answers, m, childPath(path, o.featureSchemaId, n.featureSchemaId)))
      .filter((x): x is Classification => x !== undefined);
  switch (q.type) {
    case 'text':
      return { schemaId: q.featureSchemaId, answer: v as string };
    case 'radio': {
      const o = q.options.find((x) => x.featureSchemaId === v);
      if (!o) return undefined;
      const cs = nested(o);
      return { schemaId: q.featureSchemaId, answer: { schemaId: o.featureSchemaId, ...withNested(cs) } };
    }
    case 'checklist': {
      const chosen = q.options.filter((o) => (v as string[]).includes(o.featureSchemaId));
      return {
        schemaId: q.featureSchemaId,
        answers: chosen.map((o) => ({ schemaId: o.featureSchemaId, ...withNested(nested(o)) })),
      };
    }
  }
}

const withNested = (cs: Classification[]) => (cs.length > 0 ? { classifications: cs } : {});

/** Required questions left unanswered, by answer key (nested ones only under a chosen option). */
export function missingRequired(
  questions: readonly Question[],
  answers: Answers,
  labelable: readonly string[],
): Set<string> {
  const missing = new Set<string>();
  const walk = (qs: readonly Question[], m: string, parent: string | null) => {
    for (const q of qs) {
      const path = parent === null ? q.featureSchemaId : `${parent}/${q.featureSchemaId}`;
      const v = answers[answerKey(m, path)];
      if (q.required && isBlank(v)) missing.add(answerKey(m, path));
      const chosen = typeof v === 'string' ? [v] : (v ?? []);
      for (const o of q.options) {
        if (chosen.includes(o.featureSchemaId)) walk(o.options, m, `${path}/${o.featureSchemaId}`);
      }
    }
  };
  for (const q of questions) {
    for (const m of q.scope === 'index' ? labelable : ['']) walk([q], m, null);
  }
  return missing;
}

interface StoredClassification {
  name?: string;
  feature_schema_id?: string;
  schema_id?: string;
  message_id?: string;
  radio_answer?: StoredAnswer;
  checklist_answers?: StoredAnswer[];
  text_answer?: { content: string };
  // Message-scoped answers of v2 rows carry Labelbox's `conversational_` prefix.
  conversational_radio_answer?: StoredAnswer;
  conversational_checklist_answers?: StoredAnswer[];
  conversational_text_answer?: { content: string };
}
interface StoredAnswer {
  name?: string;
  value?: string;
  feature_schema_id?: string;
  schema_id?: string;
  classifications?: StoredClassification[];
}

/** A stored label's answers (export v2 classifications) as form answers. */
export function fromStored(questions: readonly Question[], stored: readonly unknown[]): Answers {
  const out: Answers = {};
  const match = <T extends { featureSchemaId: string; name?: string; value?: string; label?: string }>(
    list: readonly T[],
    s: StoredAnswer | StoredClassification,
  ) =>
    list.find((x) => {
      const id = s.feature_schema_id ?? s.schema_id;
      if (id !== undefined) return x.featureSchemaId === id;
      return x.name === s.name || x.value === s.name || x.label === s.name;
    });
  const walk = (qs: readonly Question[], items: readonly StoredClassification[], path: string | null) => {
    for (const item of items) {
      const s: StoredClassification = {
        ...item,
        radio_answer: item.radio_answer ?? item.conversational_radio_answer,
        checklist_answers: item.checklist_answers ?? item.conversational_checklist_answers,
        text_answer: item.text_answer ?? item.conversational_text_answer,
      };
      const q = match(qs, s);
      if (!q) continue;
      const p = path === null ? q.featureSchemaId : `${path}/${q.featureSchemaId}`;
      const key = answerKey(s.message_id ?? '', p);
      if (s.text_answer) out[key] = s.text_answer.content;
      const chosen = s.radio_answer ? [s.radio_answer] : (s.checklist_answers ?? []);
      const ids: string[] = [];
      for (const a of chosen) {
        const o = match(q.options, a);
        if (!o) continue;
        ids.push(o.featureSchemaId);
        walk(o.options, a.classifications ?? [], `${p}/${o.featureSchemaId}`);
      }
      if (s.radio_answer && ids[0]) out[key] = ids[0];
      if (s.checklist_answers) out[key] = ids;
    }
  };
  walk(questions, stored as StoredClassification[], null);
  return out;
}
