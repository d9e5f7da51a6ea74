/** A data row's `row_data` as the conversation the editor shows. */
import type { Conversation } from '@prefer/schemas';

export type ConversationView = Pick<Conversation, 'messages'> & {
  modelOutputs: NonNullable<Conversation['modelOutputs']>;
};

/** The row's conversation, or an error message when the row holds something else. */
export function parseConversation(rowData: string): ConversationView | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(rowData);
  } catch {
    return { error: 'This row does not hold a conversation (its data is not JSON).' };
  }
  const c = value as Partial<Conversation> | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.messages)) {
    return { error: 'This row does not hold a conversation.' };
  }
  return { messages: c.messages, modelOutputs: Array.isArray(c.modelOutputs) ? c.modelOutputs : [] };
}
