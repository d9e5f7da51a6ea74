/**
 * A project's overview for its managers: rows per workflow status at the end of each of the last
 * days, each labeler's labels per day, median active time, skip and review rejection rates.
 *
 * The status series is rebuilt backwards from the rows' status now (the truth), undoing each
 * workflow history entry and each row's arrival in the project, so its last point always equals
 * the queue counts, whatever history an import did or did not record.
 */
import { dateToMs } from '../exports/request/export-dates.ts';
import type { Actor } from '../orgs/actor.ts';
import type { TaskKind, WorkflowStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { statusOfKind } from '../workflow/workflow-tasks.ts';
import { requireProject } from './project.service.ts';

export interface OverviewInput {
  projectId: string;
  /** Calendar days covered, today included (1 to 90). */
  days: number;
  /** IANA zone the days are counted in (checked by the caller). */
  timezone: string;
  now?: () => number;
}

type Counts = Record<WorkflowStatus, number>;

export interface Overview {
  days: string[];
  timezone: string;
  counts: Counts;
  rowsTotal: number;
  series: (Counts & { day: string })[];
  labelers: {
    userId: string;
    email: string;
    name: string;
    labels: number[];
    skips: number;
    total: number;
    medianSecondsToCreate: number | null;
  }[];
  labels: number;
  skips: number;
  reviews: number;
  rejections: number;
  medianSecondsToCreate: number | null;
  skipRate: number | null;
  reviewRejectionRate: number | null;
  generatedAt: number;
}

const zero = (): Counts => ({ TO_LABEL: 0, IN_REVIEW: 0, IN_REWORK: 0, DONE: 0 });

export async function projectOverview(store: Store, actor: Actor, input: OverviewInput): Promise<Overview> {
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  const now = (input.now ?? Date.now)();
  const { days, starts } = dayWindow(now, input.days, input.timezone);
  const since = starts[0]!;
  const db = store.db;
  const [rows, history, labels, reviews] = await Promise.all([
    db
      .selectFrom('project_data_rows')
      .where('project_id', '=', project.id)
      .where('org_id', '=', actor.orgId)
      .select(['data_row_id', 'added_at', 'workflow_status'])
      .execute(),
    // Only entries after the window's start are undone; earlier ones cannot change its points.
    db
      .selectFrom('workflow_history as h')
      .leftJoin('workflow_tasks as t', 't.id', 'h.previous_task_id')
      .where('h.project_id', '=', project.id)
      .where('h.created_at', '>=', since)
      .select(['h.data_row_id', 'h.created_at', 't.kind'])
      .execute(),
    db
      .selectFrom('labels as l')
      .innerJoin('users as u', 'u.id', 'l.created_by')
      .where('l.project_id', '=', project.id)
      .where('l.org_id', '=', actor.orgId)
      .where('l.created_at', '>=', since)
      .select(['l.created_by', 'l.created_at', 'l.skipped', 'l.seconds_to_create', 'u.email', 'u.name'])
      .execute(),
    db
      .selectFrom('reviews')
      .where('project_id', '=', project.id)
      .where('org_id', '=', actor.orgId)
      .where('created_at', '>=', since)
      .select((e) => [
        e.fn.countAll<number | string>().as('n'),
        e.fn.sum<number | string | null>(e.case().when('score', '<', 0).then(1).else(0).end()).as('rejected'),
      ])
      .executeTakeFirstOrThrow(),
  ]);

  const status = new Map<string, WorkflowStatus>();
  const counts = zero();
  for (const r of rows) {
    status.set(r.data_row_id, r.workflow_status);
    counts[r.workflow_status]++;
  }
  const series = statusSeries(status, counts, rows, history, days, starts, now);

  const dayIndex = (at: number) => {
    let i = starts.length - 1;
    while (i > 0 && at < starts[i]!) i--;
    return i;
  };
  const byUser = new Map<string, Overview['labelers'][number] & { times: number[] }>();
  const allTimes: number[] = [];
  let labelCount = 0;
  let skipCount = 0;
  for (const l of labels) {
    let u = byUser.get(l.created_by);
    if (!u) {
      u = {
        userId: l.created_by,
        email: l.email,
        name: l.name,
        labels: days.map(() => 0),
        skips: 0,
        total: 0,
        medianSecondsToCreate: null,
        times: [],
      };
      byUser.set(l.created_by, u);
    }
    if (Number(l.skipped)) {
      u.skips++;
      skipCount++;
      continue;
    }
    u.labels[dayIndex(Number(l.created_at))]!++;
    u.total++;
    labelCount++;
    if (l.seconds_to_create !== null) {
      u.times.push(Number(l.seconds_to_create));
      allTimes.push(Number(l.seconds_to_create));
    }
  }
  const labelers = [...byUser.values()]
    .map(({ times, ...u }) => ({ ...u, medianSecondsToCreate: median(times) }))
    .sort((a, b) => b.total - a.total || a.email.localeCompare(b.email));
  const reviewCount = Number(reviews.n);
  const rejections = Number(reviews.rejected ?? 0);
  return {
    days,
    timezone: input.timezone,
    counts,
    rowsTotal: rows.length,
    series,
    labelers,
    labels: labelCount,
    skips: skipCount,
    reviews: reviewCount,
    rejections,
    medianSecondsToCreate: median(allTimes),
    skipRate: labelCount + skipCount === 0 ? null : skipCount / (labelCount + skipCount),
    reviewRejectionRate: reviewCount === 0 ? null : rejections / reviewCount,
    generatedAt: now,
  };
}

/** The `YYYY-MM-DD` days ending today in the zone, and the instant each one starts. */
export function dayWindow(
  now: number,
  count: number,
  timezone: string,
): { days: string[]; starts: number[] } {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const today = format.format(now);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const days: string[] = [];
  const starts: number[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const day = new Date(Date.UTC(y, m - 1, d - i)).toISOString().slice(0, 10);
    days.push(day);
    starts.push(dateToMs(day, 'start', timezone));
  }
  return { days, starts };
}

interface Undo {
  at: number;
  dataRowId: string;
  /** The status before the entry; null: the row was not in the project before. */
  before: WorkflowStatus | null;
}

function statusSeries(
  status: Map<string, WorkflowStatus>,
  counts: Counts,
  rows: readonly { data_row_id: string; added_at: number | string }[],
  history: readonly { data_row_id: string; created_at: number | string; kind: TaskKind | null }[],
  days: readonly string[],
  starts: readonly number[],
  now: number,
): (Counts & { day: string })[] {
  const undo: Undo[] = [
    ...history.map((h) => ({
      at: Number(h.created_at),
      dataRowId: h.data_row_id,
      before: h.kind === null ? ('TO_LABEL' as const) : statusOfKind(h.kind),
    })),
    ...rows
      .filter((r) => Number(r.added_at) >= starts[0]!)
      .map((r) => ({ at: Number(r.added_at), dataRowId: r.data_row_id, before: null })),
  ];
  // Newest first; at one instant a row's moves are undone before its arrival.
  undo.sort((a, b) => b.at - a.at || (a.before === null ? 1 : 0) - (b.before === null ? 1 : 0));
  const live = new Map(status);
  const running = { ...counts };
  const out: (Counts & { day: string })[] = [];
  let next = 0;
  for (let i = days.length - 1; i >= 0; i--) {
    // The end of day i: now for today, else the start of the next day.
    const end = i === days.length - 1 ? now : starts[i + 1]!;
    while (next < undo.length && undo[next]!.at >= end) {
      const u = undo[next++]!;
      const current = live.get(u.dataRowId);
      if (current === undefined) continue;
      running[current]--;
      if (u.before === null) live.delete(u.dataRowId);
      else {
        live.set(u.dataRowId, u.before);
        running[u.before]++;
      }
    }
    out.push({ day: days[i]!, ...running });
  }
  return out.reverse();
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
