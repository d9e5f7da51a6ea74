/**
 * The editor's one screen: transcript on the left, the responses beside it, the decision strip
 * below (it stays in view while the responses scroll). Shared by labeling, rework and review
 * (read-only); each screen brings its actions and extra keys.
 */
import { type ReactNode, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Answers, AnswerValue } from './answers.ts';
import type { ConversationView } from './conversation.ts';
import { applyKey, keyMap } from './keys.ts';
import { preferenceQuestion, type Question } from './ontology.ts';
import { Outputs } from './outputs.tsx';
import { QuestionList } from './question-form.tsx';
import { type Shortcut, ShortcutsDialog } from './shortcuts-dialog.tsx';
import { Transcript } from './transcript.tsx';
import { isTyping } from './typing.ts';
import './editor.css';

export interface EditorViewProps {
  /** Changes per row: focus goes back to the first question. */
  rowKey: string;
  conversation: ConversationView;
  questions: readonly Question[];
  order: readonly string[];
  answers: Answers;
  onAnswers?: (answers: Answers) => void;
  readOnly: boolean;
  missing: ReadonlySet<string>;
  /** Buttons at the strip's end. */
  actions: ReactNode;
  /** A panel under the transcript (comments, other labels). */
  aside?: ReactNode;
  /** Screen keys (submit, skip, approve...): return true when handled. */
  onKey?: (e: KeyboardEvent) => boolean;
  shortcuts: Shortcut[];
}

const NARROW = '(max-width: 900px)';

export function EditorView(props: EditorViewProps) {
  const { conversation, questions, order, answers, readOnly } = props;
  const [stacked, setStacked] = useState(() => window.matchMedia(NARROW).matches);
  const [showDiff, setShowDiff] = useState(false);
  const [help, setHelp] = useState(false);
  const strip = useRef<HTMLDivElement>(null);
  const titles = useMemo(() => conversation.modelOutputs.map((o) => o.title), [conversation]);
  const preference = useMemo(() => preferenceQuestion(questions, titles), [questions, titles]);
  const keys = useMemo(
    () => keyMap(questions, answers, preference, order),
    [questions, answers, preference, order],
  );
  const globalQs = questions.filter((q) => q.scope === 'global');
  const messageQs = questions.filter((q) => q.scope === 'index');
  const set = (key: string, value: AnswerValue) => props.onAnswers?.({ ...answers, [key]: value });

  // A new row: focus on its first question, so the keyboard flow starts over.
  // Before paint (a layout effect): a passive effect could run after the first keys typed on
  // the row, and pull the focus back from where they had moved it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on a new row
  useLayoutEffect(() => {
    strip.current?.querySelector<HTMLElement>('input, textarea')?.focus({ preventScroll: true });
  }, [props.rowKey]);

  const latest = useRef({ keys, answers, props, readOnly });
  latest.current = { keys, answers, props, readOnly };
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const { keys, answers, props, readOnly } = latest.current;
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      if (props.onKey?.(e)) return e.preventDefault();
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') {
        setHelp(true);
        return e.preventDefault();
      }
      const target = keys.byKey.get(e.key.toLowerCase());
      if (target && !readOnly) {
        props.onAnswers?.(applyKey(answers, target));
        e.preventDefault();
        // A picked radio takes the focus, as arrow keys would: Tab then leaves its group.
        if (target.kind === 'radio') {
          const input = strip.current?.querySelector<HTMLInputElement>(
            `input[type="radio"][data-option="${CSS.escape(target.optionId)}"]`,
          );
          input?.focus({ preventScroll: true });
        }
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
      preference={preference}
      order={order}
    />
  );
  const all: Shortcut[] = [
    ...(keys.byKey.size > 0 ? [{ keys: '1 … 9', what: 'Choose a response (1 = the left column)' }] : []),
    { keys: 'Q W E …', what: 'Tick or untick the rubric item showing that letter' },
    { keys: 'Tab', what: 'Move to the next control (the reason box)' },
    { keys: 'Esc', what: 'Leave a text box so the keys work again' },
    ...props.shortcuts,
    { keys: '?', what: 'Show this list' },
  ];
  return (
    <div className={`editor${stacked ? ' editor-stacked' : ''}`}>
      <div className="editor-main">
        <div className="editor-transcript">
          <Transcript
            conversation={conversation}
            questionsFor={messageQs.length > 0 ? (m) => form(m, messageQs) : undefined}
          />
          {props.aside}
        </div>
        <div className="editor-outputs">
          <div className="outputs-toolbar">
            <label>
              <input type="checkbox" checked={showDiff} onChange={(e) => setShowDiff(e.target.checked)} />{' '}
              Show differences
            </label>
            <button type="button" className="btn-link" onClick={() => setStacked((s) => !s)}>
              {stacked ? 'Side by side' : 'Stacked'}
            </button>
            <button type="button" className="btn-link" onClick={() => setHelp(true)}>
              Shortcuts <kbd>?</kbd>
            </button>
          </div>
          <Outputs conversation={conversation} order={order} stacked={stacked} showDiff={showDiff} />
        </div>
      </div>
      <div className="strip" ref={strip}>
        <div className="strip-questions">{form('', globalQs)}</div>
        <div className="strip-actions">{props.actions}</div>
      </div>
      {help && <ShortcutsDialog shortcuts={all} onClose={() => setHelp(false)} />}
    </div>
  );
}
