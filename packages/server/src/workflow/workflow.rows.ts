/**
 * Pieces shared by the workflow services: reading a data row's state in a project under a row
 * lock, and moving rows between tasks with a history entry each.
 */
import { type Kysely, sql } from 'kysely';
import { touchActivity, touchOneQuery } from '../data-rows/activity.ts';
import { renderFragments } from '../exports/v2/fragments.ts';
import type { WorkflowTask } from '../projects/project.service.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isPostgres, jsonColumn, prepared } from '../store/prepared.ts';
import type { Database, ProjectDataRowTable, TaskKind, WorkflowStatus } from '../store/schema.ts';
import type { Backend, Tx } from '../store/store.ts';
import { statusOfKind } from './workflow-tasks.ts';

export type ProjectRow = Pick<
  ProjectDataRowTable,
  'data_row_id' | 'batch_id' | 'task_id' | 'workflow_status' | 'lease_user_id' | 'lease_expires_at'
>;

/**
 * The rows' state in the project by data row id, locked until the transaction ends (PostgreSQL
 * `FOR UPDATE`; SQLite write transactions are already exclusive), so two writers on one row take
 * turns. Rows missing from the project, or of another organization, are simply absent.
 */
export async function lockProjectRows(
  tx: Tx,
  backend: Backend,
  orgId: string,
  projectId: string,
  dataRowIds: readonly string[],
): Promise<Map<string, ProjectRow>> {
  const found = new Map<string, ProjectRow>();
  // One row (every submit and review): the same statement every time, compiled once.
  if (dataRowIds.length === 1) {
    const row = await lockOne.first(tx, { orgId, projectId, dataRowId: dataRowIds[0]! });
    if (row) found.set(row.data_row_id, row);
    return found;
  }
  for (let i = 0; i < dataRowIds.length; i += 500) {
    const rows = await tx
      .selectFrom('project_data_rows as pdr')
      .where('pdr.org_id', '=', orgId)
      .where('pdr.project_id', '=', projectId)
      .where('pdr.data_row_id', 'in', dataRowIds.slice(i, i + 500))
      .select(PROJECT_ROW_COLUMNS)
      .$if(backend === 'postgres', (q) => q.forUpdate())
      .execute();
    for (const r of rows) found.set(r.data_row_id, r);
  }
  return found;
}

/** The columns of `ProjectRow`, as `lockProjectRows` and the request path's locks select them. */
export const PROJECT_ROW_COLUMNS = [
  'pdr.data_row_id',
  'pdr.batch_id',
  'pdr.task_id',
  'pdr.workflow_status',
  'pdr.lease_user_id',
  'pdr.lease_expires_at',
] as const;

const lockOne = prepared((db, p: { orgId: string; projectId: string; dataRowId: string }) =>
  db
    .selectFrom('project_data_rows as pdr')
    .where('pdr.org_id', '=', p.orgId)
    .where('pdr.project_id', '=', p.projectId)
    .where('pdr.data_row_id', '=', p.dataRowId)
    .select(PROJECT_ROW_COLUMNS)
    .$if(isPostgres(db), (q) => q.forUpdate()),
);

/** One row of `lockProjectRows`; a row of another organization is answered exactly like a missing one. */
export async function lockProjectRow(
  tx: Tx,
  backend: Backend,
  orgId: string,
  projectId: string,
  dataRowId: string,
): Promise<ProjectRow> {
  const row = (await lockProjectRows(tx, backend, orgId, projectId, [dataRowId])).get(dataRowId);
  if (!row) throw notFound('data row', dataRowId);
  return row;
}

/** The project's tasks by id and its first task of each kind. */
export interface ProjectTasks {
  byId: ReadonlyMap<string, WorkflowTask>;
  ofKind(kind: TaskKind): WorkflowTask;
}

const tasksOf = prepared((db, p: { projectId: string }) =>
  db
    .selectFrom('workflow_tasks')
    .where('project_id', '=', p.projectId)
    .select(['id', 'name', 'kind', 'position'])
    .orderBy('position'),
);

export async function loadTasks(tx: Tx, projectId: string): Promise<ProjectTasks> {
  return projectTasks(projectId, await tasksOf.rows(tx, { projectId }));
}

function projectTasks(projectId: string, rows: readonly WorkflowTask[]): ProjectTasks {
  const byId = new Map(rows.map((t) => [t.id, t]));
  return {
    byId,
    ofKind(kind) {
      const task = rows.find((t) => t.kind === kind);
      if (!task) throw new Error(`project ${projectId} has no ${kind} task`);
      return task;
    },
  };
}

/**
 * The tasks of the project of `project_data_rows as pdr` as one column (`tasks`), so that the
 * statement that locks a row also brings what moving it needs: one round trip less per submit and
 * review. JSON of `[id, name, kind, position]` items; `tasksOfColumn` reads it.
 */
export function tasksColumn(db: Kysely<Database>) {
  const [list, item] = isPostgres(db) ? ['json_agg', 'json_build_array'] : ['json_group_array', 'json_array'];
  return sql<unknown>`(select ${sql.raw(list)}(${sql.raw(item)}(t.id, t.name, t.kind, t.position))
    from workflow_tasks t where t.project_id = pdr.project_id)`.as('tasks');
}

/** The tasks `tasksColumn` selected, in order. */
export function tasksOfColumn(projectId: string, column: unknown): ProjectTasks {
  const items = jsonColumn<[string, string, TaskKind, number][]>(column) ?? [];
  const rows = items
    .map(([id, name, kind, position]) => ({ id, name, kind, position: Number(position) }))
    .sort((a, b) => a.position - b.position);
  return projectTasks(projectId, rows);
}

export interface MoveSpec {
  projectId: string;
  /** Each row with the task it leaves. */
  rows: readonly { dataRowId: string; fromTaskId: string }[];
  to: WorkflowTask;
  /** `Move`, or the review actions `Approve` and `Reject`. */
  action: string;
  userId: string;
  now: number;
  tasks: ProjectTasks;
  /** See `MoveRecord.render`. */
  render?: boolean;
}

/**
 * Puts rows into a task (status from its kind, lease cleared) with one history entry each, task
 * names as they are now, and moves the rows' activity.
 */
export async function moveRowsTo(tx: Tx, m: MoveSpec): Promise<void> {
  for (let i = 0; i < m.rows.length; i += 500) {
    const page = m.rows.slice(i, i + 500);
    const ids = page.map((r) => r.dataRowId);
    // One row (a submit's or a review's move): the same statement every time, compiled once.
    if (page.length === 1) {
      const values = { taskId: m.to.id, status: statusOfKind(m.to.kind), now: m.now, projectId: m.projectId };
      await moveOne.affected(tx, { ...values, dataRowId: ids[0]! });
    } else
      await tx
        .updateTable('project_data_rows')
        .set({
          task_id: m.to.id,
          workflow_status: statusOfKind(m.to.kind),
          updated_at: m.now,
          lease_user_id: null,
          lease_expires_at: null,
          lease_ahead: 0,
        })
        .where('project_id', '=', m.projectId)
        .where('data_row_id', 'in', ids)
        .execute();
    await recordMoves(tx, {
      ...m,
      rows: page.map((r) => ({
        dataRowId: r.dataRowId,
        from: { id: r.fromTaskId, name: m.tasks.byId.get(r.fromTaskId)?.name ?? null },
      })),
    });
  }
}

type MoveOne = { taskId: string; status: WorkflowStatus; now: number; projectId: string; dataRowId: string };

const moveOneQuery = (db: Kysely<Database>, p: MoveOne) =>
  db
    .updateTable('project_data_rows')
    .set({
      task_id: p.taskId,
      workflow_status: p.status,
      updated_at: p.now,
      lease_user_id: null,
      lease_expires_at: null,
      lease_ahead: 0,
    })
    .where('project_id', '=', p.projectId)
    .where('data_row_id', '=', p.dataRowId);
const moveOne = prepared(moveOneQuery);

export interface MoveRecord {
  projectId: string;
  /** Each row with the task it left (null when it just entered the project). */
  rows: readonly { dataRowId: string; from: { id: string; name: string | null } | null }[];
  to: Pick<WorkflowTask, 'id' | 'name'>;
  action: string;
  userId: string;
  now: number;
  /**
   * Render the rows' export fragments in this transaction (the default: bulk moves and batch
   * adds render a page at a time). `false`: a one-row move of the request path, whose caller
   * hands the row to `refreshLater` after the commit instead (exports/v2/fragment-refresh.ts).
   */
  render?: boolean;
}

/**
 * What every workflow move records once the rows are in their new task: a history entry per row
 * (one insert), the rows' activity and their export fragments (exports/v2/fragments.ts). A
 * request's one-row move on PostgreSQL writes the same in one statement (`moveRecorded`): a new
 * step here belongs there too.
 */
export async function recordMoves(tx: Tx, m: MoveRecord): Promise<void> {
  if (m.rows.length === 0) return;
  const only = m.rows.length === 1 ? m.rows[0] : undefined;
  if (only) {
    await historyEntry.affected(tx, {
      id: newId(m.now),
      projectId: m.projectId,
      dataRowId: only.dataRowId,
      action: m.action,
      now: m.now,
      userId: m.userId,
      fromId: only.from?.id ?? null,
      fromName: only.from?.name ?? null,
      toId: m.to.id,
      toName: m.to.name,
    });
  } else
    await tx
      .insertInto('workflow_history')
      .values(
        m.rows.map((r) => ({
          id: newId(m.now),
          project_id: m.projectId,
          data_row_id: r.dataRowId,
          action: m.action,
          created_at: m.now,
          created_by: m.userId,
          previous_task_id: r.from?.id ?? null,
          previous_task_name: r.from?.name ?? null,
          next_task_id: m.to.id,
          next_task_name: m.to.name,
        })),
      )
      .execute();
  const ids = m.rows.map((r) => r.dataRowId);
  await touchActivity(tx, ids, m.now);
  // Last: the rows' export text as of this move (their labels and reviews are written by now).
  if (m.render !== false) await renderFragments(tx, m.projectId, ids);
}

type HistoryEntry = {
  id: string;
  projectId: string;
  dataRowId: string;
  action: string;
  now: number;
  userId: string;
  fromId: string | null;
  fromName: string | null;
  toId: string;
  toName: string;
};

const historyEntryQuery = (db: Kysely<Database>, p: HistoryEntry) =>
  db.insertInto('workflow_history').values({
    id: p.id,
    project_id: p.projectId,
    data_row_id: p.dataRowId,
    action: p.action,
    created_at: p.now,
    created_by: p.userId,
    previous_task_id: p.fromId,
    previous_task_name: p.fromName,
    next_task_id: p.toId,
    next_task_name: p.toName,
  });
const historyEntry = prepared(historyEntryQuery);

/**
 * Moves one locked row into the project's task of `kind` (see `moveRowsTo`): the request path
 * (submit, review), whose caller renders the row after its commit.
 */
export async function moveRowToKind(
  tx: Tx,
  projectId: string,
  row: Pick<ProjectRow, 'data_row_id' | 'task_id'>,
  tasks: ProjectTasks,
  kind: TaskKind,
  by: { action: string; userId: string; now: number },
): Promise<void> {
  const to = tasks.ofKind(kind);
  // PostgreSQL: every statement is a round trip, so the move, its history entry and the row's
  // activity go as one (data-modifying WITH; the history's triggers fire after all three).
  // SQLite runs statements in process and has no INSERT or UPDATE inside WITH.
  if (!isPostgres(tx)) {
    const rows = [{ dataRowId: row.data_row_id, fromTaskId: row.task_id }];
    return moveRowsTo(tx, { projectId, rows, to, ...by, tasks, render: false });
  }
  await moveRecorded.affected(tx, {
    taskId: to.id,
    status: statusOfKind(to.kind),
    now: by.now,
    projectId,
    dataRowId: row.data_row_id,
    id: newId(by.now),
    historyProject: projectId,
    historyRow: row.data_row_id,
    action: by.action,
    at: by.now,
    userId: by.userId,
    fromId: row.task_id,
    fromName: tasks.byId.get(row.task_id)?.name ?? null,
    toId: to.id,
    toName: to.name,
    activity: by.now,
    activityRow: row.data_row_id,
    before: by.now,
  });
}

// Each value is one parameter (store/prepared.ts), hence a name per use of the same value.
type Recorded = MoveOne & {
  id: string;
  historyProject: string;
  historyRow: string;
  action: string;
  at: number;
  userId: string;
  fromId: string;
  fromName: string | null;
  toId: string;
  toName: string;
  activity: number;
  activityRow: string;
  before: number;
};

/** What `moveRowsTo` and `recordMoves` write for one row, as one statement (PostgreSQL). */
const moveRecorded = prepared((db, p: Recorded) =>
  touchOneQuery(
    db
      .with('moved', () => moveOneQuery(db, p).returning('data_row_id'))
      .with('recorded', () =>
        historyEntryQuery(db, {
          id: p.id,
          projectId: p.historyProject,
          dataRowId: p.historyRow,
          action: p.action,
          now: p.at,
          userId: p.userId,
          fromId: p.fromId,
          fromName: p.fromName,
          toId: p.toId,
          toName: p.toName,
        }).returning('id'),
      ),
    { at: p.activity, id: p.activityRow, before: p.before },
  ),
);
