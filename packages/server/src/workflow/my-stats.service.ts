/**
 * A person's figures in one project, for their home screen: what they did since a moment the
 * client picks (the start of their local day), what they did in all, how many rows the project
 * holds, and their median active seconds per label.
 */
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import type { Db, Store } from '../store/store.ts';

export interface MyStatsInput {
  projectId: string;
  /** Milliseconds; the start of the current UTC day when not given. */
  since?: number | undefined;
  /** The clock (tests move it instead of waiting). */
  now?: (() => number) | undefined;
}

export interface MyStats {
  since: number;
  /** The caller's labels (not skips) created at or after `since`, and in all. */
  labelsSince: number;
  labelsTotal: number;
  skipsSince: number;
  skipsTotal: number;
  /** The caller's review decisions at or after `since`, and in all. */
  reviewsSince: number;
  reviewsTotal: number;
  /** Data rows in the project. */
  rowsTotal: number;
  /** The median `seconds_to_create` of the caller's labels (skips left out); null without any. */
  medianSecondsToCreate: number | null;
}

const DAY_MS = 24 * 3600 * 1000;

export async function myStats(store: Store, actor: Actor, input: MyStatsInput): Promise<MyStats> {
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  const now = (input.now ?? Date.now)();
  const since = input.since ?? now - (now % DAY_MS);
  const db = store.db;
  const labels = db
    .selectFrom('labels')
    .where('project_id', '=', project.id)
    .where('created_by', '=', actor.userId)
    .select((e) => [
      'skipped',
      e.fn.countAll<number | string>().as('total'),
      e.fn
        .sum<number | string | null>(e.case().when('created_at', '>=', since).then(1).else(0).end())
        .as('recent'),
    ])
    .groupBy('skipped')
    .execute();
  const reviews = db
    .selectFrom('reviews')
    .where('project_id', '=', project.id)
    .where('created_by', '=', actor.userId)
    .select((e) => [
      e.fn.countAll<number | string>().as('total'),
      e.fn
        .sum<number | string | null>(e.case().when('created_at', '>=', since).then(1).else(0).end())
        .as('recent'),
    ])
    .executeTakeFirstOrThrow();
  const rows = db
    .selectFrom('project_data_rows')
    .where('project_id', '=', project.id)
    .select((e) => e.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  const [byKind, reviewed, inProject, median] = await Promise.all([
    labels,
    reviews,
    rows,
    medianSeconds(db, project.id, actor.userId),
  ]);
  const kind = (skipped: number) => byKind.find((k) => Number(k.skipped) === skipped);
  return {
    since,
    labelsSince: Number(kind(0)?.recent ?? 0),
    labelsTotal: Number(kind(0)?.total ?? 0),
    skipsSince: Number(kind(1)?.recent ?? 0),
    skipsTotal: Number(kind(1)?.total ?? 0),
    reviewsSince: Number(reviewed.recent ?? 0),
    reviewsTotal: Number(reviewed.total),
    rowsTotal: Number(inProject.n),
    medianSecondsToCreate: median,
  };
}

/** The median of the caller's label times, read as the one or two middle values in order. */
async function medianSeconds(db: Db, projectId: string, userId: string): Promise<number | null> {
  const timed = db
    .selectFrom('labels')
    .where('project_id', '=', projectId)
    .where('created_by', '=', userId)
    .where('skipped', '=', 0)
    .where('seconds_to_create', 'is not', null);
  const { n } = await timed.select((e) => e.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const count = Number(n);
  if (count === 0) return null;
  const middle = await timed
    .select('seconds_to_create')
    .orderBy('seconds_to_create')
    .limit(count % 2 === 0 ? 2 : 1)
    .offset(Math.floor((count - 1) / 2))
    .execute();
  const values = middle.map((m) => Number(m.seconds_to_create));
  return values.reduce((s, v) => s + v, 0) / values.length;
}
