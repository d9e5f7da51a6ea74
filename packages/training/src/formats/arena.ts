/**
 * Chatbot Arena's battle log: one record per vote (every counted label, no aggregation, as Arena
 * logs each judge), `model_a` the output displayed left. `tstamp` is the label's creation time
 * in Unix seconds; `turn` the number of user turns.
 */
import type { Comparison } from '../comparison/policy.ts';
import type { Rec, TiePolicy } from './formats.ts';
import { assistant, votePairs } from './pairs.ts';

const WINNER = { a: 'model_a', b: 'model_b', tie: 'tie', both_bad: 'tie (bothbad)' } as const;

export function arenaRecords(c: Comparison, ties: TiePolicy): Rec[] {
  const { row } = c;
  const turn = row.prompt.filter((m) => m.role === 'user').length;
  const out: Rec[] = [];
  for (const j of c.judgements) {
    const tstamp = j.label.created_at ? Date.parse(j.label.created_at) / 1000 : null;
    for (const p of votePairs(row, j)) {
      if (ties === 'drop' && (p.result === 'tie' || p.result === 'both_bad')) continue;
      out.push({
        question_id: row.data_row_id,
        model_a: p.a.model,
        model_b: p.b.model,
        winner: WINNER[p.result],
        judge: j.label.created_by,
        conversation_a: [...row.prompt, ...assistant(p.a.content)],
        conversation_b: [...row.prompt, ...assistant(p.b.content)],
        turn,
        tstamp: Number.isFinite(tstamp) ? tstamp : null,
        data_row_id: row.data_row_id,
        label_id: j.label.id,
        global_key: row.global_key,
      });
    }
  }
  return out;
}
