/**
 * Renewing a lease while the person works on the row (labeling or review), and learning that it
 * was lost: it ran out and someone else took the row, or a move (a submit, a review, a manager's
 * bulk move) ended it.
 */
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { leaseLength } from './queue.lease.ts';
import { lockProjectRow } from './workflow.rows.ts';

export interface RenewLeaseInput {
  projectId: string;
  dataRowId: string;
  /** The new lease length from now: 1 ms to 24 hours, 30 minutes by default. */
  leaseMs?: number | undefined;
  /** The clock (tests move it instead of waiting). */
  now?: (() => number) | undefined;
}

export interface RenewedLease {
  dataRowId: string;
  leaseExpiresAt: number;
}

/**
 * Extends the caller's lease on a row to `now + leaseMs`, and their labeling lease ahead (the
 * prefetched row) with it when it would end sooner. A lease that ran out while nobody took
 * the row is still the caller's (the queue would hand it back the same way: the conditional
 * update takes a row that is free, expired or one's own). LEASE_LOST when the row is not theirs
 * any more: someone else holds it, or it moved on (submitted, reviewed, moved); NOT_FOUND for a
 * row that is not in the project.
 */
export async function renewLease(store: Store, actor: Actor, input: RenewLeaseInput): Promise<RenewedLease> {
  const leaseMs = leaseLength(input.leaseMs);
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  return store.write(async (tx) => {
    const row = await lockProjectRow(tx, store.backend, actor.orgId, project.id, input.dataRowId);
    const now = (input.now ?? Date.now)();
    const leasable = row.workflow_status === 'TO_LABEL' || row.workflow_status === 'IN_REVIEW';
    if (!leasable || row.lease_user_id !== actor.userId) {
      throw new AppError(
        'LEASE_LOST',
        `you no longer hold data row ${row.data_row_id} (${row.workflow_status}); ask for the next row`,
      );
    }
    const expires = now + leaseMs;
    await tx
      .updateTable('project_data_rows')
      .set({ lease_expires_at: expires })
      .where('project_id', '=', project.id)
      .where('data_row_id', '=', row.data_row_id)
      .execute();
    // The row leased ahead (prefetched) lives as long as the row worked on: one beat renews both.
    if (row.workflow_status === 'TO_LABEL') {
      await tx
        .updateTable('project_data_rows')
        .set({ lease_expires_at: expires })
        .where('project_id', '=', project.id)
        .where('lease_user_id', '=', actor.userId)
        .where('lease_ahead', '=', 1)
        .where('workflow_status', '=', 'TO_LABEL')
        .where('lease_expires_at', '<', expires)
        .execute();
    }
    return { dataRowId: row.data_row_id, leaseExpiresAt: expires };
  });
}
