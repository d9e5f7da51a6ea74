/**
 * The model outputs side by side (equal width, each scrolling on its own) or stacked, in the
 * order shown to this user, each a region named by its title. Model names stay hidden.
 */
import { memo, useMemo } from 'react';
import Markdown from '../markdown/markdown.tsx';
import type { ConversationView } from './conversation.ts';
import { wordDiff } from './diff.ts';

export const Outputs = memo(function Outputs(props: {
  conversation: ConversationView;
  order: readonly string[];
  stacked: boolean;
  showDiff: boolean;
}) {
  const outputs = props.order
    .map((t) => props.conversation.modelOutputs.find((o) => o.title === t))
    .filter((o) => o !== undefined);
  const [first, second] = outputs;
  const diff = useMemo(
    () => (props.showDiff && first && second ? wordDiff(first.content, second.content) : undefined),
    [props.showDiff, first, second],
  );
  if (outputs.length === 0) return <p className="state">This row has no model outputs to compare.</p>;
  return (
    <div className={`outputs ${props.stacked ? 'outputs-stacked' : 'outputs-side'}`}>
      {outputs.map((o, i) => {
        const pieces = diff ? (i === 0 ? diff.a : i === 1 ? diff.b : undefined) : undefined;
        const titleId = `output-title-${i}`;
        return (
          <section key={o.title} className="output" aria-labelledby={titleId}>
            <h2 className="output-title" id={titleId}>
              {o.title}
            </h2>
            <div className="output-body">
              {pieces ? (
                <p className="diff-text">
                  {pieces.map((p, j) =>
                    // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one fixed text
                    p.changed ? <mark key={j}>{p.text}</mark> : <span key={j}>{p.text}</span>,
                  )}
                </p>
              ) : (
                <Markdown text={o.content} />
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
});
