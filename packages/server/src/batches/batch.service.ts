/**
 * Batches: the only way data rows enter a project. Every row must exist in the organization and
 * not be in the project yet; all of them enter the `Initial labeling task` as `TO_LABEL` with the
 * batch's priority and a `Move` entry in their workflow history, in one transaction.
 */
import type { Actor } from '../orgs/actor.ts';
import { analyzeStaleTables } from '../projects/planner-stats.ts';
import { requireProject, taskOfKind, type WorkflowTask } from '../projects/project.service.ts';
import { afterKey, decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newUuid } from '../shared/ids.ts';
import { FaultList } from '../shared/result.ts';
import type { Store, Tx } from '../store/store.ts';
import { recordMoves } from '../workflow/workflow.rows.ts';
import { type CreateBatchInput, checkBatchInput, invalid } from './batch.input.ts';
import { sourcePages } from './batch.sources.ts';

export type { CreateBatchInput } from './batch.input.ts';

export interface BatchSummary {
  id: string;
  name: string;
  priority: number;
  /** Labels wanted per row; null: the project's count. */
  consensusLabels: number | null;
  createdAt: number;
  createdBy: string;
  dataRows: number;
}

export async function createBatch(
  store: Store,
  actor: Actor,
  input: CreateBatchInput,
): Promise<{ id: string; dataRows: number }> {
  const checked = checkBatchInput(input);
  await analyzeStaleTables(store);
  const now = Date.now();
  const id = newUuid();
  const created = await store.write(async (tx) => {
    const project = await requireProject(tx, actor.orgId, checked.projectId);
    const sameName = await tx
      .selectFrom('batches')
      .where('project_id', '=', project.id)
      .where('name', '=', checked.name)
      .select('id')
      .executeTakeFirst();
    if (sameName) {
      throw new AppError(
        'CONFLICT',
        `project ${project.id} already has a batch named ${JSON.stringify(checked.name)}`,
        [{ path: '$.name', message: 'a batch of this name exists in the project' }],
      );
    }
    const task = await taskOfKind(tx, project.id, 'LABEL');
    await tx
      .insertInto('batches')
      .values({
        id,
        org_id: actor.orgId,
        project_id: project.id,
        name: checked.name,
        priority: checked.priority,
        consensus_label_count: checked.consensusLabels,
        created_at: now,
        created_by: actor.userId,
      })
      .execute();
    const unknown = new FaultList();
    const conflicts = new FaultList();
    const move = { projectId: project.id, batchId: id, task, priority: checked.priority, actor, now };
    let added = 0;
    for await (const page of sourcePages(tx, actor.orgId, checked.source, unknown)) {
      // The primary key finds rows already in the project (an insert that skips them), which
      // needs no query plan: PostgreSQL, without statistics yet, would scan the whole project
      // per page for a membership query.
      const entered = await addMembers(tx, page.ids, move);
      for (const [i, rowId] of page.ids.entries()) {
        if (!entered.has(rowId)) {
          conflicts.add({ path: page.paths[i]!, message: `data row ${rowId} is already in the project` });
        }
      }
      // After the first fault the transaction is rolled back at the end, so history and
      // activity are skipped; every page is still checked so the error lists every faulty row.
      if (!unknown.empty || !conflicts.empty) continue;
      await recordMove(tx, page.ids, move);
      added += page.ids.length;
    }
    if (!unknown.empty) throw invalid(unknown.faults, unknown.count);
    if (!conflicts.empty) {
      throw new AppError(
        'CONFLICT',
        `${conflicts.count} data row${conflicts.count === 1 ? ' is' : 's are'} already in project ${project.id}`,
        conflicts.faults,
      );
    }
    if (added === 0) throw invalid([{ path: '$.datasetId', message: 'the dataset has no data rows' }]);
    return { id, dataRows: added };
  });
  // The project's rows grew by the batch: the queues plan from their new size at once (they
  // check statistics in the background only, so their first lease would not wait for that).
  await analyzeStaleTables(store);
  return created;
}

/** The project's batches, oldest first, with their row counts. */
export async function listBatches(store: Store, actor: Actor, projectId: string): Promise<BatchSummary[]> {
  const project = await requireProject(store.db, actor.orgId, projectId);
  return selectBatches(store, project.id, {});
}

/** One page of the project's batches, oldest first (keyset on `created_at`, id). */
export async function listBatchPage(
  store: Store,
  actor: Actor,
  projectId: string,
  page: PageRequest,
): Promise<Page<BatchSummary>> {
  const project = await requireProject(store.db, actor.orgId, projectId);
  const after =
    page.cursor === undefined
      ? undefined
      : (decodeCursor(page.cursor, ['number', 'string']) as [number, string]);
  const rows = await selectBatches(store, project.id, { after, limit: page.limit + 1 });
  return pageFrom(
    rows,
    page.limit,
    (b) => [b.createdAt, b.id],
    (b) => b,
  );
}

/** One batch of the project; NOT_FOUND outside the organization. */
export async function getBatch(
  store: Store,
  actor: Actor,
  projectId: string,
  batchId: string,
): Promise<BatchSummary> {
  const project = await requireProject(store.db, actor.orgId, projectId);
  const [batch] = await selectBatches(store, project.id, { id: batchId });
  if (!batch) throw notFound('batch', batchId);
  return batch;
}

async function selectBatches(
  store: Store,
  projectId: string,
  only: { after?: [number, string] | undefined; limit?: number; id?: string },
): Promise<BatchSummary[]> {
  let query = store.db
    .selectFrom('batches as b')
    .where('b.project_id', '=', projectId)
    .select((e) => [
      'b.id',
      'b.name',
      'b.priority',
      'b.consensus_label_count',
      'b.created_at',
      'b.created_by',
      // With the project too, the count reads the (project_id, batch_id) index, not the table.
      e
        .selectFrom('project_data_rows as p')
        .where('p.project_id', '=', projectId)
        .whereRef('p.batch_id', '=', 'b.id')
        .select((c) => c.fn.countAll().as('n'))
        .as('n'),
    ])
    .orderBy('b.created_at')
    .orderBy('b.id');
  if (only.id !== undefined) query = query.where('b.id', '=', only.id);
  if (only.limit !== undefined) query = query.limit(only.limit);
  const { after } = only;
  if (after) query = query.where((e) => afterKey(e, 'b.created_at', 'b.id', after));
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    priority: r.priority,
    consensusLabels: r.consensus_label_count,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    dataRows: Number(r.n ?? 0),
  }));
}

interface Move {
  projectId: string;
  batchId: string;
  task: WorkflowTask;
  priority: number;
  actor: Actor;
  now: number;
}

/** Inserts the rows into the project, skipping those already in it; answers the ids inserted. */
async function addMembers(tx: Tx, ids: string[], m: Move): Promise<Set<string>> {
  const rows = await tx
    .insertInto('project_data_rows')
    .values(
      ids.map((rowId) => ({
        project_id: m.projectId,
        data_row_id: rowId,
        org_id: m.actor.orgId,
        batch_id: m.batchId,
        task_id: m.task.id,
        workflow_status: 'TO_LABEL' as const,
        priority: m.priority,
        added_at: m.now,
        updated_at: m.now,
        lease_user_id: null,
        lease_expires_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['project_id', 'data_row_id']).doNothing())
    .returning('data_row_id')
    .execute();
  return new Set(rows.map((r) => r.data_row_id));
}

/** The `Move` into the labeling task (no previous task: the rows just entered), and activity. */
function recordMove(tx: Tx, ids: string[], m: Move): Promise<void> {
  return recordMoves(tx, {
    projectId: m.projectId,
    rows: ids.map((dataRowId) => ({ dataRowId, from: null })),
    to: m.task,
    action: 'Move',
    userId: m.actor.userId,
    now: m.now,
  });
}
