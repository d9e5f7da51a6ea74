/**
 * The output formats. Each turns a comparison into records (plain objects, one JSONL line or
 * Parquet row each) and declares its columns for Parquet. TRL names and shapes are followed
 * exactly (`prompt`/`chosen`/`rejected`, `completion`/`label`); prefer's ids ride along in
 * extra columns, which TRL ignores.
 */
import type { Comparison } from '../comparison/policy.ts';
import type { Format, TiePolicy } from '../options.ts';
import type { ColumnKind } from '../output/columns.ts';
import type { Outcome } from '../types.ts';
import { arenaRecords } from './arena.ts';
import { assistant, pairsOf, promptText, type RankingPairs } from './pairs.ts';
import { preferRecord } from './prefer.ts';

export { FORMATS, type Format, type TiePolicy } from '../options.ts';
export type Rec = Record<string, unknown>;

const IDS: [string, ColumnKind][] = [
  ['data_row_id', 'string'],
  ['label_id', 'string'],
  ['global_key', 'string'],
];

export const COLUMNS: Record<Format, [string, ColumnKind][]> = {
  trl: [['prompt', 'messages'], ['chosen', 'messages'], ['rejected', 'messages'], ...IDS],
  'trl-string': [['prompt', 'string'], ['chosen', 'string'], ['rejected', 'string'], ...IDS],
  'trl-implicit': [['chosen', 'messages'], ['rejected', 'messages'], ...IDS],
  kto: [['prompt', 'messages'], ['completion', 'messages'], ['label', 'bool'], ...IDS],
  reward: [
    ['prompt', 'messages'],
    ['chosen', 'messages'],
    ['rejected', 'messages'],
    ['margin', 'double'],
    ...IDS,
  ],
  helpsteer: [
    ['prompt', 'string'],
    ['response_1', 'string'],
    ['response_2', 'string'],
    ['preference_strength', 'int'],
    ...IDS,
  ],
  arena: [
    ['question_id', 'string'],
    ['model_a', 'string'],
    ['model_b', 'string'],
    ['winner', 'string'],
    ['judge', 'string'],
    ['conversation_a', 'messages'],
    ['conversation_b', 'messages'],
    ['turn', 'int'],
    ['tstamp', 'double'],
    ...IDS,
  ],
  prefer: [
    ['data_row_id', 'string'],
    ['label_id', 'string'],
    ['global_key', 'string'],
    ['project_id', 'string'],
    ['prompt', 'messages'],
    ['outputs', 'json'],
    ['displayed_order', 'json'],
    ['displayed_order_recorded', 'bool'],
    ['outcome', 'string'],
    ['consensus', 'json'],
    ['labels', 'json'],
    ['comments', 'json'],
  ],
};

/** Ties are kept by default where the format has a place for them (a vote log, the lossless form). */
export const DEFAULT_TIES: Record<Format, TiePolicy> = {
  trl: 'drop',
  'trl-string': 'drop',
  'trl-implicit': 'drop',
  kto: 'drop',
  reward: 'drop',
  helpsteer: 'drop',
  arena: 'keep',
  prefer: 'keep',
};

const isTie = (o: Outcome | null) => o?.kind === 'tie' || o?.kind === 'both_bad';

/** `ranking`: the pairs a ranking yields (multimodal chat rows): all of them, or best against the rest. */
export function recordsOf(
  format: Format,
  c: Comparison,
  ties: TiePolicy,
  ranking: RankingPairs = 'all',
): Rec[] {
  if (format === 'arena') return arenaRecords(c, ties);
  if (format === 'prefer') return isTie(c.outcome) && ties === 'drop' ? [] : [preferRecord(c)];
  const { outcome, representative: rep, row } = c;
  if (!outcome || !rep) return [];
  if (isTie(outcome) && ties === 'drop') return [];
  const ids = { data_row_id: row.data_row_id, label_id: rep.label.id, global_key: row.global_key };
  const pairs = pairsOf(row, outcome, rep.displayed, ranking);
  const out: Rec[] = [];
  if (format === 'kto') {
    // A ranking's best output is the desirable one, the rest undesirable.
    const label = (title: string) =>
      outcome.kind === 'win'
        ? outcome.winner === title
        : outcome.kind === 'ranking'
          ? outcome.order[0] === title
          : outcome.kind === 'tie';
    const seen = new Set<string>();
    for (const p of pairs) {
      for (const o of [p.a, p.b]) {
        if (seen.has(o.title)) continue;
        seen.add(o.title);
        out.push({ prompt: row.prompt, completion: assistant(o.content), label: label(o.title), ...ids });
      }
    }
    return out;
  }
  for (const p of pairs) {
    // In a tie the displayed order stands in for chosen/rejected; only reward and helpsteer keep ties.
    const [chosen, rejected] = p.result === 'b' ? [p.b, p.a] : [p.a, p.b];
    const tied = p.result === 'tie' || p.result === 'both_bad';
    switch (format) {
      case 'trl':
        if (!tied)
          out.push({
            prompt: row.prompt,
            chosen: assistant(chosen.content),
            rejected: assistant(rejected.content),
            ...ids,
          });
        break;
      case 'trl-string':
        if (!tied)
          out.push({
            prompt: promptText(row.prompt),
            chosen: ` ${chosen.content}`,
            rejected: ` ${rejected.content}`,
            ...ids,
          });
        break;
      case 'trl-implicit':
        if (!tied) {
          out.push({
            chosen: [...row.prompt, ...assistant(chosen.content)],
            rejected: [...row.prompt, ...assistant(rejected.content)],
            ...ids,
          });
        }
        break;
      case 'reward':
        out.push({
          prompt: row.prompt,
          chosen: assistant(chosen.content),
          rejected: assistant(rejected.content),
          margin: tied ? 0 : c.strength,
          ...ids,
        });
        break;
      case 'helpsteer': {
        // HelpSteer2: -3..3, negative when response_1 is better; no strength question means 1.
        const size = tied ? 0 : Math.round(Math.min(3, Math.max(1, c.strength ?? 1)));
        out.push({
          prompt: promptText(row.prompt)
            .replace(/\n\nAssistant:$/, '')
            .replace(/^\n\nHuman: /, ''),
          response_1: p.a.content,
          response_2: p.b.content,
          preference_strength: p.result === 'a' ? -size : size,
          ...ids,
        });
        break;
      }
      default: {
        const never: never = format;
        throw new Error(`unknown format ${never}`);
      }
    }
  }
  return out;
}
