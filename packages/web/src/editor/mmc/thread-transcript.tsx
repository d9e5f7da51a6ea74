/**
 * A multimodal chat (conversation v2) row read-only, for managers (the console's row detail):
 * each turn's prompt, then its replies stacked, each under its model's name. Managers see which
 * model wrote what; labelers never do (mmc-view.tsx).
 */
import { MessageContent } from './content.tsx';
import type { Thread } from './thread.ts';
import './mmc.css';

export function ThreadTranscript({ thread }: { thread: Thread }) {
  return (
    <ol className="transcript" aria-label="Conversation">
      {thread.turns.map((turn) => (
        <li key={turn.prompt.id} className="mmc-turn-readonly">
          <div className="msg msg-right">
            <div className="msg-author">{turn.prompt.speaker}</div>
            <div className="msg-bubble">
              <MessageContent items={turn.prompt.content} />
            </div>
          </div>
          {turn.replies.map((reply) => {
            const name = reply.modelConfigName || 'Model';
            return (
              <section key={reply.id} className="output" aria-label={`${name} (${reply.id})`}>
                <h3 className="output-title">{name}</h3>
                <div className="output-body">
                  <MessageContent items={reply.content} />
                </div>
              </section>
            );
          })}
        </li>
      ))}
    </ol>
  );
}
