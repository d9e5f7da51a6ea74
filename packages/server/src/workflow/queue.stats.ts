/** Where a project's rows are in the workflow, and what the queue holds for the caller. */
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import type { WorkflowStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export interface QueueStats {
  /** Rows per workflow status. */
  counts: Record<WorkflowStatus, number>;
  /** TO_LABEL rows under a live lease (anyone's). */
  leased: number;
  /** The row the caller holds a live lease on, if any, and until when. */
  held: { dataRowId: string; leaseExpiresAt: number } | null;
}

export async function queueStats(store: Store, actor: Actor, projectId: string): Promise<QueueStats> {
  const project = await requireProject(store.db, actor.orgId, projectId);
  const now = Date.now();
  const base = store.db
    .selectFrom('project_data_rows')
    .where('project_id', '=', project.id)
    .where('org_id', '=', actor.orgId);
  const [byStatus, leased, held] = await Promise.all([
    base
      .select((e) => ['workflow_status', e.fn.countAll<number | string>().as('n')])
      .groupBy('workflow_status')
      .execute(),
    base
      .where('workflow_status', '=', 'TO_LABEL')
      .where('lease_expires_at', '>', now)
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow(),
    base
      .where('workflow_status', '=', 'TO_LABEL')
      .where('lease_user_id', '=', actor.userId)
      .where('lease_expires_at', '>', now)
      // The row they work on, not the one leased ahead of it.
      .where('lease_ahead', '=', 0)
      .select(['data_row_id', 'lease_expires_at'])
      .orderBy('lease_expires_at', 'desc')
      .executeTakeFirst(),
  ]);
  const counts: Record<WorkflowStatus, number> = { TO_LABEL: 0, IN_REVIEW: 0, IN_REWORK: 0, DONE: 0 };
  for (const r of byStatus) counts[r.workflow_status] = Number(r.n);
  return {
    counts,
    leased: Number(leased.n),
    held: held ? { dataRowId: held.data_row_id, leaseExpiresAt: Number(held.lease_expires_at) } : null,
  };
}
