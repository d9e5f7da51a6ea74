/**
 * Writes the labels of a staged import: staged lines come back sorted by data row, each row's
 * lines become one label (classifications in file order), inserted a page at a time with the
 * rows' activity moved and their export fragments rendered in the same transaction.
 */
import { touchActivity } from '../data-rows/activity.ts';
import { renderFragments } from '../exports/fragments.ts';
import { newId } from '../shared/ids.ts';
import type { Tx } from '../store/store.ts';
import type { Stage } from './label.stage.ts';
import { annotationsWithObjects } from './mmc-task.ts';
import { annotationsDocument } from './render-annotations.ts';

export interface LabelCounts {
  labels: number;
  annotations: number;
}

/** Labels inserted per statement (15 parameters each). */
const LABELS_PER_INSERT = 500;

export async function writeLabels(
  tx: Tx,
  stage: Stage,
  who: { orgId: string; projectId: string; userId: string },
): Promise<LabelCounts> {
  const now = Date.now();
  const counts: LabelCounts = { labels: 0, annotations: 0 };
  let pending: { id: string; dataRowId: string; annotations: string }[] = [];
  let current = null as { dataRowId: string; parts: string[]; objects: string[] } | null;
  const flush = async () => {
    if (pending.length === 0) return;
    await tx
      .insertInto('labels')
      .values(
        pending.map((l) => ({
          id: l.id,
          org_id: who.orgId,
          project_id: who.projectId,
          data_row_id: l.dataRowId,
          created_by: who.userId,
          created_at: now,
          updated_at: now,
          content_last_updated_at: now,
          label_kind: 'Default',
          version: '1.0.0',
          annotations: l.annotations,
          seconds_to_create: null,
          seconds_to_review: null,
          skipped: 0,
          consensus_score: null,
        })),
      )
      .execute();
    const ids = pending.map((l) => l.dataRowId);
    await touchActivity(tx, ids, now);
    await renderFragments(tx, who.projectId, ids);
    pending = [];
  };
  const close = async () => {
    if (!current) return;
    pending.push({
      id: newId(now),
      dataRowId: current.dataRowId,
      annotations:
        current.objects.length === 0
          ? annotationsDocument(current.parts)
          : annotationsWithObjects(current.objects, current.parts),
    });
    counts.labels++;
    if (pending.length >= LABELS_PER_INSERT) await flush();
  };
  for await (const page of stage.sorted()) {
    for (const line of page) {
      if (current?.dataRowId !== line.data_row_id) {
        await close();
        current = { dataRowId: line.data_row_id, parts: [], objects: [] };
      }
      (Number(line.object) === 1 ? current.objects : current.parts).push(line.body);
      counts.annotations++;
    }
  }
  await close();
  await flush();
  return counts;
}
