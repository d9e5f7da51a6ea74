/**
 * One row in the editor for its labeler: a new label (mode `label`) or a rejected one to fix
 * (`rework`). Answers autosave to the draft; submit checks required questions (the server
 * checks them too), then sends under the draft's idempotency key until the server answers.
 */
import type { MessageTaskAnswer, Project } from '@prefer/sdk';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { ProjectContext } from '../api/project.ts';
import { sendWithRetry } from '../api/retry.ts';
import type { Me } from '../api/session.tsx';
import { Key } from '../ui/key.tsx';
import { describeError, ErrorState } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';
import { useActiveTime } from './active-time.ts';
import { type Answers, missingRequired, toClassifications } from './answers.ts';
import { Clock } from './clock.tsx';
import { Comments } from './comments.tsx';
import { parseConversation } from './conversation.ts';
import { draftKey, dropDraft } from './draft.ts';
import { EditorView } from './editor-view.tsx';
import { Instructions } from './instructions.tsx';
import { MmcView } from './mmc/mmc-view.tsx';
import { parseThread, threadOrder } from './mmc/thread.ts';
import { missingTools, toAnnotations } from './mmc/tools.ts';
import { displayedOrder } from './order.ts';
import { ReasonDialog } from './reason-dialog.tsx';
import { useDraft } from './use-draft.ts';

type Status =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'retrying' }
  | { kind: 'refused'; message: string };

export interface RowEditorProps {
  ctx: ProjectContext;
  me: Me;
  rowId: string;
  rowData: string;
  title: ReactNode;
  meta: ReactNode;
  mode: 'label' | 'rework';
  /** Rework: the rejected label's answers to start from, and the reviewer's reason. */
  initial?: () => Answers;
  notice?: ReactNode;
  leaseLost?: boolean;
  onReload?: () => void;
  onDone: (what: 'Saved' | 'Skipped') => void | Promise<void>;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function RowEditor(props: RowEditorProps) {
  const { ctx, me, rowId, mode } = props;
  const project: Project = ctx.project;
  // A multimodal chat (v2) row has its own view; any other row is read as a v1 conversation.
  const thread = useMemo(() => parseThread(props.rowData), [props.rowData]);
  const conversation = useMemo(
    () => (thread === null ? parseConversation(props.rowData) : { error: '' }),
    [thread, props.rowData],
  );
  const key = draftKey(me.user.id, project.id, rowId, mode);
  const { draft, update } = useDraft(key, props.initial);
  const time = useActiveTime(rowId, draft.activeMs);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [showMissing, setShowMissing] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const busy = status.kind === 'sending' || status.kind === 'retrying';

  // The active time goes into the draft too, so a reload does not reset the clock.
  // biome-ignore lint/correctness/useExhaustiveDependencies: saved on a coarse beat, not every tick
  useEffect(() => {
    if (Math.floor(time.activeMs / 5000) > 0) update({ activeMs: time.activeMs });
  }, [Math.floor(time.activeMs / 5000)]);

  // Stable across the clock's ticks, so the outputs and the key map are not made again each second.
  const order = useMemo(() => {
    if (thread !== null) return 'error' in thread ? [] : threadOrder(thread, me.user.id, rowId);
    return 'error' in conversation
      ? []
      : displayedOrder(
          conversation.modelOutputs.map((o) => o.title),
          me.user.id,
          rowId,
        );
  }, [thread, conversation, me.user.id, rowId]);

  if (thread !== null && 'error' in thread) return <ErrorState error={new Error(thread.error)} />;
  if (thread === null && 'error' in conversation) return <ErrorState error={new Error(conversation.error)} />;
  const v2 = thread;
  const labelable =
    v2 !== null
      ? v2.messageIds
      : 'error' in conversation
        ? []
        : conversation.messages.filter((m) => m.canLabel).map((m) => m.messageId);
  const missing = missingRequired(ctx.questions, draft.answers, labelable);
  if (v2 !== null) for (const k of missingTools(ctx.tools, v2, draft.answers)) missing.add(k);

  async function send(run: () => Promise<unknown>, what: 'Saved' | 'Skipped') {
    try {
      await sendWithRetry(run, (s) => setStatus({ kind: s }));
      dropDraft(key);
      setStatus({ kind: 'idle' });
      await props.onDone(what);
    } catch (err) {
      setStatus({ kind: 'refused', message: describeError(err).title });
    }
  }

  function submit() {
    if (busy) return;
    if (missing.size > 0) {
      setShowMissing(true);
      setStatus({ kind: 'refused', message: 'Some required questions or tools have no answer yet.' });
      return;
    }
    // The exact payload is kept with the key: a retry (even after a reload) sends the same one.
    const payload = draft.pending ?? {
      classifications: toClassifications(ctx.questions, draft.answers, labelable),
      ...(v2 !== null ? { annotations: toAnnotations(ctx.tools, v2, draft.answers) } : {}),
      secondsToCreate: seconds(time.read()),
    };
    update({ pending: payload });
    void send(
      () =>
        project.submitLabel(
          {
            dataRowId: rowId,
            classifications: payload.classifications,
            secondsToCreate: payload.secondsToCreate,
            ...(payload.annotations ? { annotations: payload.annotations as MessageTaskAnswer[] } : {}),
            // The side order this labeler saw, kept with the label (never exported).
            displayedOrder: order,
          },
          { idempotencyKey: draft.idempotencyKey, maxRetries: 0 },
        ),
      'Saved',
    );
  }

  function skip(reason: string) {
    const secondsToCreate = seconds(time.read());
    void send(async () => {
      // The skip API takes no reason: it is left as a comment on the row for the managers.
      await project.addComment(rowId, `Skipped: ${reason}`);
      return project.skipRow(
        { dataRowId: rowId, secondsToCreate },
        { idempotencyKey: `${draft.idempotencyKey}-skip`, maxRetries: 0 },
      );
    }, 'Skipped');
  }

  const onAnswers = (answers: Answers) => {
    if (busy) return;
    // Changed answers are a new payload; the key stays (nothing was stored under it yet).
    update({ answers, pending: undefined });
    if (status.kind === 'refused') setStatus({ kind: 'idle' });
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      submit();
      return true;
    }
    const typing = (e.target as HTMLElement | null)?.tagName === 'TEXTAREA';
    if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === 's' && mode === 'label') {
      setSkipping(true);
      return true;
    }
    return false;
  };

  // The props both views take (a v2 row's thread view adds its thread and tools).
  const view = {
    rowKey: rowId,
    questions: ctx.questions,
    order,
    answers: draft.answers,
    onAnswers,
    readOnly: busy,
    missing: showMissing ? missing : new Set<string>(),
    aside: <Comments project={project} rowId={rowId} />,
    onKey,
    shortcuts: [
      { keys: 'Ctrl+Enter', what: 'Submit' },
      ...(mode === 'label' ? [{ keys: 'S', what: 'Skip this row (asks for a reason)' }] : []),
    ],
    actions: (
      <>
        {status.kind === 'refused' && (
          <span className="form-error" role="alert">
            {status.message}
          </span>
        )}
        {mode === 'label' && (
          <button type="button" className="btn" disabled={busy} onClick={() => setSkipping(true)}>
            Skip <Key k="S" />
          </button>
        )}
        <button type="button" className="btn btn-primary" disabled={busy} onClick={submit}>
          Submit <Key k="Ctrl+Enter" />
        </button>
      </>
    ),
  };
  return (
    <>
      <TopBar title={props.title}>
        {props.meta}
        <Clock activeMs={time.activeMs} />
      </TopBar>
      {props.leaseLost && (
        <div className="banner banner-warn" role="alert">
          Your hold on this row has expired and it may go to someone else. Your answers are kept as a draft.{' '}
          <button type="button" className="btn-link" onClick={props.onReload}>
            Load my next row
          </button>
        </div>
      )}
      {status.kind === 'retrying' && (
        <div className="banner banner-warn" role="status">
          Offline, will retry. Your label is kept and will be sent once the server answers.
        </div>
      )}
      {props.notice}
      <Instructions text={project.instructions} />
      {v2 !== null ? (
        <MmcView {...view} thread={v2} tools={ctx.tools} />
      ) : (
        'error' in conversation || <EditorView {...view} conversation={conversation} />
      )}
      {skipping && (
        <ReasonDialog
          title="Skip this row"
          label="Why are you skipping it?"
          confirm="Skip row"
          onConfirm={skip}
          onClose={() => setSkipping(false)}
        />
      )}
    </>
  );
}
