/**
 * The ontology's questions as the form shows them: typed from the server's normalized form,
 * with the preference question (the radio whose options name the model outputs) picked out so
 * its options can follow the columns' order, and each control's keyboard key.
 */
import type { NormalizedClassification, NormalizedOption, NormalizedTool } from '@prefer/schemas';

export type Question = NormalizedClassification;
export type Option = NormalizedOption;

export function questionsOf(normalized: { classifications: Record<string, unknown>[] }): Question[] {
  // The server sends the normalized ontology (every node with its featureSchemaId).
  return normalized.classifications as unknown as Question[];
}

/** The message tools, as the server normalized them (each with its featureSchemaId). */
export function toolsOf(normalized: { tools?: unknown[] }): NormalizedTool[] {
  return (normalized.tools ?? []) as NormalizedTool[];
}

const optionTitle = (o: Option) => o.label || o.value;

/** The global radio whose options include at least two of the outputs' titles. */
export function preferenceQuestion(questions: readonly Question[], titles: readonly string[]) {
  return questions.find(
    (q) =>
      q.type === 'radio' &&
      q.scope === 'global' &&
      q.options.filter((o) => titles.includes(optionTitle(o)) || titles.includes(o.value)).length >= 2,
  );
}

/** Options in the columns' order first (key 1 = the left column), then the others as defined. */
export function orderedOptions(q: Question, order: readonly string[]): Option[] {
  const titled = (o: Option) => {
    const i = order.findIndex((t) => t === optionTitle(o) || t === o.value);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  return q.options
    .map((o, i) => ({ o, i, t: titled(o) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.o);
}

/** Letters for checklist options; a, r and s are the review and skip keys. */
export const CHECKLIST_KEYS = 'qwertyuiopdfghjklzxcvbnm';
