/**
 * Which labels count, and how several labels of one data row (consensus) become one comparison.
 * - labels: `done` (rows in the Done step), `approved` (a reviewer's latest word is approve),
 *   `all` (every label that was not skipped).
 * - aggregate: `majority` (a strict plurality; a split vote gives no comparison), `unanimous`,
 *   `reviewer` (the labels a reviewer approved decide; none approved gives no comparison).
 */
import { lineError } from '../errors.ts';
import type { Mapping } from '../mapping/mapping.schema.ts';
import type { Aggregate, LabelPolicy } from '../options.ts';
import type { Judgement, LabelRecord, Outcome, RowRecord } from '../types.ts';
import { judge, outcomeKey } from './judgement.ts';

export { AGGREGATES, type Aggregate, LABEL_POLICIES, type LabelPolicy } from '../options.ts';

export interface Comparison {
  row: RowRecord;
  /** The counted, answered labels. */
  judgements: Judgement[];
  /** The consensus; null when there is none (`why` says so). */
  outcome: Outcome | null;
  why: string | null;
  /** The label whose reason and order stand for the comparison (the latest that agrees). */
  representative: Judgement | null;
  /** Mean strength of the labels that agree with the consensus. */
  strength: number | null;
  /** Share of the counted labels that agree with the consensus. */
  agreement: number | null;
}

export function latestReview(label: LabelRecord) {
  let latest = label.reviews[0];
  for (const r of label.reviews) if ((r.created_at ?? '') >= (latest?.created_at ?? '')) latest = r;
  return latest ?? null;
}

function counts(row: RowRecord, label: LabelRecord, policy: LabelPolicy): boolean {
  if (label.skipped) return false;
  switch (policy) {
    case 'all':
      return true;
    case 'approved':
      return latestReview(label)?.score === 1;
    case 'done':
      if (row.workflow_status === null) {
        lineError(
          row.line,
          'no projects.*.project_details.workflow_status: --labels done needs an export with project_details; use --labels all or approved',
        );
      }
      return row.workflow_status === 'DONE';
    default: {
      const never: never = policy;
      throw new Error(`unknown label policy ${never}`);
    }
  }
}

export function compare(
  row: RowRecord,
  mapping: Mapping,
  policy: LabelPolicy,
  aggregate: Aggregate,
): Comparison {
  const judgements = row.labels
    .filter((l) => counts(row, l, policy))
    .map((l) => judge(row, l, mapping))
    .filter((j) => j.outcome !== null);
  const none = (why: string): Comparison => ({
    row,
    judgements,
    outcome: null,
    why,
    representative: null,
    strength: null,
    agreement: null,
  });
  if (judgements.length === 0) return none('no counted label answers the preference question');
  const deciding =
    aggregate === 'reviewer' ? judgements.filter((j) => latestReview(j.label)?.score === 1) : judgements;
  if (deciding.length === 0) return none('no label approved by a reviewer');
  const tally = new Map<string, Judgement[]>();
  for (const j of deciding) {
    const k = outcomeKey(j.outcome!);
    tally.set(k, [...(tally.get(k) ?? []), j]);
  }
  const ranked = [...tally.values()].sort((a, b) => b.length - a.length);
  const first = ranked[0]!;
  if (ranked.length > 1) {
    if (aggregate === 'unanimous') return none('the labels disagree');
    if (aggregate === 'majority' && ranked[1]!.length === first.length) return none('no majority');
    if (aggregate === 'reviewer') return none('approved labels disagree');
  }
  const key = outcomeKey(first[0]!.outcome!);
  const agreeing = judgements.filter((j) => outcomeKey(j.outcome!) === key);
  const representative = first.reduce((a, b) =>
    (b.label.created_at ?? '') > (a.label.created_at ?? '') ? b : a,
  );
  const strengths = agreeing.map((j) => j.strength).filter((s): s is number => s !== null);
  return {
    row,
    judgements,
    outcome: first[0]!.outcome,
    why: null,
    representative,
    strength: strengths.length ? strengths.reduce((a, b) => a + b, 0) / strengths.length : null,
    agreement: agreeing.length / judgements.length,
  };
}
