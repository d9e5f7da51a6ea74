/**
 * The labeling queue: hands a labeler the next row to label and leases it to them, so two
 * labelers never work on the same row at once. A lease that runs out puts the row back.
 */
import type { Actor } from '../orgs/actor.ts';
import { analyzeStaleTables } from '../projects/planner-stats.ts';
import { requireProject } from '../projects/project.service.ts';
import { AppError } from '../shared/errors.ts';
import type { Store, Tx } from '../store/store.ts';
import { invalid } from './submit.input.ts';

export const DEFAULT_LEASE_MS = 30 * 60 * 1000;
const MAX_LEASE_MS = 24 * 60 * 60 * 1000;
const STATS_CHECK_MS = 60_000;
const statsCheckedAt = new WeakMap<Store, number>();

/**
 * PostgreSQL plans the queue query from table statistics: a project whose rows outgrew them (a
 * big batch, autovacuum off or behind) gets a full scan and sort per `next` (21 s at 100,000
 * rows, measured) instead of an index walk (2 ms). At most once a minute per store, tables that
 * grew well past their statistics are analyzed.
 */
async function freshPlannerStats(store: Store): Promise<void> {
  if (store.backend !== 'postgres') return;
  const now = Date.now();
  if (now - (statsCheckedAt.get(store) ?? 0) < STATS_CHECK_MS) return;
  statsCheckedAt.set(store, now);
  await analyzeStaleTables(store);
}

export interface NextRowInput {
  projectId: string;
  /** How long the row stays reserved: 1 ms to 24 hours, 30 minutes by default. */
  leaseMs?: number | undefined;
}

export interface LeasedRow {
  dataRowId: string;
  globalKey: string | null;
  /** The export's `row_data`: an https URL or the conversation serialized as JSON. */
  rowData: string;
  leaseExpiresAt: number;
}

/**
 * The row the labeler should label next, leased to them; null when nothing is left for them.
 * Asking again while holding a lease answers the same row (its lease renewed). Order: batch
 * priority (1 first), then the time the row entered the project, then id. Rows this user has
 * labeled (or skipped) already are never offered again: consensus wants different labelers.
 */
export async function nextRow(store: Store, actor: Actor, input: NextRowInput): Promise<LeasedRow | null> {
  const leaseMs = input.leaseMs ?? DEFAULT_LEASE_MS;
  if (!Number.isInteger(leaseMs) || leaseMs < 1 || leaseMs > MAX_LEASE_MS) {
    throw invalid([{ path: '$.leaseMs', message: `must be an integer from 1 to ${MAX_LEASE_MS}` }]);
  }
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  await freshPlannerStats(store);
  return store.write(async (tx) => {
    const now = Date.now();
    const expires = now + leaseMs;
    const held = await tx
      .selectFrom('project_data_rows')
      .where('project_id', '=', project.id)
      .where('org_id', '=', actor.orgId)
      .where('workflow_status', '=', 'TO_LABEL')
      .where('lease_user_id', '=', actor.userId)
      .where('lease_expires_at', '>', now)
      .select('data_row_id')
      .orderBy('lease_expires_at')
      .executeTakeFirst();
    if (held && (await lease(tx, project.id, held.data_row_id, actor.userId, now, expires))) {
      return answer(tx, held.data_row_id, expires);
    }
    // A candidate another labeler leases between our read and our update is lost by the
    // conditional update; try the next one (a few rounds at most under heavy contention).
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = await tx
        .selectFrom('project_data_rows as p')
        .where('p.project_id', '=', project.id)
        .where('p.org_id', '=', actor.orgId)
        .where('p.workflow_status', '=', 'TO_LABEL')
        .where((e) => e.or([e('p.lease_user_id', 'is', null), e('p.lease_expires_at', '<=', now)]))
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
        .$if(store.backend === 'postgres', (q) => q.forUpdate('p').skipLocked())
        .executeTakeFirst();
      if (!candidate) return null;
      if (await lease(tx, project.id, candidate.data_row_id, actor.userId, now, expires)) {
        return answer(tx, candidate.data_row_id, expires);
      }
    }
    throw new AppError('UNAVAILABLE', 'the queue is busy; ask again');
  });
}

/** Takes or renews the lease only if it is still free, expired or ours: true when it was. */
async function lease(
  tx: Tx,
  projectId: string,
  dataRowId: string,
  userId: string,
  now: number,
  expires: number,
): Promise<boolean> {
  const result = await tx
    .updateTable('project_data_rows')
    .set({ lease_user_id: userId, lease_expires_at: expires })
    .where('project_id', '=', projectId)
    .where('data_row_id', '=', dataRowId)
    .where('workflow_status', '=', 'TO_LABEL')
    .where((e) =>
      e.or([
        e('lease_user_id', 'is', null),
        e('lease_user_id', '=', userId),
        e('lease_expires_at', '<=', now),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function answer(tx: Tx, dataRowId: string, leaseExpiresAt: number): Promise<LeasedRow> {
  const row = await tx
    .selectFrom('data_rows')
    .where('id', '=', dataRowId)
    .select(['row_data', 'global_key'])
    .executeTakeFirstOrThrow();
  return { dataRowId, globalKey: row.global_key, rowData: row.row_data, leaseExpiresAt };
}
