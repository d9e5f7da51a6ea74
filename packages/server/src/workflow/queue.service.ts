/**
 * The labeling queue: hands a labeler the next row to label and leases it to them, so two
 * labelers never work on the same row at once. A lease that runs out puts the row back.
 */
import type { PreLabelWire } from '@prefer/schemas';
import type { ProjectRef } from '../auth/permissions.ts';
import { newestPreLabelColumn, preLabelOf } from '../labels/pre-label.read.ts';
import type { Actor } from '../orgs/actor.ts';
import { keepPlannerStatsFresh } from '../projects/planner-stats.ts';
import { knownProject } from '../projects/project.service.ts';
import { prepared } from '../store/prepared.ts';
import type { Store } from '../store/store.ts';
import { type WriteHook, writeWith } from '../store/write-hook.ts';
import { leaseLength, leaseNext } from './queue.lease.ts';
import { type WorkRow, workRowOfColumns } from './work-row.ts';

export { DEFAULT_LEASE_MS } from './queue.lease.ts';

export interface NextRowInput {
  projectId: string;
  /** The request's audit hook: its entry commits with this write (store/write-hook.ts). */
  auditHook?: WriteHook | undefined;
  /** How long the row stays reserved: 1 ms to 24 hours, 30 minutes by default. */
  leaseMs?: number | undefined;
  /** The row after the one the labeler works on (a prefetch), leased besides it: see `leaseNext`. */
  ahead?: boolean | undefined;
  /** The clock (tests move it instead of waiting). */
  now?: (() => number) | undefined;
  /** The project as the request's authorization read it (skips reading it again). */
  project?: ProjectRef | undefined;
}

export interface LeasedRow extends WorkRow {
  leaseExpiresAt: number;
}

export interface NextRow extends LeasedRow {
  /** The row's newest pre-label in the project, for the editor to start from. */
  preLabel: PreLabelWire | null;
}

/**
 * The row the labeler should label next, leased to them; null when nothing is left for them.
 * Asking again while holding a lease answers the same row (its lease renewed); with `ahead`,
 * the row after it, leased too (once they submit or skip the first, it is theirs to label). Order: batch
 * priority (1 first), then the time the row entered the project, then id. Rows this user has
 * labeled (or skipped) already are never offered again: consensus wants different labelers.
 */
export async function nextRow(store: Store, actor: Actor, input: NextRowInput): Promise<NextRow | null> {
  const leaseMs = leaseLength(input.leaseMs);
  const project = await knownProject(store.db, actor.orgId, input.projectId, input.project);
  keepPlannerStatsFresh(store);
  return writeWith(store, input.auditHook, async (tx) => {
    const now = (input.now ?? Date.now)();
    const expires = now + leaseMs;
    const request = {
      projectId: project.id,
      status: 'TO_LABEL',
      now,
      expires,
      ahead: input.ahead === true,
    } as const;
    const dataRowId = await leaseNext(tx, store.backend, actor, request);
    if (dataRowId === null) return null;
    const r = await leasedRow.first(tx, { id: dataRowId, orgId: actor.orgId, projectId: project.id });
    if (!r) throw new Error(`data row ${dataRowId} is missing`);
    return { ...workRowOfColumns(r), leaseExpiresAt: expires, preLabel: preLabelOf(r.pre_label) };
  });
}

// Every `next` reads it: built and compiled once (store/prepared.ts).
const leasedRow = prepared((db, p: { id: string; orgId: string; projectId: string }) =>
  db
    .selectFrom('data_rows as d')
    .where('d.id', '=', p.id)
    .select(['d.id', 'd.row_data', 'd.global_key'])
    .select(newestPreLabelColumn(db, p)),
);
