/** The pairs a comparison or a vote yields, in displayed order, and the prompt as text. */
import type { Judgement, Message, ModelOutput, Outcome, RowRecord } from '../types.ts';

export interface Pair {
  /** Displayed left, then right. */
  a: ModelOutput;
  b: ModelOutput;
  /** 'a' or 'b' won, or a tie / both bad. */
  result: 'a' | 'b' | 'tie' | 'both_bad';
}

/** Outputs in the displayed order (titles not in the conversation are ignored, missing ones appended). */
export function inDisplayedOrder(row: RowRecord, displayed: string[]): ModelOutput[] {
  const byTitle = new Map(row.outputs.map((o) => [o.title, o]));
  const shown = displayed.map((t) => byTitle.get(t)).filter((o): o is ModelOutput => o !== undefined);
  return [...shown, ...row.outputs.filter((o) => !shown.includes(o))];
}

/**
 * A win is the winner against each other output; a tie or both-bad is every pair. With more than
 * two outputs, a pair without the winner says nothing and is left out.
 */
export function pairsOf(row: RowRecord, outcome: Outcome, displayed: string[]): Pair[] {
  const outputs = inDisplayedOrder(row, displayed);
  const pairs: Pair[] = [];
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const a = outputs[i]!;
      const b = outputs[j]!;
      if (outcome.kind !== 'win') pairs.push({ a, b, result: outcome.kind });
      else if (outcome.winner === a.title) pairs.push({ a, b, result: 'a' });
      else if (outcome.winner === b.title) pairs.push({ a, b, result: 'b' });
    }
  }
  return pairs;
}

export function votePairs(row: RowRecord, j: Judgement): Pair[] {
  return j.outcome ? pairsOf(row, j.outcome, j.displayed) : [];
}

const SPEAKER = { system: 'System', user: 'Human', assistant: 'Assistant' } as const;

/**
 * The prompt as one string, in the Anthropic HH-RLHF layout TRL's standard examples use:
 * `\n\nHuman: ...\n\nAssistant:`; the completion then starts with a space.
 */
export function promptText(prompt: Message[]): string {
  return `${prompt.map((m) => `\n\n${SPEAKER[m.role]}: ${m.content}`).join('')}\n\nAssistant:`;
}

export const assistant = (content: string): Message[] => [{ role: 'assistant', content }];
