/**
 * Leases on a project's rows, shared by the labeling queue (`TO_LABEL` rows) and the review queue
 * (`IN_REVIEW` rows): a row is held by one person until its lease runs out, kept in
 * `project_data_rows.lease_user_id` / `lease_expires_at`. Every workflow move clears the lease,
 * so a lease always belongs to the row's current status.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import { isPostgres, prepared } from '../store/prepared.ts';
import type { Database } from '../store/schema.ts';
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
  _backend: Backend,
  actor: Actor,
  r: LeaseRequest,
): Promise<string | null> {
  const ahead = r.ahead === true;
  const who = { projectId: r.projectId, orgId: actor.orgId, status: r.status, userId: actor.userId };
  const held = await (ahead ? heldAhead : heldWorking).first(tx, { ...who, now: r.now });
  if (held && (await takeLease(tx, actor, held.data_row_id, r))) return held.data_row_id;
  // The first free row found and leased by one statement (one round trip instead of two): the
  // lease's own conditions hold for any candidate, which (PostgreSQL) is locked by then.
  const taken = await (ahead ? leaseFreeAhead : leaseFree).first(tx, {
    ...leaseValues(actor, r),
    ...who,
    now: r.now,
    labeler: actor.userId,
  });
  if (taken) return taken.data_row_id;
  // None taken: no candidate, or (should the lease's conditions ever refuse one) the rounds
  // below. A candidate someone else leases between our read and our update is lost by the
  // conditional update; try the next one (a few rounds at most under heavy contention).
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await (ahead ? freeAhead : free).first(tx, {
      ...who,
      now: r.now,
      labeler: actor.userId,
    });
    if (!candidate) return null;
    if (await takeLease(tx, actor, candidate.data_row_id, r)) return candidate.data_row_id;
  }
  throw new AppError('UNAVAILABLE', 'the queue is busy; ask again');
}

type Who = { projectId: string; orgId: string; status: LeasedStatus; userId: string };

// The queue's statements run on every `next`: built and compiled once (store/prepared.ts).
const held = (ahead: boolean) =>
  prepared((db, p: Who & { now: number }) =>
    db
      .selectFrom('project_data_rows')
      .where('project_id', '=', p.projectId)
      .where('org_id', '=', p.orgId)
      .where('workflow_status', '=', p.status)
      .where('lease_user_id', '=', p.userId)
      // The row ahead is the caller's until someone else takes it, like a renewal finds it.
      .$if(ahead, (q) => q.where('lease_ahead', '=', 1))
      .$if(!ahead, (q) => q.where('lease_expires_at', '>', p.now))
      .select('data_row_id')
      // Plain: the row worked on first, else the row ahead (promoted by the lease taken below).
      .orderBy('lease_ahead')
      .orderBy('lease_expires_at')
      .limit(1),
  );
const heldWorking = held(false);
const heldAhead = held(true);

// A value is one parameter (prepared.ts): the caller's id is two in the ahead variant, `userId`
// (the lease) and `labeler` (their labels); the plain variant reads `labeler` only.
type Free = Who & { now: number; labeler: string };
const firstFreeQuery = (db: Kysely<Database>, ahead: boolean, p: Free) =>
  db
    .selectFrom('project_data_rows as p')
    .where('p.project_id', '=', p.projectId)
    .where('p.org_id', '=', p.orgId)
    .where('p.workflow_status', '=', p.status)
    .where((e) =>
      ahead
        ? e.or([
            e('p.lease_user_id', 'is', null),
            e.and([e('p.lease_expires_at', '<=', p.now), e('p.lease_user_id', '<>', p.userId)]),
          ])
        : e.or([e('p.lease_user_id', 'is', null), e('p.lease_expires_at', '<=', p.now)]),
    )
    // Labeling: consensus wants different labelers. Review: nobody reviews a row they labeled.
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom('labels as l')
            .whereRef('l.project_id', '=', 'p.project_id')
            .whereRef('l.data_row_id', '=', 'p.data_row_id')
            .where('l.created_by', '=', p.labeler)
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
    .$if(isPostgres(db), (q) => q.forUpdate('p').skipLocked());
const firstFree = (ahead: boolean) => prepared((db, p: Free) => firstFreeQuery(db, ahead, p));
const free = firstFree(false);
const freeAhead = firstFree(true);

/**
 * What a lease update sets and checks; each value is one parameter (store/prepared.ts), so the
 * names differ from the candidate query's (`Free`), which the one-statement lease reads too.
 */
type LeaseValues = {
  leaseUser: string;
  holder: string;
  expires: number;
  aheadFlag: number;
  leaseProject: string;
  leaseStatus: LeasedStatus;
  leaseNow: number;
};

const leaseValues = (actor: Actor, r: LeaseRequest): LeaseValues => ({
  leaseUser: actor.userId,
  holder: actor.userId,
  expires: r.expires,
  aheadFlag: r.ahead === true ? 1 : 0,
  leaseProject: r.projectId,
  leaseStatus: r.status,
  leaseNow: r.now,
});

/** The lease update of a row of the project in `status`, if it is still free, expired or ours. */
const leaseUpdate = (db: Kysely<Database>, p: LeaseValues) =>
  db
    .updateTable('project_data_rows')
    .set({ lease_user_id: p.leaseUser, lease_expires_at: p.expires, lease_ahead: p.aheadFlag })
    .where('project_id', '=', p.leaseProject)
    .where('workflow_status', '=', p.leaseStatus)
    .where((e) =>
      e.or([
        e('lease_user_id', 'is', null),
        e('lease_user_id', '=', p.holder),
        e('lease_expires_at', '<=', p.leaseNow),
      ]),
    );

/** Takes or renews the lease only if it is still free, expired or ours: true when it was. */
async function takeLease(tx: Tx, actor: Actor, dataRowId: string, r: LeaseRequest): Promise<boolean> {
  return (await leaseIfFree.affected(tx, { ...leaseValues(actor, r), dataRowId })) === 1;
}

const leaseIfFree = prepared((db, p: LeaseValues & { dataRowId: string }) =>
  leaseUpdate(db, p).where('data_row_id', '=', p.dataRowId),
);

// The lease of the first free row, its candidate a subquery.
const leaseFirstFree = (ahead: boolean) =>
  prepared((db, p: LeaseValues & Free) =>
    leaseUpdate(db, p)
      .where('data_row_id', '=', firstFreeQuery(db, ahead, p))
      .returning('data_row_id'),
  );
const leaseFree = leaseFirstFree(false);
const leaseFreeAhead = leaseFirstFree(true);
