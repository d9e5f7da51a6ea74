/**
 * The message tools of multimodal chat evaluation ontologies and their answers, as the Labelbox
 * SDK's NDJsonConverter writes them (`messageEvaluationTask: { format, data }`), for the label
 * import and for label submissions (which carry the same object without `dataRow`). These schemas
 * check shapes; whether the messages exist, who wrote them and which prompt they answer needs the
 * row's conversation and is checked by the server.
 */
import { z } from 'zod';
import { DataRowRef, LabelExternalId } from './annotation.ts';
import { strictShape } from './conversation.ts';

export const MESSAGE_TOOL_TYPES = [
  'message-single-selection',
  'message-multi-selection',
  'message-ranking',
] as const;
export type MessageToolType = (typeof MESSAGE_TOOL_TYPES)[number];

/** The export's `annotation_kind` of each tool. */
export const MESSAGE_ANNOTATION_KINDS = {
  'message-single-selection': 'MessageSingleSelection',
  'message-multi-selection': 'MessageMultiSelection',
  'message-ranking': 'MessageRanking',
} as const satisfies Record<MessageToolType, string>;

/** The editor task types a project of this kind records (Labelbox's `editorTaskType`). */
export const MMC_EDITOR_TASK_TYPES = ['OFFLINE_MODEL_CHAT_EVALUATION', 'MODEL_CHAT_EVALUATION'] as const;
export type MmcEditorTaskType = (typeof MMC_EDITOR_TASK_TYPES)[number];

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).min(1, `${what} must not be empty`);

export const MessageRef = strictShape({
  messageId: id('messageId'),
  modelConfigName: id('modelConfigName'),
});

export const SingleSelectionData = strictShape({
  messageId: id('messageId'),
  modelConfigName: id('modelConfigName'),
  parentMessageId: id('parentMessageId'),
});

export const MultiSelectionData = strictShape({
  parentMessageId: id('parentMessageId'),
  selectedMessages: z.array(MessageRef).min(1, 'select at least 1 message'),
}).superRefine((d, ctx) => noRepeats(d.selectedMessages, 'selectedMessages', ctx));

export const RankedMessage = strictShape({
  messageId: id('messageId'),
  modelConfigName: id('modelConfigName'),
  order: z.number({ error: 'order must be a number' }).int('order must be an integer'),
});

export const RankingData = strictShape({
  parentMessageId: id('parentMessageId'),
  rankedMessages: z.array(RankedMessage).min(1, 'rank at least 1 message'),
}).superRefine((d, ctx) => {
  noRepeats(d.rankedMessages, 'rankedMessages', ctx);
  // As the SDK: orders are exactly 1..n (unique, consecutive, from 1); list order is free.
  const n = d.rankedMessages.length;
  const seen = new Map<number, number>();
  for (const [i, m] of d.rankedMessages.entries()) {
    if (m.order < 1 || m.order > n) {
      ctx.addIssue({
        code: 'custom',
        path: ['rankedMessages', i, 'order'],
        message: `order ${m.order} is out of range: ${n} ranked messages take the orders 1 to ${n}, each once`,
      });
    } else if (seen.has(m.order)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rankedMessages', i, 'order'],
        message: `order ${m.order} is also given at rankedMessages[${seen.get(m.order)}]: ties are not allowed, orders are 1 to ${n}, each once`,
      });
    } else seen.set(m.order, i);
  }
});

function noRepeats(list: readonly { messageId: string }[], key: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  for (const [i, m] of list.entries()) {
    const first = seen.get(m.messageId);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key, i, 'messageId'],
        message: `message ${JSON.stringify(m.messageId)} is also given at ${key}[${first}]`,
      });
    } else seen.set(m.messageId, i);
  }
}

export const MESSAGE_TASK_DATA = {
  'message-single-selection': SingleSelectionData,
  'message-multi-selection': MultiSelectionData,
  'message-ranking': RankingData,
} as const;

export const MessageEvaluationTask = strictShape({
  format: z.enum(MESSAGE_TOOL_TYPES, { error: `format must be one of ${MESSAGE_TOOL_TYPES.join(', ')}` }),
  data: z.unknown(),
});

const named = {
  name: z.string().min(1, 'name must not be empty').optional(),
  schemaId: z.string().min(1, 'schemaId must not be empty').optional(),
};

/** One import line of a message tool (spec §3.2). */
export const MessageTaskLine = strictShape({
  uuid: z.string().optional(),
  labelExternalId: LabelExternalId.optional(),
  dataRow: DataRowRef,
  ...named,
  messageEvaluationTask: MessageEvaluationTask,
}).superRefine((v, ctx) => {
  if (v.name === undefined && v.schemaId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['name'], message: 'name or schemaId is required' });
  }
});

/** One tool answer of a label submission (`annotations[i]`): the import line without `dataRow`. */
export const MessageTaskAnswer = strictShape({
  ...named,
  messageEvaluationTask: MessageEvaluationTask,
});

export type MessageRef = z.infer<typeof MessageRef>;
export type SingleSelectionData = z.infer<typeof SingleSelectionData>;
export type MultiSelectionData = z.infer<typeof MultiSelectionData>;
export type RankingData = z.infer<typeof RankingData>;
export type MessageTaskLine = z.infer<typeof MessageTaskLine>;

/** A tool answer as a client sends it in a label submission (`annotations[i]`). */
export type MessageTaskAnswer =
  | {
      name?: string;
      schemaId?: string;
      messageEvaluationTask: { format: 'message-single-selection'; data: SingleSelectionData };
    }
  | {
      name?: string;
      schemaId?: string;
      messageEvaluationTask: { format: 'message-multi-selection'; data: MultiSelectionData };
    }
  | {
      name?: string;
      schemaId?: string;
      messageEvaluationTask: { format: 'message-ranking'; data: RankingData };
    };

/** True for an annotation line that carries a message tool answer rather than a classification. */
export function isMessageTaskLine(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && 'messageEvaluationTask' in value
  );
}
