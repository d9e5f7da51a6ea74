/**
 * Labeling: the queue's next row in the editor. Leases the row, keeps the answers in a draft,
 * renews the lease while the user works (and says so at once if it was lost), submits under the
 * draft's idempotency key with retries ("offline, will retry"), then shows the next row.
 *
 * The next row is fetched while the user works on this one: the queue leases it "ahead" (the
 * server keeps it theirs, renews it with the current row, and makes it the current row when this
 * one is submitted or skipped), so after a submit it is on screen with no request in between.
 */
import type { LeasedRow, Project } from '@prefer/sdk';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ProjectContext, useProjectContext } from '../api/project.ts';
import { useMe } from '../api/session.tsx';
import { EmptyState, ErrorState, PageSkeleton } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';
import { fromStored } from './answers.ts';
import { draftKey, loadDraft, pruneDrafts } from './draft.ts';
import { fromStoredObjects } from './mmc/tools.ts';
import { takeFirstRow } from './opening.ts';
import { RowEditor } from './row-editor.tsx';
import { useLease } from './use-lease.ts';

type QueueState =
  | { kind: 'loading' }
  /** `prefetched`: leased ahead a while ago, so its lease is checked as it is shown. */
  | { kind: 'row'; row: LeasedRow; prefetched: boolean }
  | { kind: 'empty' }
  | { kind: 'error'; error: unknown };

export default function LabelScreen() {
  const { projectId = '' } = useParams();
  const ctx = useProjectContext(projectId);
  if (ctx.isPending) return <PageSkeleton />;
  if (ctx.isError) return <ErrorState error={ctx.error} retry={() => ctx.refetch()} />;
  return <Queue ctx={ctx.data} />;
}

function Queue({ ctx }: { ctx: ProjectContext }) {
  const me = useMe();
  const [state, setState] = useState<QueueState>({ kind: 'loading' });
  const [done, setDone] = useState(0);
  const [toast, setToast] = useState<string | null>(null);

  // The row leased ahead of the one on screen (`after`), once asked for.
  const ahead = useRef<{ after: string; row: Promise<LeasedRow | null> } | null>(null);

  const next = useCallback(async (project: Project) => {
    ahead.current = null;
    try {
      // The app may have leased it already, as it opened on this address (null: queue empty).
      const early = await takeFirstRow(project.id);
      const row = early === undefined ? await project.nextRow() : early;
      setState(row ? { kind: 'row', row, prefetched: false } : { kind: 'empty' });
    } catch (error) {
      setState({ kind: 'error', error });
    }
  }, []);

  // Once a row is on screen, the next one is leased ahead in the background.
  const shownId = state.kind === 'row' ? state.row.dataRowId : null;
  useEffect(() => {
    if (shownId === null || ahead.current?.after === shownId) return;
    const row = leaseAhead(ctx.project, shownId);
    // A failed prefetch only means the next row is asked for after the submit, as before.
    row.catch(() => {});
    ahead.current = { after: shownId, row };
  }, [ctx.project, shownId]);

  useEffect(() => {
    pruneDrafts();
    void next(ctx.project);
  }, [ctx.project, next]);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 1500);
    return () => clearTimeout(t);
  }, [toast]);

  const row = state.kind === 'row' ? state.row : null;
  const prefetched = state.kind === 'row' && state.prefetched;
  const lease = useLease(ctx.project, row, prefetched);

  // The row leased ahead went to someone else meanwhile (its lease ran out): the user has not
  // worked on it yet, so the queue's next row replaces it without asking.
  useEffect(() => {
    if (!lease.lost || !prefetched) return;
    void next(ctx.project).then(() => setToast('That row went to someone else; here is the next one'));
  }, [lease.lost, prefetched, ctx.project, next]);
  // A row's pre-label (model-assisted) is where the answers start when the labeler has no draft;
  // said once per row, as the editor opens it.
  const preLabel = row?.preLabel ?? null;
  const prefilled = useMemo(
    () =>
      row !== null &&
      preLabel !== null &&
      loadDraft(draftKey(me.user.id, ctx.project.id, row.dataRowId, 'label')) === undefined,
    [row, preLabel, me.user.id, ctx.project.id],
  );

  const onDone = useCallback(
    async (what: 'Saved' | 'Skipped') => {
      const sent = ahead.current;
      const after = state.kind === 'row' ? state.row.dataRowId : null;
      ahead.current = null;
      // The row leased ahead is this labeler's current row now: shown with no request. When
      // there was none (the queue looked empty, the prefetch failed), the queue is asked.
      const upcoming = sent && sent.after === after ? await sent.row.catch(() => null) : null;
      // The count moves with the next row, so "N done" never shows over the row just sent.
      if (upcoming) setState({ kind: 'row', row: upcoming, prefetched: true });
      else await next(ctx.project);
      setDone((d) => d + 1);
      setToast(what);
    },
    [ctx.project, next, state],
  );

  const title = ctx.project.name;
  const meta = <span className="meta">{done} done this session</span>;
  switch (state.kind) {
    case 'loading':
      return (
        <>
          <TopBar title={title}>{meta}</TopBar>
          <PageSkeleton />
        </>
      );
    case 'error':
      return (
        <>
          <TopBar title={title}>{meta}</TopBar>
          <ErrorState error={state.error} retry={() => void next(ctx.project)} />
        </>
      );
    case 'empty':
      return (
        <>
          <TopBar title={title}>{meta}</TopBar>
          <main className="page">
            <EmptyState title="No rows left in your queue">
              <p>
                {done > 0 ? `You labeled ${done} rows in this session.` : 'Nothing is waiting for you here.'}
              </p>
              <Link to="/">Back to your projects</Link>
            </EmptyState>
          </main>
        </>
      );
    case 'row':
      return (
        <div className="editor-page">
          <RowEditor
            key={state.row.dataRowId}
            ctx={ctx}
            me={me}
            rowId={state.row.dataRowId}
            rowData={state.row.rowData}
            title={title}
            meta={meta}
            mode="label"
            {...(preLabel
              ? {
                  initial: () => ({
                    ...fromStored(ctx.questions, preLabel.annotations.classifications),
                    ...fromStoredObjects(ctx.tools, preLabel.annotations.objects as unknown[] | undefined),
                  }),
                }
              : {})}
            notice={
              prefilled ? (
                <div className="banner" role="note">
                  Pre-filled from a model&apos;s pre-label: check every answer before you submit.
                </div>
              ) : undefined
            }
            // A lost row ahead is replaced at once (above) rather than reported.
            leaseLost={lease.lost && !state.prefetched}
            onReload={() => void next(ctx.project)}
            onDone={onDone}
          />
          {toast && (
            <div className="toast" role="status">
              {toast}
            </div>
          )}
        </div>
      );
  }
}

/**
 * Leases the row after `shown` ahead of time; null when the queue has nothing more. The row
 * ahead can come back as the row on screen: its ahead request reached the server after the
 * submit that would have made it current. Then a plain request makes it current and the next
 * one is asked for.
 */
async function leaseAhead(project: Project, shown: string): Promise<LeasedRow | null> {
  let row = await project.nextRow({ ahead: true });
  if (row?.dataRowId === shown) {
    await project.nextRow();
    row = await project.nextRow({ ahead: true });
  }
  return row && row.dataRowId !== shown ? row : null;
}
