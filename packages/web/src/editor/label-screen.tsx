/**
 * Labeling: the queue's next row in the editor. Leases the row, keeps the answers in a draft,
 * renews the lease while the user works (and says so at once if it was lost), submits under the
 * draft's idempotency key with retries ("offline, will retry"), then shows the next row.
 */
import type { LeasedRow, Project } from '@prefer/sdk';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ProjectContext, useProjectContext } from '../api/project.ts';
import { useMe } from '../api/session.tsx';
import { EmptyState, ErrorState, PageSkeleton } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';
import { fromStored } from './answers.ts';
import { draftKey, loadDraft, pruneDrafts } from './draft.ts';
import { RowEditor } from './row-editor.tsx';
import { useLease } from './use-lease.ts';

type QueueState =
  | { kind: 'loading' }
  | { kind: 'row'; row: LeasedRow }
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

  const next = useCallback(async (project: Project) => {
    try {
      const row = await project.nextRow();
      setState(row ? { kind: 'row', row } : { kind: 'empty' });
    } catch (error) {
      setState({ kind: 'error', error });
    }
  }, []);

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
  const lease = useLease(ctx.project, row);
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
      // The count moves with the next row, so "N done" never shows over the row just sent.
      await next(ctx.project);
      setDone((d) => d + 1);
      setToast(what);
    },
    [ctx.project, next],
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
              ? { initial: () => fromStored(ctx.questions, preLabel.annotations.classifications) }
              : {})}
            notice={
              prefilled ? (
                <div className="banner" role="note">
                  Pre-filled from a model&apos;s pre-label: check every answer before you submit.
                </div>
              ) : undefined
            }
            leaseLost={lease.lost}
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
