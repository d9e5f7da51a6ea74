/**
 * prefer's own lossless record: the conversation, every counted label with its answer, rubric,
 * reason, order, timings and reviews (with reasons where known), the comments, and the consensus.
 */
import { type Comparison, latestReview } from '../comparison/policy.ts';
import type { Outcome } from '../types.ts';
import type { Rec } from './formats.ts';

const outcomeText = (o: Outcome | null) =>
  o === null ? null : o.kind === 'win' ? o.winner : o.kind === 'ranking' ? o.order.join(' > ') : o.kind;

export function preferRecord(c: Comparison): Rec {
  const { row, representative: rep } = c;
  const displayed = rep?.displayed ?? row.outputs.map((o) => o.title);
  return {
    data_row_id: row.data_row_id,
    label_id: rep?.label.id ?? null,
    global_key: row.global_key,
    project_id: row.project_id,
    prompt: row.prompt,
    outputs: row.outputs,
    displayed_order: displayed,
    displayed_order_recorded: rep?.displayed_recorded ?? false,
    outcome: outcomeText(c.outcome),
    consensus: { outcome: outcomeText(c.outcome), why: c.why, agreement: c.agreement, strength: c.strength },
    labels: c.judgements.map((j) => ({
      label_id: j.label.id,
      annotator: j.label.created_by,
      created_at: j.label.created_at,
      outcome: outcomeText(j.outcome),
      strength: j.strength,
      rubric: j.rubric,
      reason: j.reason,
      displayed_order: j.displayed,
      displayed_order_recorded: j.displayed_recorded,
      seconds_to_create: j.label.seconds_to_create,
      seconds_to_review: j.label.seconds_to_review,
      approved: latestReview(j.label)?.score === 1,
      reviews: j.label.reviews,
    })),
    comments: row.comments,
  };
}
