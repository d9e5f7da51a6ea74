/**
 * The editor's screen for a multimodal chat (conversation v2) row: the thread as turns, each
 * prompt's model replies side by side (equal width, stacked beyond three or on a narrow screen),
 * each reply a region named by its shown position ("Model reply 1"; the model stays hidden, as in
 * Labelbox's editor), the message tools under the replies, message-scoped questions beside each
 * message, and the strip with the global questions and the actions. Shared by labeling, rework and
 * review (read-only).
 *
 * Keys act on the active turn (the one last focused, the first at the start): 1..n pick the
 * single selection, Shift+1..n toggle the multi selection; letters tick global checklists.
 */
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Key } from '../../ui/key.tsx';
import type { Answers, AnswerValue } from '../answers.ts';
import { applyKey, keyMap } from '../keys.ts';
import type { Question } from '../ontology.ts';
import { QuestionList } from '../question-form.tsx';
import { type Shortcut, ShortcutsDialog } from '../shortcuts-dialog.tsx';
import { isTyping } from '../typing.ts';
import { MessageContent } from './content.tsx';
import { Ranking } from './ranking.tsx';
import { replyTitle, shownReplies, type Thread, type ThreadMessage, type Turn } from './thread.ts';
import { type Tool, toolKey } from './tools.ts';
import '../editor.css';
import './mmc.css';

export interface MmcViewProps {
  rowKey: string;
  thread: Thread;
  questions: readonly Question[];
  tools: readonly Tool[];
  /** The compared replies as shown, turn by turn, left to right (`displayed_order`). */
  order: readonly string[];
  answers: Answers;
  onAnswers?: (answers: Answers) => void;
  readOnly: boolean;
  missing: ReadonlySet<string>;
  actions: ReactNode;
  aside?: ReactNode;
  onKey?: (e: KeyboardEvent) => boolean;
  shortcuts: Shortcut[];
}

const NARROW = '(max-width: 900px)';

export function MmcView(props: MmcViewProps) {
  const { thread, questions, tools, order, answers, readOnly } = props;
  const turns = thread.turns;
  const compared = turns.map((t, i) => (t.replies.length >= 2 ? i : -1)).filter((i) => i >= 0);
  const [active, setActive] = useState(compared[0] ?? 0);
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  const [help, setHelp] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const keys = useMemo(() => keyMap(questions, answers, undefined, [], false), [questions, answers]);
  const globalQs = questions.filter((q) => q.scope === 'global');
  const messageQs = questions.filter((q) => q.scope === 'index');
  const single = tools.find((t) => t.tool === 'message-single-selection');
  const multi = tools.find((t) => t.tool === 'message-multi-selection');
  const set = (key: string, value: AnswerValue) => props.onAnswers?.({ ...answers, [key]: value });

  useEffect(() => {
    const mq = window.matchMedia(NARROW);
    const on = () => setNarrow(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);

  // A new row: the keyboard flow starts at the first compared turn's first control.
  // Before paint (a layout effect): a passive effect could run after the first keys typed on
  // the row, and pull the focus back from where they had moved it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on a new row
  useLayoutEffect(() => {
    root.current
      ?.querySelector<HTMLElement>('.mmc-tools input, .mmc-tools li, .strip input, .strip textarea')
      ?.focus({ preventScroll: true });
  }, [props.rowKey]);

  const latest = useRef({ keys, answers, props, readOnly, active, single, multi });
  latest.current = { keys, answers, props, readOnly, active, single, multi };
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const { keys, answers, props, readOnly, active, single, multi } = latest.current;
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (props.onKey?.(e)) return e.preventDefault();
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') {
        setHelp(true);
        return e.preventDefault();
      }
      const digit = /^Digit[1-9]$/.test(e.code) ? Number(e.code.slice(5)) : 0;
      const turn = props.thread.turns[active];
      if (digit > 0 && turn && turn.replies.length >= 2) {
        const reply = shownReplies(turn, props.order)[digit - 1];
        const tool = e.shiftKey ? multi : single;
        if (!reply || !tool || readOnly) return;
        const key = toolKey(tool.featureSchemaId, turn.prompt.id);
        if (e.shiftKey) {
          const cur = answers[key];
          const ids = Array.isArray(cur) ? cur : [];
          const next = ids.includes(reply.id) ? ids.filter((x) => x !== reply.id) : [...ids, reply.id];
          props.onAnswers?.({ ...answers, [key]: next });
        } else {
          props.onAnswers?.({ ...answers, [key]: reply.id });
          // The picked radio takes the focus, as arrow keys would.
          root.current
            ?.querySelector<HTMLInputElement>(
              `input[name="${CSS.escape(key)}"][value="${CSS.escape(reply.id)}"]`,
            )
            ?.focus({ preventScroll: true });
        }
        return e.preventDefault();
      }
      const target = keys.byKey.get(e.key.toLowerCase());
      if (target && !readOnly) {
        props.onAnswers?.(applyKey(answers, target));
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const form = (messageId: string, qs: readonly Question[]) => (
    <QuestionList
      questions={qs}
      answers={answers}
      onChange={set}
      messageId={messageId}
      readOnly={readOnly}
      missing={props.missing}
      keys={keys}
      preference={undefined}
      order={[]}
    />
  );
  const messageForm = (m: ThreadMessage) => {
    if (messageQs.length === 0) return null;
    const answered = Object.keys(answers).some((k) => k.startsWith(`${m.id}|`));
    const missing = [...props.missing].some((k) => k.startsWith(`${m.id}|`));
    return (
      <details className="msg-questions" open={answered || missing || undefined}>
        <summary>Questions on this message</summary>
        {form(m.id, messageQs)}
      </details>
    );
  };
  const all: Shortcut[] = [
    ...(single
      ? [{ keys: '1 … 9', what: `${single.name}: pick a reply (1 = the left one) in the active turn` }]
      : []),
    ...(multi
      ? [{ keys: 'Shift+1 … 9', what: `${multi.name}: tick or untick a reply in the active turn` }]
      : []),
    ...(tools.some((t) => t.tool === 'message-ranking')
      ? [
          { keys: 'Alt+↑ / Alt+↓ or [ / ]', what: 'Ranking: move the focused reply up or down' },
          { keys: '1 … 9 (on a ranked reply)', what: 'Ranking: give the focused reply that rank' },
        ]
      : []),
    ...(keys.byKey.size > 0
      ? [{ keys: 'Q W E …', what: 'Tick or untick the checklist item showing that letter' }]
      : []),
    { keys: 'Tab', what: 'Move to the next control (focus in a turn makes it the active turn)' },
    { keys: 'Esc', what: 'Leave a text box so the keys work again' },
    ...props.shortcuts,
    { keys: '?', what: 'Show this list' },
  ];

  return (
    <div className="editor mmc" ref={root}>
      <div className="mmc-thread">
        <div className="mmc-toolbar">
          <span>
            {compared.length > 0
              ? `Turn ${active + 1} takes the keys`
              : 'No prompt here has replies to compare'}
          </span>
          <button type="button" className="btn-link" onClick={() => setHelp(true)}>
            Shortcuts <kbd>?</kbd>
          </button>
        </div>
        {turns.map((turn, i) => (
          <TurnView
            key={turn.prompt.id}
            turn={turn}
            index={i}
            active={i === active && turn.replies.length >= 2}
            onFocus={() => setActive(i)}
            order={order}
            stacked={narrow || turn.replies.length > 3}
            messageForm={messageForm}
            tools={
              turn.replies.length >= 2 ? (
                <ToolsPanel
                  turn={turn}
                  tools={tools}
                  order={order}
                  answers={answers}
                  set={set}
                  readOnly={readOnly}
                  missing={props.missing}
                  keyed={i === active}
                />
              ) : null
            }
          />
        ))}
        {props.aside}
      </div>
      <div className="strip">
        <div className="strip-questions">{form('', globalQs)}</div>
        <div className="strip-actions">{props.actions}</div>
      </div>
      {help && <ShortcutsDialog shortcuts={all} onClose={() => setHelp(false)} />}
    </div>
  );
}

function TurnView(props: {
  turn: Turn;
  index: number;
  active: boolean;
  onFocus: () => void;
  order: readonly string[];
  stacked: boolean;
  messageForm: (m: ThreadMessage) => ReactNode;
  tools: ReactNode;
}) {
  const { turn } = props;
  const replies = turn.replies.length >= 2 ? shownReplies(turn, props.order) : turn.replies;
  return (
    <section
      className={`mmc-turn${props.active ? ' mmc-turn-active' : ''}`}
      aria-label={`Turn ${props.index + 1}`}
      onFocus={props.onFocus}
    >
      <div className="msg msg-right">
        <div className="msg-author">{turn.prompt.speaker}</div>
        <div className="msg-bubble">
          <MessageContent items={turn.prompt.content} />
        </div>
        {props.messageForm(turn.prompt)}
      </div>
      {replies.length === 1 && (
        <div className="msg msg-left">
          <div className="msg-author">Model reply</div>
          <div className="msg-bubble">
            <MessageContent items={replies[0]!.content} />
          </div>
          {props.messageForm(replies[0]!)}
        </div>
      )}
      {replies.length >= 2 && (
        <div
          className={`mmc-replies ${props.stacked ? 'mmc-replies-stacked' : 'mmc-replies-side'}`}
          style={
            props.stacked ? undefined : { gridTemplateColumns: `repeat(${replies.length}, minmax(0, 1fr))` }
          }
        >
          {replies.map((r, i) => {
            const titleId = `reply-${turn.prompt.id}-${i}`;
            return (
              <section key={r.id} className="mmc-reply" aria-labelledby={titleId}>
                <h3 className="output-title" id={titleId}>
                  {replyTitle(i)}
                </h3>
                <div className="mmc-reply-body">
                  <MessageContent items={r.content} />
                </div>
                {props.messageForm(r)}
              </section>
            );
          })}
        </div>
      )}
      {props.tools}
    </section>
  );
}

function ToolsPanel(props: {
  turn: Turn;
  tools: readonly Tool[];
  order: readonly string[];
  answers: Answers;
  set: (key: string, value: AnswerValue) => void;
  readOnly: boolean;
  missing: ReadonlySet<string>;
  keyed: boolean;
}) {
  const { turn, answers, readOnly } = props;
  const replies = shownReplies(turn, props.order);
  if (props.tools.length === 0) return null;
  return (
    <div className="mmc-tools">
      {props.tools.map((tool) => {
        const key = toolKey(tool.featureSchemaId, turn.prompt.id);
        const value = answers[key];
        const missing = props.missing.has(key);
        const mark = tool.required && (
          <span className="q-required" title="required">
            {' '}
            *<span className="visually-hidden">required</span>
          </span>
        );
        const error = (text: string) =>
          missing && (
            <span className="q-error" role="alert">
              {text}
            </span>
          );
        if (tool.tool === 'message-ranking') {
          return (
            <Ranking
              key={tool.featureSchemaId}
              name={tool.name}
              required={tool.required}
              items={replies.map((r, i) => ({ id: r.id, title: replyTitle(i) }))}
              value={Array.isArray(value) ? value : undefined}
              onChange={readOnly ? undefined : (ids) => props.set(key, ids)}
              readOnly={readOnly}
              missing={missing}
            />
          );
        }
        const isSingle = tool.tool === 'message-single-selection';
        const chosen = typeof value === 'string' ? [value] : (value ?? []);
        return (
          <fieldset key={tool.featureSchemaId} className={`q${missing ? ' q-missing' : ''}`}>
            <legend>
              <span className="q-name">
                {tool.name}
                {mark}
              </span>
            </legend>
            <div className="q-options">
              {replies.map((r, i) => {
                const checked = chosen.includes(r.id);
                return (
                  <div key={r.id} className="q-option">
                    <label className={checked ? 'checked' : ''}>
                      <input
                        type={isSingle ? 'radio' : 'checkbox'}
                        name={key}
                        value={r.id}
                        checked={checked}
                        disabled={readOnly && !checked}
                        onChange={() => {
                          if (readOnly) return;
                          if (isSingle) props.set(key, r.id);
                          else props.set(key, checked ? chosen.filter((x) => x !== r.id) : [...chosen, r.id]);
                        }}
                      />
                      {props.keyed && !readOnly && i < 9 && (
                        <Key k={isSingle ? String(i + 1) : `⇧${i + 1}`} />
                      )}
                      <span>{replyTitle(i)}</span>
                    </label>
                  </div>
                );
              })}
            </div>
            {error(isSingle ? 'Pick a reply to submit.' : 'Tick at least one reply to submit.')}
          </fieldset>
        );
      })}
    </div>
  );
}
