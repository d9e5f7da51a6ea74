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

/** Which pairs a ranking of n outputs yields: all n(n-1)/2, or the best against each other. */
export type RankingPairs = 'all' | 'best';

/**
 * A win is the winner against each other output; a tie or both-bad is every pair. With more than
 * two outputs, a pair without the winner says nothing and is left out. A ranking yields every
 * pair of ranked outputs, the higher-ranked one winning (or, with `best`, only the top one's
 * pairs); outputs it leaves unranked are in no pair.
 */
export function pairsOf(
  row: RowRecord,
  outcome: Outcome,
  displayed: string[],
  ranking: RankingPairs = 'all',
): Pair[] {
  const outputs = inDisplayedOrder(row, displayed);
  const pairs: Pair[] = [];
  const rank = outcome.kind === 'ranking' ? new Map(outcome.order.map((t, i) => [t, i])) : null;
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const a = outputs[i]!;
      const b = outputs[j]!;
      if (outcome.kind === 'ranking' && rank) {
        const ra = rank.get(a.title);
        const rb = rank.get(b.title);
        if (ra === undefined || rb === undefined) continue;
        if (ranking === 'best' && ra !== 0 && rb !== 0) continue;
        pairs.push({ a, b, result: ra < rb ? 'a' : 'b' });
      } else if (outcome.kind === 'tie' || outcome.kind === 'both_bad')
        pairs.push({ a, b, result: outcome.kind });
      else if (outcome.kind === 'win' && outcome.winner === a.title) pairs.push({ a, b, result: 'a' });
      else if (outcome.kind === 'win' && outcome.winner === b.title) pairs.push({ a, b, result: 'b' });
    }
  }
  return pairs;
}

export function votePairs(row: RowRecord, j: Judgement, ranking: RankingPairs = 'all'): Pair[] {
  return j.outcome ? pairsOf(row, j.outcome, j.displayed, ranking) : [];
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
