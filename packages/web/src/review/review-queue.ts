/**
 * The reviewer's next item from the leased review queue: a row in review (one reviewer holds it
 * at a time), the label to decide (the first one not yet reviewed, skips aside), the row's other
 * labels and its comments.
 */
import type { Label, Project, ReviewRow } from '@prefer/sdk';

export interface ReviewItem {
  row: ReviewRow;
  label: Label;
  others: Label[];
}

export async function nextReview(project: Project): Promise<ReviewItem | null> {
  const row = await project.nextReview();
  if (!row) return null;
  const open = row.labels.filter((l) => !l.skipped && l.workflowStatus !== 'DONE');
  const label = open.find((l) => l.reviews.length === 0) ?? open[0] ?? row.labels[0];
  if (!label) return null;
  return { row, label, others: row.labels.filter((l) => l.id !== label.id) };
}
