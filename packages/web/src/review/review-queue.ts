/**
 * The reviewer's next label: the oldest label in review that is not the reviewer's own, with its
 * row's conversation and the row's other labels (consensus).
 */
import type { Label, Project } from '@prefer/sdk';
import { client } from '../api/client.ts';

export interface ReviewItem {
  label: Label;
  rowData: string;
  others: Label[];
}

export async function nextReview(
  project: Project,
  myEmail: string,
  skip: ReadonlySet<string>,
): Promise<ReviewItem | null> {
  for await (const label of project.labels({ workflowStatus: 'IN_REVIEW', skipped: false })) {
    if (label.createdBy === myEmail || skip.has(label.id)) continue;
    const [row, others] = await Promise.all([client.getDataRow(label.dataRowId), rowLabels(project, label)]);
    return { label, rowData: row.rowData, others };
  }
  return null;
}

async function rowLabels(project: Project, label: Label): Promise<Label[]> {
  const out: Label[] = [];
  for await (const l of project.labels({ dataRowId: label.dataRowId })) if (l.id !== label.id) out.push(l);
  return out;
}
