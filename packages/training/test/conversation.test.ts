/** Message roles derived from the conversational format, which has none. */
import { describe, expect, it } from 'vitest';
import { readConversation } from '../src/source/conversation.ts';

const msg = (userId: string, content: string, align?: 'left' | 'right') => ({
  messageId: content,
  content,
  user: { userId, name: userId },
  ...(align ? { align } : {}),
});

describe('roles', () => {
  it('system by id or name, then align: right is the user, left the assistant', () => {
    const { prompt } = readConversation(
      { messages: [msg('system', 's'), msg('u1', 'q', 'right'), msg('bot', 'a', 'left')] },
      1,
    );
    expect(prompt.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
  });

  it('without align the first speaker is the user, any other the assistant', () => {
    const { prompt } = readConversation({ messages: [msg('h', '1'), msg('m', '2'), msg('h', '3')] }, 1);
    expect(prompt.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('the mapping roles win; a model name falls back to the title', () => {
    const { prompt, outputs } = readConversation(
      {
        messages: [msg('h', '1', 'left')],
        modelOutputs: [{ title: 'Response A', content: 'x', modelConfigName: '' }],
      },
      1,
      { h: 'user' },
    );
    expect(prompt[0]!.role).toBe('user');
    expect(outputs[0]!.model).toBe('Response A');
  });

  it('row_data as JSON text, and clear errors', () => {
    expect(readConversation(JSON.stringify({ messages: [msg('u', 'q')] }), 1).prompt).toHaveLength(1);
    expect(() => readConversation('{oops', 4)).toThrow('line 4: data_row.row_data is not valid JSON');
    expect(() => readConversation({ messages: [{ content: 3 }] }, 5)).toThrow(
      'line 5: data_row.row_data.messages[0].content: expected a string',
    );
  });
});
