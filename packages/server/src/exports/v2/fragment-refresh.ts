/**
 * The request path's export fragments, rendered in the background. A submit, skip or review
 * leaves its row's `x_labels` / `x_history` NULL (the stale-fragment triggers clear them) and
 * names the row here after its commit; a debounced renderer then renders the rows named in the
 * last `delayMs` in pages (`renderFragments`: one project, tasks, page and UPDATE for up to PAGE
 * rows instead of ten statements in every request). A row written again meanwhile (a submit
 * then its review) is rendered once.
 *
 * Nothing depends on it for correctness: a row still NULL (not rendered yet, a process that
 * ended first, a render that failed, a row written again while it rendered) is rendered by the
 * exporter from the tables. Each process renders the rows its own requests wrote. On PostgreSQL
 * the render reads without row locks (the queue skips locked rows: a row held for a whole render
 * would vanish from it) and stores only rows unchanged since it read them (`renderFragments`'
 * `lock: false`). Its UPDATE still holds each row it stores until the page commits: for that
 * moment a lease passes over the row and takes the next one, and the row is there for the next
 * lease. Tests that check which row a lease gets `flushFragments` first.
 */
import type { Store } from '../../store/store.ts';
import { renderFragments } from './fragments.ts';

/** How long rows wait to be rendered together (a labeler's submit and its review often fall in it). */
let delayMs = 250;

/** Tests hold the renderer back (a long delay) to count what `flushFragments` renders at once. */
export function setRefreshDelay(ms: number): number {
  const before = delayMs;
  delayMs = ms;
  return before;
}
/** Rows per render transaction: one page of the renderer, and the row locks it holds at once. */
const PAGE = 100;

interface Refresher {
  /** Rows waiting, by project. */
  pending: Map<string, Set<string>>;
  timer: NodeJS.Timeout | undefined;
  /** The render running now, if any. */
  running: Promise<void> | undefined;
}

const refreshers = new WeakMap<Store, Refresher>();

export type RefreshErrorLog = (projectId: string, rows: number, error: unknown) => void;

let logError: RefreshErrorLog = (projectId, rows, error) => {
  console.error(
    `[prefer] export fragments of ${rows} row(s) of project ${projectId} not rendered (the export renders them):`,
    error,
  );
};

/** Tests replace the log to see a failed render. */
export function setRefreshErrorLog(log: RefreshErrorLog): RefreshErrorLog {
  const before = logError;
  logError = log;
  return before;
}

/** Names rows whose fragments a committed write left NULL; they are rendered within `delayMs`. */
export function refreshLater(store: Store, projectId: string, dataRowIds: readonly string[]): void {
  let r = refreshers.get(store);
  if (!r) {
    r = { pending: new Map(), timer: undefined, running: undefined };
    refreshers.set(store, r);
  }
  let rows = r.pending.get(projectId);
  if (!rows) {
    rows = new Set();
    r.pending.set(projectId, rows);
  }
  for (const id of dataRowIds) rows.add(id);
  schedule(store, r);
}

function schedule(store: Store, r: Refresher): void {
  if (r.timer || r.running || r.pending.size === 0) return;
  r.timer = setTimeout(() => {
    r.timer = undefined;
    r.running = renderPending(store, r).finally(() => {
      r.running = undefined;
      schedule(store, r);
    });
  }, delayMs);
  // A process ending with rows still waiting leaves them NULL: the exporter renders them.
  r.timer.unref();
}

async function renderPending(store: Store, r: Refresher): Promise<void> {
  const pending = r.pending;
  r.pending = new Map();
  for (const [projectId, rows] of pending) {
    const ids = [...rows];
    for (let i = 0; i < ids.length; i += PAGE) {
      const page = ids.slice(i, i + PAGE);
      try {
        await store.write((tx) => renderFragments(tx, projectId, page, { lock: false }));
      } catch (error) {
        logError(projectId, page.length, error);
      }
    }
  }
}

/** Renders every row named so far now, and waits for it (server shutdown, tests). */
export async function flushFragments(store: Store): Promise<void> {
  const r = refreshers.get(store);
  if (!r) return;
  for (;;) {
    if (r.running) {
      await r.running;
      continue;
    }
    if (r.pending.size === 0) return;
    clearTimeout(r.timer);
    r.timer = undefined;
    r.running = renderPending(store, r).finally(() => {
      r.running = undefined;
    });
  }
}
