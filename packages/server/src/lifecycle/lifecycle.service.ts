/**
 * Soft-delete, restore and erasure of projects, datasets, batches, data rows and labels.
 *
 * - A project or dataset keeps its row, flagged `deleted_at`: every lookup answers it as missing.
 *   A dataset's data rows (with their labels in every project) move to the trash with it.
 * - A batch, a data row or a label leaves the live tables for the trash (trash.rows.ts).
 * - Restore puts it all back while the trash entry exists; the purge (purge.ts) drops entries
 *   older than the retention window for good.
 * - Erasure (organization admins only) deletes at once, keeps nothing in the trash, removes the
 *   finished export files of the projects it touched, and records who erased what and when.
 */
import { rm } from 'node:fs/promises';
import type { Actor } from '../orgs/actor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { chunks } from '../shared/paging.ts';
import type { TrashTable as TrashKindRow } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import { restoreTrashRows, TrashWriter } from './trash.rows.ts';

export type TrashKind = TrashKindRow['kind'];

export interface DeleteInput {
  kind: TrashKind;
  id: string;
  /** The project the path names (batches and labels). */
  projectId?: string | undefined;
  /** Batches: whether the labels, reviews, comments and history of its rows go too. */
  labels?: 'keep' | 'delete' | undefined;
  /** Purge at once and record the erasure (organization admins only). */
  erase?: boolean | undefined;
  now?: number | undefined;
}

export interface DeleteResult {
  kind: TrashKind;
  id: string;
  /** `deleted`: restorable until the purge; `erased`: gone. */
  state: 'deleted' | 'erased';
  deletedAt: number;
  /** Rows taken out of the live tables (a project or dataset row itself not counted). */
  rows: number;
}

export interface RestoreResult {
  kind: TrashKind;
  id: string;
  restored: number;
  /** Rows not put back: already live again, or their project, batch or dataset is gone. */
  skipped: number;
}

const WHAT: Record<TrashKind, string> = {
  project: 'project',
  dataset: 'dataset',
  batch: 'batch',
  data_row: 'data row',
  label: 'label',
};

export async function deleteTarget(store: Store, actor: Actor, input: DeleteInput): Promise<DeleteResult> {
  if (input.erase && actor.role !== 'admin') {
    throw new AppError(
      'FORBIDDEN',
      'only an organization admin may erase (erase=true); delete without it instead',
    );
  }
  if (input.kind === 'batch' && input.labels !== 'keep' && input.labels !== 'delete') {
    throw new AppError(
      'BAD_REQUEST',
      'query parameter labels: required, "keep" or "delete" (the labels of the batch’s rows in this project)',
    );
  }
  const now = input.now ?? Date.now();
  const files: string[] = [];
  const result = await store.write(async (tx) => {
    const live = await findLive(tx, actor.orgId, input);
    if (!live) {
      // Erasing what is already in the trash purges that entry.
      const trashed = input.erase ? await findTrash(tx, actor.orgId, input) : undefined;
      if (!trashed) throw notFound(WHAT[input.kind], input.id);
      const rows = await purgeEntry(tx, trashed, files, now);
      await recordErasure(tx, actor, input, now, rows);
      return { kind: input.kind, id: input.id, state: 'erased' as const, deletedAt: now, rows };
    }
    const trashId = newId(now);
    const writer = new TrashWriter(tx, trashId);
    const projects = new Set<string>();
    switch (input.kind) {
      case 'project':
        await tx.updateTable('projects').set({ deleted_at: now }).where('id', '=', input.id).execute();
        projects.add(input.id);
        break;
      case 'dataset': {
        await tx.updateTable('datasets').set({ deleted_at: now }).where('id', '=', input.id).execute();
        const ids = (
          await tx.selectFrom('data_rows').where('dataset_id', '=', input.id).select('id').execute()
        ).map((r) => r.id);
        for (const p of await projectsOfRows(tx, ids)) projects.add(p);
        await writer.moveDataRows(ids);
        break;
      }
      case 'data_row':
        for (const p of await projectsOfRows(tx, [input.id])) projects.add(p);
        await writer.moveDataRows([input.id]);
        break;
      case 'batch': {
        const rows = (
          await tx
            .selectFrom('project_data_rows')
            .where('batch_id', '=', input.id)
            .where('project_id', '=', input.projectId!)
            .select('data_row_id')
            .execute()
        ).map((r) => r.data_row_id);
        if (input.labels === 'delete') await writer.moveRowsInProject(rows, input.projectId);
        await writer.move('project_data_rows', 'batch_id', [input.id]);
        await writer.move('batches', 'id', [input.id]);
        projects.add(input.projectId!);
        break;
      }
      case 'label':
        await writer.moveLabels([input.id]);
        projects.add(input.projectId!);
        break;
      default:
        input.kind satisfies never;
    }
    const entry = {
      id: trashId,
      org_id: actor.orgId,
      kind: input.kind,
      target_id: input.id,
      project_id: input.projectId ?? (input.kind === 'project' ? input.id : null),
      detail: JSON.stringify({ name: live.name, ...(input.labels ? { labels: input.labels } : {}) }),
      deleted_at: now,
      deleted_by: actor.userId,
    };
    await tx.insertInto('trash').values(entry).execute();
    if (!input.erase) {
      return {
        kind: input.kind,
        id: input.id,
        state: 'deleted' as const,
        deletedAt: now,
        rows: writer.moved,
      };
    }
    const rows = await purgeEntry(tx, entry, files, now);
    await dropExportFiles(tx, [...projects], files, now);
    await recordErasure(tx, actor, input, now, rows);
    return { kind: input.kind, id: input.id, state: 'erased' as const, deletedAt: now, rows };
  });
  await removeFiles(files);
  return result;
}

export async function restoreTarget(
  store: Store,
  actor: Actor,
  input: { kind: TrashKind; id: string; projectId?: string | undefined },
): Promise<RestoreResult> {
  return store.write(async (tx) => {
    const entry = await findTrash(tx, actor.orgId, input);
    if (!entry) throw notFound(`deleted ${WHAT[input.kind]}`, input.id);
    if (input.kind === 'dataset') {
      await tx.updateTable('datasets').set({ deleted_at: null }).where('id', '=', input.id).execute();
    }
    if (input.kind === 'project') {
      await tx.updateTable('projects').set({ deleted_at: null }).where('id', '=', input.id).execute();
    }
    if (input.kind === 'data_row' || input.kind === 'label' || input.kind === 'batch') {
      await refuseUnderDeletedParent(tx, entry.id);
    }
    const { restored, skipped } = await restoreTrashRows(tx, entry.id);
    await tx.deleteFrom('trash').where('id', '=', entry.id).execute();
    return { kind: input.kind, id: input.id, restored, skipped };
  });
}

/** A trash entry as the purge and erasure read it. */
export interface TrashEntry {
  id: string;
  kind: TrashKind;
  target_id: string;
}

/**
 * Drops a trash entry for good, inside `tx`: its stored rows, and for a project or dataset the
 * flagged row itself (a project with everything that belongs to it). Answers the rows removed;
 * export files to delete after the commit are pushed onto `files`.
 */
export async function purgeEntry(tx: Tx, entry: TrashEntry, files: string[], now: number): Promise<number> {
  let rows = Number(
    (
      await tx
        .selectFrom('trash_rows')
        .where('trash_id', '=', entry.id)
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await tx.deleteFrom('trash_rows').where('trash_id', '=', entry.id).execute();
  await tx.deleteFrom('trash').where('id', '=', entry.id).execute();
  if (entry.kind === 'project') rows += await purgeProject(tx, entry.target_id, files, now);
  if (entry.kind === 'dataset') {
    await tx.deleteFrom('datasets').where('id', '=', entry.target_id).execute();
    rows += 1;
  }
  return rows;
}

async function purgeProject(tx: Tx, projectId: string, files: string[], now: number): Promise<number> {
  await dropExportFiles(tx, [projectId], files, now, true);
  let rows = 0;
  const count = (r: { numDeletedRows: bigint }[]) => {
    for (const x of r) rows += Number(x.numDeletedRows);
  };
  // Trash entries inside the project (its batches and labels) go with it.
  const inner = await tx.selectFrom('trash').where('project_id', '=', projectId).select('id').execute();
  for (const part of chunks(
    inner.map((t) => t.id),
    500,
  )) {
    count(await tx.deleteFrom('trash_rows').where('trash_id', 'in', part).execute());
    await tx.deleteFrom('trash').where('id', 'in', part).execute();
  }
  count(await tx.deleteFrom('reviews').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('label_submissions').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('comments').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('workflow_history').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('labels').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('project_data_rows').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('batches').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('export_tasks').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('project_members').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('workflow_tasks').where('project_id', '=', projectId).execute());
  count(await tx.deleteFrom('projects').where('id', '=', projectId).execute());
  return rows;
}

/**
 * The finished export files of `projects` may hold what was erased: they are deleted (the task
 * rows stay, answering "files deleted", as after retention). `all`: every task's (a purge).
 */
async function dropExportFiles(tx: Tx, projects: string[], files: string[], now: number, all = false) {
  if (projects.length === 0) return;
  const tasks = await tx
    .selectFrom('export_tasks')
    .where('project_id', 'in', projects)
    .$if(!all, (q) => q.where('status', '<>', 'IN_PROGRESS').where('files_deleted_at', 'is', null))
    .select(['id', 'result_path', 'errors_path'])
    .execute();
  for (const t of tasks) {
    for (const p of [t.result_path, t.errors_path]) if (p) files.push(p, `${p}.idx`);
  }
  if (!all && tasks.length > 0) {
    await tx
      .updateTable('export_tasks')
      .set({ files_deleted_at: now, result_path: null, errors_path: null })
      .where(
        'id',
        'in',
        tasks.map((t) => t.id),
      )
      .execute();
  }
}

async function removeFiles(files: string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })));
}

async function recordErasure(tx: Tx, actor: Actor, input: DeleteInput, now: number, rows: number) {
  await tx
    .insertInto('erasures')
    .values({
      id: newId(now),
      org_id: actor.orgId,
      kind: input.kind,
      target_id: input.id,
      erased_by: actor.userId,
      erased_at: now,
      row_count: rows,
    })
    .execute();
}

async function projectsOfRows(tx: Tx, ids: string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const part of chunks(ids, 500)) {
    const rows = await tx
      .selectFrom('project_data_rows')
      .where('data_row_id', 'in', part)
      .select('project_id')
      .distinct()
      .execute();
    for (const r of rows) out.add(r.project_id);
  }
  return [...out];
}

/** The live target in the caller's organization (and in the path's project), with its name. */
async function findLive(
  tx: Tx,
  orgId: string,
  input: { kind: TrashKind; id: string; projectId?: string | undefined },
): Promise<{ name: string } | undefined> {
  switch (input.kind) {
    case 'project':
      return tx
        .selectFrom('projects')
        .where('id', '=', input.id)
        .where('org_id', '=', orgId)
        .where('deleted_at', 'is', null)
        .select('name')
        .executeTakeFirst();
    case 'dataset':
      return tx
        .selectFrom('datasets')
        .where('id', '=', input.id)
        .where('org_id', '=', orgId)
        .where('deleted_at', 'is', null)
        .select('name')
        .executeTakeFirst();
    case 'batch':
      return tx
        .selectFrom('batches')
        .where('id', '=', input.id)
        .where('org_id', '=', orgId)
        .where('project_id', '=', input.projectId!)
        .select('name')
        .executeTakeFirst();
    case 'data_row':
      return tx
        .selectFrom('data_rows')
        .where('id', '=', input.id)
        .where('org_id', '=', orgId)
        .select((e) => e.fn.coalesce('global_key', 'id').as('name'))
        .executeTakeFirst();
    case 'label':
      return tx
        .selectFrom('labels')
        .where('id', '=', input.id)
        .where('org_id', '=', orgId)
        .where('project_id', '=', input.projectId!)
        .select('id as name')
        .executeTakeFirst();
  }
}

async function findTrash(
  tx: Tx,
  orgId: string,
  input: { kind: TrashKind; id: string; projectId?: string | undefined },
): Promise<TrashEntry | undefined> {
  return tx
    .selectFrom('trash')
    .where('org_id', '=', orgId)
    .where('kind', '=', input.kind)
    .where('target_id', '=', input.id)
    .$if(input.kind === 'batch' || input.kind === 'label', (q) =>
      q.where('project_id', '=', input.projectId!),
    )
    .select(['id', 'kind', 'target_id'])
    .orderBy('deleted_at', 'desc')
    .executeTakeFirst();
}

/** A data row goes back only into a live dataset: restore the dataset first. */
async function refuseUnderDeletedParent(tx: Tx, trashId: string): Promise<void> {
  const rows = await tx
    .selectFrom('trash_rows')
    .where('trash_id', '=', trashId)
    .where('tbl', '=', 'data_rows')
    .select('data')
    .limit(1)
    .execute();
  const datasetId = rows[0] ? (JSON.parse(rows[0].data) as { dataset_id: string }).dataset_id : undefined;
  if (!datasetId) return;
  const dataset = await tx
    .selectFrom('datasets')
    .where('id', '=', datasetId)
    .select('deleted_at')
    .executeTakeFirst();
  if (!dataset) throw new AppError('CONFLICT', `cannot restore: its dataset ${datasetId} was purged`);
  if (dataset.deleted_at != null) {
    throw new AppError(
      'CONFLICT',
      `cannot restore: its dataset ${datasetId} is deleted; restore the dataset first`,
    );
  }
}
