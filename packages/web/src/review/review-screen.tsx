/**
 * Review: one label at a time, read-only over the editor with the labeler's answers, the row's
 * other labels and their agreement, its comments; Approve (A) or Reject (R, with a reason).
 */
import type { Label, Project } from '@prefer/sdk';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type ProjectContext, useProjectContext } from '../api/project.ts';
import { sendWithRetry } from '../api/retry.ts';
import { type Me, useMe } from '../api/session.tsx';
import { useActiveTime } from '../editor/active-time.ts';
import { fromStored } from '../editor/answers.ts';
import { Clock } from '../editor/clock.tsx';
import { Comments } from '../editor/comments.tsx';
import { parseConversation } from '../editor/conversation.ts';
import { EditorView } from '../editor/editor-view.tsx';
import { MmcView } from '../editor/mmc/mmc-view.tsx';
import { comparedTurns, parseThread } from '../editor/mmc/thread.ts';
import { fromStoredObjects } from '../editor/mmc/tools.ts';
import { ReasonDialog } from '../editor/reason-dialog.tsx';
import { useLease } from '../editor/use-lease.ts';
import { Key } from '../ui/key.tsx';
import { describeError, EmptyState, ErrorState, PageSkeleton } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';
import { nextReview, type ReviewItem } from './review-queue.ts';

type State =
  | { kind: 'loading' }
  | { kind: 'item'; item: ReviewItem }
  | { kind: 'empty' }
  | { kind: 'error'; error: unknown };

export default function ReviewScreen() {
  const { projectId = '' } = useParams();
  const ctx = useProjectContext(projectId);
  if (ctx.isPending) return <PageSkeleton />;
  if (ctx.isError) return <ErrorState error={ctx.error} retry={() => ctx.refetch()} />;
  return <ReviewQueue ctx={ctx.data} />;
}

function ReviewQueue({ ctx }: { ctx: ProjectContext }) {
  const me = useMe();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [done, setDone] = useState(0);
  const next = useCallback(async () => {
    try {
      const item = await nextReview(ctx.project);
      setState(item ? { kind: 'item', item } : { kind: 'empty' });
    } catch (error) {
      setState({ kind: 'error', error });
    }
  }, [ctx.project]);
  useEffect(() => {
    void next();
  }, [next]);
  const title = `${ctx.project.name} · review`;
  const meta = <span className="meta">{done} reviewed this session</span>;
  if (state.kind === 'item') {
    return (
      <ReviewItemView
        key={state.item.label.id}
        ctx={ctx}
        me={me}
        item={state.item}
        title={title}
        meta={meta}
        onDone={async () => {
          await next();
          setDone((d) => d + 1);
        }}
      />
    );
  }
  return (
    <>
      <TopBar title={title}>{meta}</TopBar>
      {state.kind === 'loading' && <PageSkeleton />}
      {state.kind === 'error' && <ErrorState error={state.error} retry={() => void next()} />}
      {state.kind === 'empty' && (
        <main className="page">
          <EmptyState title="No labels waiting for review">
            <Link to="/">Back to your projects</Link>
          </EmptyState>
        </main>
      )}
    </>
  );
}

function ReviewItemView(props: {
  ctx: ProjectContext;
  me: Me;
  item: ReviewItem;
  title: string;
  meta: React.ReactNode;
  onDone: () => Promise<void>;
}) {
  const { ctx, item } = props;
  const project: Project = ctx.project;
  const thread = useMemo(() => parseThread(item.row.rowData), [item.row.rowData]);
  const conversation = useMemo(
    () => (thread === null ? parseConversation(item.row.rowData) : { error: '' }),
    [thread, item.row.rowData],
  );
  const lease = useLease(project, item.row);
  const answers = useMemo(
    () => ({
      ...fromStored(ctx.questions, item.label.annotations.classifications),
      ...fromStoredObjects(ctx.tools, item.label.annotations.objects as unknown[] | undefined),
    }),
    [ctx.questions, ctx.tools, item.label],
  );
  const time = useActiveTime(item.label.id, 0);
  const [rejecting, setRejecting] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (thread !== null && 'error' in thread) return <ErrorState error={new Error(thread.error)} />;
  if (thread === null && 'error' in conversation) return <ErrorState error={new Error(conversation.error)} />;
  // The reviewer sees the sides as the labeler saw them (so "left" means the same to both).
  const order =
    item.label.displayedOrder ??
    (thread !== null
      ? comparedTurns(thread).flatMap((t) => t.replies.map((r) => r.id))
      : 'error' in conversation
        ? []
        : conversation.modelOutputs.map((o) => o.title));

  async function review(decision: 'approve' | 'reject', reason?: string) {
    if (busy) return;
    setBusy(true);
    const secondsToReview = Math.round(time.read() / 100) / 10;
    try {
      await sendWithRetry(
        () => project.reviewLabel(item.label.id, { decision, reason, secondsToReview }),
        (s) => setStatus(s === 'retrying' ? 'Offline, will retry.' : null),
      );
      setStatus(null);
      await props.onDone();
    } catch (err) {
      setStatus(describeError(err).title);
      setBusy(false);
    }
  }

  const onKey = (e: KeyboardEvent) => {
    const typing =
      ['TEXTAREA', 'INPUT'].includes((e.target as HTMLElement | null)?.tagName ?? '') &&
      (e.target as HTMLInputElement).type !== 'radio' &&
      (e.target as HTMLInputElement).type !== 'checkbox';
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key.toLowerCase() === 'a') {
      void review('approve');
      return true;
    }
    if (e.key.toLowerCase() === 'r') {
      setRejecting(true);
      return true;
    }
    return false;
  };

  // The props both views take, read-only (a v2 row's thread view adds its thread and tools).
  const view = {
    rowKey: item.label.id,
    questions: ctx.questions,
    order,
    answers,
    readOnly: true,
    missing: new Set<string>(),
    onKey,
    shortcuts: [
      { keys: 'A', what: 'Approve' },
      { keys: 'R', what: 'Reject (asks for a reason)' },
    ],
    aside: (
      <>
        <OtherLabels labels={item.others} />
        <Comments project={project} rowId={item.row.dataRowId} />
      </>
    ),
    actions: (
      <>
        {status && (
          <span className="form-error" role="alert">
            {status}
          </span>
        )}
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setRejecting(true)}>
          Reject <Key k="R" />
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void review('approve')}
        >
          Approve <Key k="A" />
        </button>
      </>
    ),
  };
  return (
    <div className="editor-page">
      <TopBar title={props.title}>
        {props.meta}
        <Clock activeMs={time.activeMs} />
      </TopBar>
      <div className="banner" role="note">
        Label by <strong>{item.label.createdBy}</strong>
        {item.label.secondsToCreate !== null && ` · ${item.label.secondsToCreate} s active`}
        {item.row.consensus?.agreement != null &&
          ` · agreement of the row's ${item.row.consensus.labelsWanted} labels ${Math.round(item.row.consensus.agreement * 100)}%`}
      </div>
      {lease.lost && (
        <div className="banner banner-warn" role="alert">
          Your hold on this row has expired: another reviewer may take it. Decide now or load the next one.
        </div>
      )}
      {thread !== null ? (
        <MmcView {...view} thread={thread} tools={ctx.tools} />
      ) : (
        'error' in conversation || <EditorView {...view} conversation={conversation} />
      )}
      {rejecting && (
        <ReasonDialog
          title="Reject this label"
          label="Reason (the labeler sees it)"
          confirm="Reject label"
          danger
          onConfirm={(reason) => void review('reject', reason)}
          onClose={() => setRejecting(false)}
        />
      )}
    </div>
  );
}

/** The row's other labels (consensus), with their agreement score. */
function OtherLabels({ labels }: { labels: Label[] }) {
  if (labels.length === 0) return null;
  return (
    <section className="other-labels" aria-label="Other labels of this row">
      <h2>Other labels of this row</h2>
      <ul>
        {labels.map((l) => (
          <li key={l.id}>
            {l.createdBy}: {l.skipped ? 'skipped' : summary(l)}
            {l.consensusScore !== null && ` · agreement ${Math.round(l.consensusScore * 100)}%`}
          </li>
        ))}
      </ul>
    </section>
  );
}

function summary(l: Label): string {
  const first = l.annotations.classifications[0] as { radio_answer?: { name?: string } } | undefined;
  return first?.radio_answer?.name ?? `${l.annotations.classifications.length} answers`;
}
