/**
 * The inline conversation of a data row (Labelbox's `application/vnd.labelbox.conversational`,
 * version 1). Objects are strict: an unknown key is an error naming the valid keys, because a
 * misspelt `canlabel` silently ignored would make a message unlabelable.
 */
import { z } from 'zod';

export const CONVERSATION_MIME_TYPE = 'application/vnd.labelbox.conversational';
export const MAX_MESSAGES = 250;
/** Message content must be under this many characters (Unicode code points). */
export const MAX_CONTENT_CHARS = 10_000;

/** A strict object whose unknown-key error lists the keys that are valid there. */
export function strictShape<T extends z.ZodRawShape>(shape: T) {
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; valid keys: ${valid}`
        : undefined,
  });
}

/** Code points, not UTF-16 units: an emoji counts as one character. Cheap when clearly short. */
export function charCount(s: string): number {
  if (s.length < MAX_CONTENT_CHARS) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export const ConversationUser = strictShape({
  userId: z.string().min(1, 'userId must not be empty'),
  name: z.string(),
});

export const ConversationMessage = strictShape({
  messageId: z.string().min(1, 'messageId must not be empty'),
  timestampUsec: z.number().int().nonnegative().optional(),
  content: z
    .string()
    .refine((s) => charCount(s) < MAX_CONTENT_CHARS, `content must be under ${MAX_CONTENT_CHARS} characters`),
  user: ConversationUser,
  align: z.enum(['left', 'right']).optional(),
  canLabel: z.boolean().optional(),
});

export const ModelOutput = strictShape({
  title: z.string().min(1, 'title must not be empty'),
  content: z.string(),
  modelConfigName: z.string(),
});

export const Conversation = strictShape({
  type: z.literal(CONVERSATION_MIME_TYPE),
  version: z.literal(1),
  messages: z
    .array(ConversationMessage)
    .min(1, 'a conversation needs at least 1 message')
    .max(MAX_MESSAGES, `a conversation has at most ${MAX_MESSAGES} messages`),
  modelOutputs: z.array(ModelOutput).optional(),
}).superRefine((c, ctx) => {
  reportDuplicates(
    c.messages.map((m) => m.messageId),
    (i, v) =>
      ctx.addIssue({
        code: 'custom',
        path: ['messages', i, 'messageId'],
        message: `duplicate messageId ${JSON.stringify(v)}`,
      }),
  );
  reportDuplicates(
    (c.modelOutputs ?? []).map((o) => o.title),
    (i, v) =>
      ctx.addIssue({
        code: 'custom',
        path: ['modelOutputs', i, 'title'],
        message: `duplicate modelOutputs title ${JSON.stringify(v)}`,
      }),
  );
});

function reportDuplicates(values: string[], report: (index: number, value: string) => void): void {
  if (values.length < 2) return;
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(i, v);
    else seen.add(v);
  });
}

export type ConversationUser = z.infer<typeof ConversationUser>;
export type ConversationMessage = z.infer<typeof ConversationMessage>;
export type ModelOutput = z.infer<typeof ModelOutput>;
export type Conversation = z.infer<typeof Conversation>;

/** What the export's `media_attributes` says about a conversation. */
export function conversationMediaAttributes(c: Conversation): {
  labelableIds: string[];
  messageCount: number;
} {
  return {
    labelableIds: c.messages.filter((m) => m.canLabel === true).map((m) => m.messageId),
    messageCount: c.messages.length,
  };
}
