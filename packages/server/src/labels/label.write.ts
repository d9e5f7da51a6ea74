/**
 * Writes the labels of a staged import: staged lines come back sorted by data row, each row's
 * lines become one label (classifications in file order), inserted a page at a time
 * (`store.bulkInsert`) with the rows' activity moved and their export fragments brought up to
 * date in the same transaction (the new labels' entries appended, see LabelFragmentAppender).
 *
 * Idempotent (label.identity.ts): a label whose external id, or (without one) whose content hash
 * for the same row and labeler, is already in the project is skipped and counted as such.
 * Pre-labels go to their own table (`pre_labels`): no activity, no fragments, no workflow.
 */
import { touchActivity } from '../data-rows/activity.ts';
import type { LabelRec } from '../exports/v2/export-page.ts';
import { LabelFragmentAppender } from '../exports/v2/fragments.ts';
import { freshPlannerStats } from '../projects/planner-stats.ts';
import { newId } from '../shared/ids.ts';
import type { Store, Tx } from '../store/store.ts';
import { contentHash } from './label.identity.ts';
import type { Stage } from './label.stage.ts';
import { annotationsWithObjects } from './mmc-task.ts';
import { annotationsDocument } from './render-annotations.ts';

export interface LabelCounts {
  /** Labels (or pre-labels) written. */
  labels: number;
  /** Their annotations (classification lines). */
  annotations: number;
  /** Labels of the file already imported (same external id, or same answers by the same labeler on the row). */
  skipped: number;
}

/** Labels written per page (their lookups, insert, activity and fragments). */
const LABELS_PER_INSERT = 500;

const LABEL_COLUMNS = [
  'id',
  'org_id',
  'project_id',
  'data_row_id',
  'created_by',
  'created_at',
  'updated_at',
  'content_last_updated_at',
  'label_kind',
  'version',
  'annotations',
  'seconds_to_create',
  'seconds_to_review',
  'skipped',
  'consensus_score',
  'external_id',
  'content_hash',
] as const;

interface Pending {
  id: string;
  dataRowId: string;
  annotations: string;
  lines: number;
  externalId: string | null;
  hash: string | null;
}

export async function writeLabels(
  store: Store,
  tx: Tx,
  stage: Stage,
  who: { orgId: string; projectId: string; userId: string; preLabels?: boolean },
): Promise<LabelCounts> {
  const now = Date.now();
  const table = who.preLabels ? 'pre_labels' : 'labels';
  const counts: LabelCounts = { labels: 0, annotations: 0, skipped: 0 };
  const fragments = new LabelFragmentAppender(tx, { orgId: who.orgId, projectId: who.projectId });
  let pending: Pending[] = [];
  let current = null as {
    dataRowId: string;
    parts: string[];
    objects: string[];
    contents: string[];
    externalId: string | null;
  } | null;

  /** The pending labels already in the project, by their identity. */
  const alreadyThere = async (): Promise<Set<Pending>> => {
    const byExternal = pending.filter((l) => l.externalId !== null);
    const byHash = pending.filter((l) => l.hash !== null);
    const found = new Set<Pending>();
    if (byExternal.length > 0) {
      const have = await tx
        .selectFrom(table)
        .where('project_id', '=', who.projectId)
        .where(
          'external_id',
          'in',
          byExternal.map((l) => l.externalId!),
        )
        .select('external_id')
        .execute();
      const ids = new Set(have.map((h) => h.external_id));
      for (const l of byExternal) if (ids.has(l.externalId)) found.add(l);
    }
    if (byHash.length > 0) {
      const have = await tx
        .selectFrom(table)
        .where('project_id', '=', who.projectId)
        .where('created_by', '=', who.userId)
        .where(
          'data_row_id',
          'in',
          byHash.map((l) => l.dataRowId),
        )
        .where('content_hash', 'is not', null)
        .select(['data_row_id', 'content_hash'])
        .execute();
      const keys = new Set(have.map((h) => `${h.data_row_id} ${h.content_hash}`));
      for (const l of byHash) if (keys.has(`${l.dataRowId} ${l.hash}`)) found.add(l);
    }
    return found;
  };

  const flush = async () => {
    if (pending.length === 0) return;
    // The identity lookups below are planned from statistics that knew the partial indexes of
    // external ids and content hashes nearly empty, and this transaction fills them: planned so,
    // each page walked every label written so far (a PostgreSQL import of 1,000,000 labels went
    // quadratic). Counted with this transaction's own rows, the statistics stay current.
    await freshPlannerStats(store, tx, 1000);
    const skip = await alreadyThere();
    const fresh = pending.filter((l) => !skip.has(l));
    pending = [];
    counts.skipped += skip.size;
    for (const l of fresh) {
      counts.labels++;
      counts.annotations += l.lines;
    }
    if (fresh.length === 0) return;
    if (table === 'pre_labels') {
      await tx
        .insertInto('pre_labels')
        .values(
          fresh.map((l) => ({
            id: newId(now),
            org_id: who.orgId,
            project_id: who.projectId,
            data_row_id: l.dataRowId,
            created_by: who.userId,
            created_at: now,
            annotations: l.annotations,
            external_id: l.externalId,
            content_hash: l.hash,
          })),
        )
        .execute();
      return;
    }
    const labels: LabelRec[] = fresh.map((l) => ({
      id: l.id,
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
    }));
    // In LABEL_COLUMNS order.
    const tuples = labels.map((l, i) => [
      l.id,
      who.orgId,
      who.projectId,
      l.data_row_id,
      l.created_by,
      l.created_at,
      l.updated_at,
      l.content_last_updated_at,
      l.label_kind,
      l.version,
      l.annotations,
      l.seconds_to_create,
      l.seconds_to_review,
      l.skipped,
      l.consensus_score,
      fresh[i]!.externalId,
      fresh[i]!.hash,
    ]);
    await store.bulkInsert(tx, 'labels', LABEL_COLUMNS, tuples);
    await touchActivity(
      tx,
      fresh.map((l) => l.dataRowId),
      now,
    );
    // The new labels' entries are appended to the rows' stored fragments (nothing read back).
    await fragments.append(labels);
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
      lines: current.parts.length + current.objects.length,
      externalId: current.externalId,
      // With an external id, that id is the label's identity; the hash is kept only without one.
      hash: current.externalId === null ? contentHash(current.contents) : null,
    });
    if (pending.length >= LABELS_PER_INSERT) await flush();
  };
  for await (const page of stage.sorted()) {
    for (const line of page) {
      if (current?.dataRowId !== line.data_row_id) {
        await close();
        current = {
          dataRowId: line.data_row_id,
          parts: [],
          objects: [],
          contents: [],
          externalId: line.external_id,
        };
      }
      (Number(line.object) === 1 ? current.objects : current.parts).push(line.body);
      current.contents.push(line.content);
    }
  }
  await close();
  await flush();
  return counts;
}
