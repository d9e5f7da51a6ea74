/**
 * A multimodal chat (conversation v2) row as the editor shows it: the thread from each root down,
 * as turns. A turn is a human prompt and its model replies; the next turn starts at the human
 * message the replies lead to (Labelbox merges the branches there). Replies of a prompt with two
 * or more are compared side by side and take the message tools.
 */
import { type ContentItem, isConversationV2 } from '@prefer/schemas';
import { displayedOrder } from '../order.ts';

export interface ThreadMessage {
  id: string;
  role: 'human' | 'model';
  /** Who speaks: the human actor's name; model names stay hidden from labelers. */
  speaker: string;
  modelConfigName: string;
  content: ContentItem[];
}

export interface Turn {
  prompt: ThreadMessage;
  /** The model replies in the row's order. */
  replies: ThreadMessage[];
}

export interface Thread {
  turns: Turn[];
  /** Every message id in the row's order: each takes message-scoped questions. */
  messageIds: string[];
}

interface RawMessage {
  actorId?: unknown;
  content?: unknown;
  childMessageIds?: unknown;
}
interface RawConversation {
  actors?: Record<string, { role?: unknown; metadata?: { name?: unknown; modelConfigName?: unknown } }>;
  messages?: Record<string, RawMessage>;
  rootMessageIds?: unknown;
}

/** The row's thread; null when the row is not a v2 conversation (the v1 editor takes it). */
export function parseThread(rowData: string): Thread | { error: string } | null {
  let value: unknown;
  try {
    value = JSON.parse(rowData);
  } catch {
    return null;
  }
  if (!isConversationV2(value)) return null;
  const c = value as RawConversation;
  const raw = c.messages ?? {};
  const actors = c.actors ?? {};
  const messages = new Map<string, ThreadMessage & { children: string[] }>();
  for (const [id, m] of Object.entries(raw)) {
    const actor =
      typeof m.actorId === 'string' && Object.hasOwn(actors, m.actorId) ? actors[m.actorId] : undefined;
    const role = actor?.role === 'model' ? 'model' : 'human';
    const name = actor?.metadata?.name;
    const config = actor?.metadata?.modelConfigName;
    messages.set(id, {
      id,
      role,
      speaker: role === 'human' ? (typeof name === 'string' && name ? name : 'User') : 'Model',
      modelConfigName: typeof config === 'string' ? config : '',
      content: Array.isArray(m.content) ? (m.content as ContentItem[]) : [],
      children: Array.isArray(m.childMessageIds)
        ? m.childMessageIds.filter((x): x is string => typeof x === 'string')
        : [],
    });
  }
  const roots = Array.isArray(c.rootMessageIds) ? c.rootMessageIds.filter((x) => typeof x === 'string') : [];
  if (roots.length === 0) return { error: 'This conversation has no messages yet.' };
  const turns: Turn[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    let at: string | undefined = root;
    // The server refuses cycles; the seen set only keeps a bad row from hanging the tab.
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      const prompt = messages.get(at);
      if (!prompt) break;
      const replies = prompt.children
        .map((id) => messages.get(id))
        .filter((m): m is ThreadMessage & { children: string[] } => m !== undefined && m.role === 'model');
      turns.push({ prompt: plain(prompt), replies: replies.map(plain) });
      const after = [...replies, prompt].flatMap((m) => m.children).map((id) => messages.get(id));
      at = after.find((m) => m?.role === 'human')?.id;
    }
  }
  return { turns, messageIds: [...messages.keys()] };
}

const plain = ({ children: _, ...m }: ThreadMessage & { children: string[] }): ThreadMessage => m;

/** The turns whose replies are compared (two or more). */
export const comparedTurns = (thread: Thread) => thread.turns.filter((t) => t.replies.length >= 2);

/**
 * The replies of each compared turn in the order this labeler sees them, left to right (drawn per
 * labeler, row and prompt, so the same after a reload), as `displayed_order` records them.
 */
export function threadOrder(thread: Thread, userId: string, rowId: string): string[] {
  return comparedTurns(thread).flatMap((t) =>
    displayedOrder(
      t.replies.map((r) => r.id),
      userId,
      `${rowId}\u0000${t.prompt.id}`,
    ),
  );
}

/** One turn's replies in the shown order (ids not in `order` go last, in the row's order). */
export function shownReplies(turn: Turn, order: readonly string[]): ThreadMessage[] {
  const at = (m: ThreadMessage) => {
    const i = order.indexOf(m.id);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  return turn.replies
    .map((m, i) => ({ m, i }))
    .sort((a, b) => at(a.m) - at(b.m) || a.i - b.i)
    .map((x) => x.m);
}

/** A reply's name on screen: its position, never its model. */
export const replyTitle = (position: number) => `Model reply ${position + 1}`;
