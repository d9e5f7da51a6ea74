/**
 * The conversation of a multimodal chat evaluation row (Labelbox's
 * `application/vnd.labelbox.conversational.model-chat-evaluation`, version 2): actors, a map of
 * messages threaded by `childMessageIds`, and `rootMessageIds`. Objects are strict, and the graph
 * is checked as a whole (actors exist, children exist, no cycles, every message reachable, roots
 * by human actors), each fault at the JSON path of the offending value. The rules Labelbox leaves
 * unwritten are prefer decisions, listed in docs/labelbox-compat.md ("Multimodal chat evaluation").
 */
import { z } from 'zod';
import { strictShape } from './conversation.ts';
import { HttpsUrl } from './url.ts';

export const MMC_MIME_TYPE = 'application/vnd.labelbox.conversational.model-chat-evaluation';
/** Labelbox's limit on an inline (local upload) row: characters of its JSON. */
export const MAX_MMC_ROW_CHARS = 2_621_440;
export const ACTOR_ROLES = ['human', 'model'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

const nonEmpty = (what: string) => z.string().refine((s) => s.trim() !== '', `${what} must not be empty`);
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

export const TextContent = strictShape({
  type: z.literal('text'),
  content: nonEmpty('text content'),
});

/** A file shown by link or inline media; the server stores the URL and never downloads it. */
export const FileDataContent = strictShape({
  type: z.literal('fileData'),
  fileUri: HttpsUrl,
  mimeType: z.string().regex(MIME, 'mimeType must be a media type such as "image/png"'),
});

export const CONTENT_TYPES = ['text', 'fileData'] as const;

/** Dispatches on `type` so the faults are those of the item the user meant. */
export const ContentItem = z.custom<TextContent | FileDataContent>().superRefine((value, ctx) => {
  const type = (value as { type?: unknown } | null)?.type;
  const schema = type === 'text' ? TextContent : type === 'fileData' ? FileDataContent : null;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'a content item must be an object { type, ... }' });
    return;
  }
  if (!schema) {
    ctx.addIssue({
      code: 'custom',
      path: ['type'],
      message: `unknown content type ${JSON.stringify(type)}; valid types: ${CONTENT_TYPES.join(', ')}`,
    });
    return;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    const path =
      issue.code === 'unrecognized_keys' && issue.keys.length === 1
        ? [...issue.path, issue.keys[0]!]
        : issue.path;
    ctx.addIssue({ code: 'custom', path, message: issue.message });
  }
});

export const ActorMetadata = strictShape({
  name: z.string().optional(),
  modelConfigName: nonEmpty('modelConfigName').optional(),
  modelConfigId: z.string().optional(),
});

export const Actor = strictShape({
  role: z.enum(ACTOR_ROLES, { error: 'role must be human or model' }),
  metadata: ActorMetadata.optional(),
});

export const MessageV2 = strictShape({
  actorId: nonEmpty('actorId'),
  content: z.array(ContentItem).min(1, 'a message needs at least 1 content item'),
  childMessageIds: z.array(z.string()),
});

export const ConversationV2 = strictShape({
  type: z.literal(MMC_MIME_TYPE),
  version: z.literal(2, { error: 'version must be 2' }),
  draft: z.boolean().optional(),
  actors: z.record(z.string(), Actor),
  messages: z.record(z.string(), MessageV2),
  rootMessageIds: z.array(z.string()),
}).superRefine((c, ctx) => checkGraph(c, ctx));

export type TextContent = z.infer<typeof TextContent>;
export type FileDataContent = z.infer<typeof FileDataContent>;
export type ContentItem = TextContent | FileDataContent;
export type ConversationActor = z.infer<typeof Actor>;
export type MessageV2 = z.infer<typeof MessageV2>;
export type ConversationV2 = z.infer<typeof ConversationV2>;

type Issue = (path: (string | number)[], message: string) => void;

function checkGraph(c: ConversationV2, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const ids = Object.keys(c.messages);
  const actorIds = Object.keys(c.actors);
  for (const [id, actor] of Object.entries(c.actors)) {
    if (actor.role === 'model' && actor.metadata?.modelConfigName === undefined) {
      issue(
        ['actors', id, 'metadata', 'modelConfigName'],
        'a model actor needs metadata.modelConfigName (annotations name the reply’s model by it)',
      );
    }
  }
  for (const [id, m] of Object.entries(c.messages)) {
    if (!Object.hasOwn(c.actors, m.actorId)) {
      issue(
        ['messages', id, 'actorId'],
        `unknown actor id ${JSON.stringify(m.actorId)}; actors: ${actorIds.map((a) => JSON.stringify(a)).join(', ') || 'none'}`,
      );
    }
    const seen = new Set<string>();
    for (const [i, child] of m.childMessageIds.entries()) {
      if (!Object.hasOwn(c.messages, child)) {
        issue(['messages', id, 'childMessageIds', i], `unknown message id ${JSON.stringify(child)}`);
      } else if (seen.has(child)) {
        issue(['messages', id, 'childMessageIds', i], `message ${JSON.stringify(child)} is listed twice`);
      } else if (child === id) {
        issue(['messages', id, 'childMessageIds', i], 'a message cannot reply to itself');
      }
      seen.add(child);
    }
  }
  if (c.draft !== true && ids.length === 0) {
    issue(['messages'], 'a conversation needs at least 1 message (only a draft row may be empty)');
  }
  if (ids.length > 0 && c.rootMessageIds.length === 0) {
    issue(['rootMessageIds'], 'a conversation with messages needs at least 1 root message');
  }
  const roots = new Set<string>();
  for (const [i, root] of c.rootMessageIds.entries()) {
    const m = c.messages[root];
    if (!m || !Object.hasOwn(c.messages, root)) {
      issue(['rootMessageIds', i], `unknown message id ${JSON.stringify(root)}`);
      continue;
    }
    if (roots.has(root)) issue(['rootMessageIds', i], `message ${JSON.stringify(root)} is listed twice`);
    roots.add(root);
    const role = Object.hasOwn(c.actors, m.actorId) ? c.actors[m.actorId]?.role : undefined;
    if (role === 'model') {
      issue(
        ['rootMessageIds', i],
        `root message ${JSON.stringify(root)} is a model reply; a conversation starts with a human message`,
      );
    }
  }
  findCycles(c, issue);
  if (roots.size > 0) {
    const reached = reachable(c, [...roots]);
    for (const id of ids) {
      if (!reached.has(id))
        issue(['messages', id], `message ${JSON.stringify(id)} is not reachable from rootMessageIds`);
    }
  }
}

/** Depth-first search (iterative: conversations may be long); reports each edge that closes a cycle. */
function findCycles(c: ConversationV2, issue: Issue): void {
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 done
  for (const start of Object.keys(c.messages)) {
    if (state.has(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [id, next] = top;
      const children = c.messages[id]?.childMessageIds ?? [];
      if (next >= children.length) {
        state.set(id, 2);
        stack.pop();
        continue;
      }
      top[1] = next + 1;
      const child = children[next]!;
      if (!Object.hasOwn(c.messages, child) || child === id) continue;
      const s = state.get(child);
      if (s === 1) {
        issue(
          ['messages', id, 'childMessageIds', next],
          `message ${JSON.stringify(child)} is an earlier message of this thread: childMessageIds must not form a cycle`,
        );
      } else if (s === undefined) {
        state.set(child, 1);
        stack.push([child, 0]);
      }
    }
  }
}

function reachable(c: ConversationV2, roots: string[]): Set<string> {
  const seen = new Set<string>(roots);
  const todo = [...roots];
  while (todo.length > 0) {
    const id = todo.pop()!;
    for (const child of c.messages[id]?.childMessageIds ?? []) {
      if (Object.hasOwn(c.messages, child) && !seen.has(child)) {
        seen.add(child);
        todo.push(child);
      }
    }
  }
  return seen;
}

/**
 * What the export's `media_attributes` says about a v2 conversation (prefer decision): every
 * message takes message-scoped answers, so `labelable_ids` lists all message ids in the row's order.
 */
export function conversationV2MediaAttributes(c: ConversationV2): {
  labelableIds: string[];
  messageCount: number;
} {
  const ids = Object.keys(c.messages);
  return { labelableIds: ids, messageCount: ids.length };
}

/** True for a value that claims to be a v2 conversation (by its `type`). */
export function isConversationV2(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { type?: unknown }).type === MMC_MIME_TYPE;
}

/** The graph facts an annotation is checked against: roles, models and replies of each message. */
export interface MmcGraph {
  /** Message id → its role and (for model replies) the actor's modelConfigName. */
  messages: ReadonlyMap<
    string,
    { role: ActorRole | undefined; modelConfigName: string | undefined; children: readonly string[] }
  >;
}

/** The graph of a stored (already validated) v2 conversation. */
export function mmcGraph(c: ConversationV2): MmcGraph {
  const messages = new Map<
    string,
    { role: ActorRole | undefined; modelConfigName: string | undefined; children: readonly string[] }
  >();
  for (const [id, m] of Object.entries(c.messages)) {
    const actor = Object.hasOwn(c.actors, m.actorId) ? c.actors[m.actorId] : undefined;
    messages.set(id, {
      role: actor?.role,
      modelConfigName: actor?.metadata?.modelConfigName,
      children: m.childMessageIds,
    });
  }
  return { messages };
}
