/** The v2 editor's pure parts: the thread's turns, the per-prompt order, tool answers to a submit and back. */
import { describe, expect, it } from 'vitest';
import { MMC_IDS, MMC_ROW_TEXT } from '../../server/test/fixtures/mmc.ts';
import {
  comparedTurns,
  parseThread,
  shownReplies,
  type Thread,
  threadOrder,
} from '../src/editor/mmc/thread.ts';
import {
  fromStoredObjects,
  missingTools,
  type Tool,
  toAnnotations,
  toolKey,
} from '../src/editor/mmc/tools.ts';

const rowData = JSON.stringify((JSON.parse(MMC_ROW_TEXT) as { row_data: unknown }).row_data);
const tool = (featureSchemaId: string, kind: Tool['tool'], required = false): Tool => ({
  featureSchemaId,
  tool: kind,
  name: kind,
  required,
  color: '#000',
  classifications: [],
});
const TOOLS = [
  tool('ts', 'message-single-selection'),
  tool('tm', 'message-multi-selection'),
  tool('tr', 'message-ranking', true),
];
const { prompt1, prompt2, a1, b1, c1, a2, b2 } = MMC_IDS;

describe('v2 thread', () => {
  const thread = parseThread(rowData) as Thread;

  it('reads the §1.6 graph as two turns, replies in the row order, every message labelable', () => {
    expect(thread.turns.map((t) => [t.prompt.id, t.replies.map((r) => r.id)])).toEqual([
      [prompt1, [a1, b1, c1]],
      [prompt2, [a2, b2]],
    ]);
    expect(thread.turns[0]!.prompt.speaker).toBe('User');
    expect(thread.turns[0]!.replies[2]!.modelConfigName).toBe('Model C');
    expect(thread.messageIds).toHaveLength(7);
    expect(parseThread('{"type":"application/vnd.labelbox.conversational","version":1}')).toBeNull();
    expect(parseThread('not json')).toBeNull();
  });

  it('draws each prompt order per labeler and row, stable, a permutation within each prompt', () => {
    const order = threadOrder(thread, 'user-1', 'row-1');
    expect(order).toEqual(threadOrder(thread, 'user-1', 'row-1'));
    expect(order.slice(0, 3).sort()).toEqual([a1, b1, c1].sort());
    expect(order.slice(3).sort()).toEqual([a2, b2].sort());
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add(threadOrder(thread, `user-${i}`, 'row-1').slice(0, 3).join());
    expect(seen.size).toBeGreaterThan(3);
    expect(shownReplies(thread.turns[0]!, [c1, a1, b1]).map((r) => r.id)).toEqual([c1, a1, b1]);
  });

  it('turns the answers into the submit annotations and back from the stored objects', () => {
    const answers = {
      [toolKey('ts', prompt1)]: c1,
      [toolKey('tm', prompt1)]: [c1, a1],
      [toolKey('tr', prompt1)]: [c1, a1, b1],
      [toolKey('tr', prompt2)]: [b2, a2],
    };
    const annotations = toAnnotations(TOOLS, thread, answers);
    expect(annotations).toEqual([
      {
        schemaId: 'ts',
        messageEvaluationTask: {
          format: 'message-single-selection',
          data: { messageId: c1, modelConfigName: 'Model C', parentMessageId: prompt1 },
        },
      },
      {
        schemaId: 'tm',
        messageEvaluationTask: {
          format: 'message-multi-selection',
          data: {
            parentMessageId: prompt1,
            // The row's order, whatever order they were ticked in.
            selectedMessages: [
              { messageId: a1, modelConfigName: 'Model A' },
              { messageId: c1, modelConfigName: 'Model C' },
            ],
          },
        },
      },
      {
        schemaId: 'tr',
        messageEvaluationTask: {
          format: 'message-ranking',
          data: {
            parentMessageId: prompt1,
            rankedMessages: [
              { messageId: c1, modelConfigName: 'Model C', order: 1 },
              { messageId: a1, modelConfigName: 'Model A', order: 2 },
              { messageId: b1, modelConfigName: 'Model B', order: 3 },
            ],
          },
        },
      },
      {
        schemaId: 'tr',
        messageEvaluationTask: {
          format: 'message-ranking',
          data: {
            parentMessageId: prompt2,
            rankedMessages: [
              { messageId: b2, modelConfigName: 'Model B', order: 1 },
              { messageId: a2, modelConfigName: 'Model A', order: 2 },
            ],
          },
        },
      },
    ]);
    const stored = [
      { feature_schema_id: 'ts', selected_message: { message_id: c1, parent_message_id: prompt1 } },
      {
        name: 'message-multi-selection',
        selected_messages: { messages: [{ message_id: a1 }, { message_id: c1 }], parent_message_id: prompt1 },
      },
      {
        feature_schema_id: 'tr',
        ranked_messages: {
          ranked_messages: [
            { message_id: a1, order: 2 },
            { message_id: b1, order: 3 },
            { message_id: c1, order: 1 },
          ],
          parent_message_id: prompt1,
        },
      },
    ];
    expect(fromStoredObjects(TOOLS, stored)).toEqual({
      [toolKey('ts', prompt1)]: c1,
      [toolKey('tm', prompt1)]: [a1, c1],
      [toolKey('tr', prompt1)]: [c1, a1, b1],
    });
  });

  it('names the required tools left unanswered on every compared prompt', () => {
    expect(comparedTurns(thread)).toHaveLength(2);
    expect(missingTools(TOOLS, thread, {})).toEqual(
      new Set([toolKey('tr', prompt1), toolKey('tr', prompt2)]),
    );
    expect(missingTools(TOOLS, thread, { [toolKey('tr', prompt1)]: [a1, b1, c1] })).toEqual(
      new Set([toolKey('tr', prompt2)]),
    );
  });
});
