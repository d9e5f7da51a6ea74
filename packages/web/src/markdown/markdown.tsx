/**
 * Safe markdown for conversation text (the rules: markdown-body.tsx). A text shows as plain text
 * first (still text, never HTML), then as markdown in a task of its own, texts near the viewport
 * first (render-queue.ts): an editor with twenty messages and two long responses takes keys at
 * once and never runs one long task for all of them. The renderer (markdown, KaTeX,
 * highlighting: most of the editor's code) is a chunk of its own, fetched once the editor is on
 * screen, so the editor's form never waits for it.
 */
import './markdown.css';
import { memo, type ReactNode, useEffect, useRef, useState } from 'react';
import { renderWhenDue } from './render-queue.ts';

type Body = typeof import('./markdown-body.tsx').MarkdownBody;
let Body: Body | undefined;
let loading: Promise<boolean> | undefined;
function loadBody(): Promise<boolean> {
  loading ??= import('./markdown-body.tsx').then(
    (m) => {
      Body = m.MarkdownBody;
      return true;
    },
    () => {
      // The texts stay plain (and readable); the next text to mount asks again.
      loading = undefined;
      return false;
    },
  );
  return loading;
}

/**
 * The first text to mount asks for the renderer once the editor is painted: the chunk's compile
 * then never lands between the row's arrival and the editor's first paint (the form takes keys
 * before any text is markdown).
 */
let idle: Promise<void> | undefined;
function afterFirstPaint(): Promise<void> {
  // The task after the next frame: the editor's first paint has happened by then.
  idle ??= new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return idle;
}

// Enough plain text to fill a column until the markdown pass: laying out all of a 4,000-word
// response twice (plain, then markdown) cost more than it showed.
const PREVIEW = 2_000;

function MarkdownView({ text }: { text: string }): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState<string | null>(null);
  const due = shown !== text;
  useEffect(() => {
    if (!due) return;
    let cancel: (() => void) | undefined;
    let stopped = false;
    void afterFirstPaint()
      .then(loadBody)
      .then((ok) => {
        if (ok && !stopped && box.current) cancel = renderWhenDue(box.current, () => setShown(text));
      });
    return () => {
      stopped = true;
      cancel?.();
    };
  }, [due, text]);
  if (due || !Body) {
    return (
      <div className="md md-plain" ref={box} aria-busy="true">
        {text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text}
      </div>
    );
  }
  return (
    <div className="md" ref={box}>
      <Body text={text} />
    </div>
  );
}

export default memo(MarkdownView);
