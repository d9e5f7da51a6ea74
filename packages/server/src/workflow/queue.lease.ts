/**
 * Leases on a project's rows, shared by the labeling queue (`TO_LABEL` rows) and the review queue
 * (`IN_REVIEW` rows): a row is held by one person until its lease runs out, kept in
 * `project_data_rows.lease_user_id` / `lease_expires_at`. Every workflow move clears the lease,
 * so a lease always belongs to the row's current status.
 */
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Backend, Tx } from '../store/store.ts';
import { invalid } from './submit.input.ts';

export const DEFAULT_LEASE_MS = 30 * 60 * 1000;
export const MAX_LEASE_MS = 24 * 60 * 60 * 1000;

/** The statuses whose rows are handed out under a lease. */
export type LeasedStatus = 'TO_LABEL' | 'IN_REVIEW';

/** A lease length from a caller: 1 ms to 24 hours, 30 minutes when not given. */
export function leaseLength(leaseMs: number | undefined): number {
  const ms = leaseMs ?? DEFAULT_LEASE_MS;
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_LEASE_MS) {
    throw invalid([{ path: '$.leaseMs', message: `must be an integer from 1 to ${MAX_LEASE_MS}` }]);
  }
  return ms;
}

export interface LeaseRequest {
  projectId: string;
  status: LeasedStatus;
  now: number;
  expires: number;
  /**
   * The labeling queue's row ahead: the one after the row the caller works on, leased while they
   * still work on that one (the web editor's prefetch). At most one per labeler and project.
   */
  ahead?: boolean;
}

/**
 * The row of `status` the caller should work on next, leased to them until `expires`: the one
 * they hold already (renewed), else the first free one in queue order (batch priority, the time
 * the row entered the project, id) that has no label of theirs; null when there is none.
 *
 * Labeling keeps a second lease per labeler, the row ahead (`r.ahead`). A plain request answers
 * the row they work on, else their row ahead, which becomes the one they work on; an ahead
 * request answers their row ahead, else leases a new one, never a row they lease already (even
 * one whose lease ran out: it is still theirs to renew). Every lease counts alike against other
 * labelers: a row has one holder, so consensus never hands it to more labelers than it wants.
 */
export async function leaseNext(
  tx: Tx,
  backend: Backend,
  actor: Actor,
  r: LeaseRequest,
): Promise<string | null> {
  const held = await tx
    .selectFrom('project_data_rows')
    .where('project_id', '=', r.projectId)
    .where('org_id', '=', actor.orgId)
    .where('workflow_status', '=', r.status)
    .where('lease_user_id', '=', actor.userId)
    // The row ahead is the caller's until someone else takes it, like a renewal finds it.
    .$if(r.ahead === true, (q) => q.where('lease_ahead', '=', 1))
    .$if(r.ahead !== true, (q) => q.where('lease_expires_at', '>', r.now))
    .select('data_row_id')
    // Plain: the row worked on first, else the row ahead (promoted by the lease taken below).
    .orderBy('lease_ahead')
    .orderBy('lease_expires_at')
    .executeTakeFirst();
  if (held && (await takeLease(tx, actor, held.data_row_id, r))) return held.data_row_id;
  const candidate = () =>
    tx
      .selectFrom('project_data_rows as p')
      .where('p.project_id', '=', r.projectId)
      .where('p.org_id', '=', actor.orgId)
      .where('p.workflow_status', '=', r.status)
      .where((e) =>
        r.ahead === true
          ? e.or([
              e('p.lease_user_id', 'is', null),
              e.and([e('p.lease_expires_at', '<=', r.now), e('p.lease_user_id', '<>', actor.userId)]),
            ])
          : e.or([e('p.lease_user_id', 'is', null), e('p.lease_expires_at', '<=', r.now)]),
      )
      // Labeling: consensus wants different labelers. Review: nobody reviews a row they labeled.
      .where((e) =>
        e.not(
          e.exists(
            e
              .selectFrom('labels as l')
              .whereRef('l.project_id', '=', 'p.project_id')
              .whereRef('l.data_row_id', '=', 'p.data_row_id')
              .where('l.created_by', '=', actor.userId)
              .select('l.id'),
          ),
        ),
      )
      .select('p.data_row_id')
      .orderBy('p.priority')
      .orderBy('p.added_at')
      .orderBy('p.data_row_id')
      .limit(1)
      // PostgreSQL: rows another transaction is leasing right now are passed over, not waited on.
      .$if(backend === 'postgres', (q) => q.forUpdate('p').skipLocked());
  // The first candidate found and leased by one statement (one round trip instead of two): the
  // lease's own conditions hold for any candidate, which (PostgreSQL) is locked by then.
  const taken = await leaseUpdate(tx, actor, r)
    .where('data_row_id', '=', candidate())
    .returning('data_row_id')
    .executeTakeFirst();
  if (taken) return taken.data_row_id;
  // None taken: no candidate, or (should the lease's conditions ever refuse one) the rounds
  // below as before. A candidate someone else leases between our read and our update is lost by
  // the conditional update; try the next one (a few rounds at most under heavy contention).
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await candidate().executeTakeFirst();
    if (!found) return null;
    if (await takeLease(tx, actor, found.data_row_id, r)) return found.data_row_id;
  }
  throw new AppError('UNAVAILABLE', 'the queue is busy; ask again');
}

/** Takes or renews the lease only if it is still free, expired or ours: true when it was. */
async function takeLease(tx: Tx, actor: Actor, dataRowId: string, r: LeaseRequest): Promise<boolean> {
  const result = await leaseUpdate(tx, actor, r).where('data_row_id', '=', dataRowId).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The lease update of a row of the project in `r.status`, if it is still free, expired or ours. */
function leaseUpdate(tx: Tx, actor: Actor, r: LeaseRequest) {
  return tx
    .updateTable('project_data_rows')
    .set({ lease_user_id: actor.userId, lease_expires_at: r.expires, lease_ahead: r.ahead === true ? 1 : 0 })
    .where('project_id', '=', r.projectId)
    .where('workflow_status', '=', r.status)
    .where((e) =>
      e.or([
        e('lease_user_id', 'is', null),
        e('lease_user_id', '=', actor.userId),
        e('lease_expires_at', '<=', r.now),
      ]),
    );
}
