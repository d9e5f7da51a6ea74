/** The conversation before the responses, as a transcript; message-scoped questions beside their message. */
import type { ReactNode } from 'react';
import Markdown from '../markdown/markdown.tsx';
import type { ConversationView } from './conversation.ts';

export function Transcript(props: {
  conversation: ConversationView;
  /** The form of a labelable message's questions, if any. */
  questionsFor?: (messageId: string) => ReactNode;
}) {
  const messages = props.conversation.messages;
  return (
    <ol className="transcript" aria-label="Conversation">
      {messages.map((m) => {
        // Without an explicit side, the first speaker is the user (right), as in Labelbox.
        const side = m.align ?? (m.user.userId === messages[0]?.user.userId ? 'right' : 'left');
        return (
          <li key={m.messageId} className={`msg msg-${side}`}>
            <div className="msg-author">{m.user.name || m.user.userId}</div>
            <div className="msg-bubble">
              <Markdown text={m.content} />
            </div>
            {m.canLabel && props.questionsFor && (
              <div className="msg-questions">{props.questionsFor(m.messageId)}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
