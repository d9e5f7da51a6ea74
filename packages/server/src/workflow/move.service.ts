/**
 * Bulk workflow moves: up to 2,000 rows of a project into the project's task of a kind, each
 * with a `Move` history entry, all or nothing.
 */
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import { AppError, type Fault } from '../shared/errors.ts';
import { MAX_LISTED_FAULTS } from '../shared/result.ts';
import type { TaskKind } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { invalid } from './submit.input.ts';
import { loadTasks, lockProjectRows, moveRowsTo } from './workflow.rows.ts';
import { DEFAULT_WORKFLOW_TASKS } from './workflow-tasks.ts';

export const MAX_MOVE_ROWS = 2000;
const KINDS: readonly TaskKind[] = DEFAULT_WORKFLOW_TASKS.map((t) => t.kind);

export interface MoveRowsInput {
  projectId: string;
  dataRowIds: string[];
  /** The kind of task to move into, or one of the project's workflow tasks by id. */
  to: TaskKind | { taskId: string };
}

export interface MoveResult {
  /** Rows that changed task. */
  moved: number;
  /** Rows that were in that task already: left as they were, no history entry. */
  unchanged: number;
}

export async function moveRows(store: Store, actor: Actor, input: MoveRowsInput): Promise<MoveResult> {
  const faults: Fault[] = [];
  const byTask = typeof input.to === 'object' && input.to !== null;
  if (!byTask && !KINDS.includes(input.to as TaskKind)) {
    faults.push({ path: '$.to', message: `must be one of ${KINDS.join(', ')}` });
  }
  const ids = Array.isArray(input.dataRowIds) ? input.dataRowIds : [];
  if (!Array.isArray(input.dataRowIds) || ids.length === 0 || ids.length > MAX_MOVE_ROWS) {
    faults.push({ path: '$.dataRowIds', message: `must be a list of 1 to ${MAX_MOVE_ROWS} data row ids` });
  }
  const seen = new Map<string, number>();
  for (const [i, id] of ids.entries()) {
    if (typeof id !== 'string' || id === '')
      faults.push({ path: `$.dataRowIds[${i}]`, message: 'must be a data row id' });
    else if (seen.has(id))
      faults.push({ path: `$.dataRowIds[${i}]`, message: `repeats $.dataRowIds[${seen.get(id)}]` });
    else seen.set(id, i);
  }
  if (faults.length > 0) throw invalid(faults.slice(0, MAX_LISTED_FAULTS));
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  return store.write(async (tx) => {
    const found = await lockProjectRows(tx, store.backend, actor.orgId, project.id, ids);
    const missing = ids.flatMap((id, i) =>
      found.has(id)
        ? []
        : [{ path: `$.dataRowIds[${i}]`, message: `data row ${id} not found in the project` }],
    );
    // Rows of another organization are reported exactly like rows that do not exist.
    if (missing.length > 0) {
      throw new AppError(
        'NOT_FOUND',
        `${missing.length} data row(s) not found in project ${project.id}`,
        missing.slice(0, MAX_LISTED_FAULTS),
      );
    }
    const tasks = await loadTasks(tx, project.id);
    const to = typeof input.to === 'object' ? tasks.byId.get(input.to.taskId) : tasks.ofKind(input.to);
    if (!to) {
      const id = (input.to as { taskId: string }).taskId;
      const known = [...tasks.byId.values()].map((t) => `${t.id} (${t.name})`).join(', ');
      throw invalid([
        { path: '$.to', message: `task ${id} is not a task of this project; its tasks: ${known}` },
      ]);
    }
    const rows = ids
      .map((id) => ({ dataRowId: id, fromTaskId: found.get(id)!.task_id }))
      .filter((r) => r.fromTaskId !== to.id);
    await moveRowsTo(tx, {
      projectId: project.id,
      rows,
      to,
      action: 'Move',
      userId: actor.userId,
      now: Date.now(),
      tasks,
    });
    return { moved: rows.length, unchanged: ids.length - rows.length };
  });
}
