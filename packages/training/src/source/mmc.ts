/**
 * A multimodal chat evaluation row (conversation v2) as RowRecords: one per project and **prompt**
 * (a human message with two or more model replies), so every comparison the converters and
 * statistics make is between the replies of one prompt.
 * - `prompt`: the thread from the root to the prompt. Where turns branched and merged, the history
 *   follows each message's first parent in the row's message order (prefer decision: the sources
 *   name no canonical path through a branch).
 * - `outputs`: the prompt's model replies; `title` is the reply's message id (unique, and what the
 *   tool answers name), `model` its actor's modelConfigName. `fileData` items become a markdown
 *   link `[mimeType](fileUri)` (never fetched).
 * - each label's `ranking` (best first) comes from its `message-ranking` answer on that prompt, or
 *   else its `message-single-selection` (the pick, best against each other reply). Multi
 *   selections say which replies are acceptable, not which is better, and make no comparison.
 */
import { lineError } from '../errors.ts';
import type { LabelRecord, Message, ModelOutput, RowRecord } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MMC_TYPE = 'application/vnd.labelbox.conversational.model-chat-evaluation';

export function isMmcConversation(conv: unknown): conv is Obj {
  return isObj(conv) && conv.type === MMC_TYPE;
}

interface Msg {
  role: 'human' | 'model' | string;
  model: string;
  content: string;
  children: string[];
}

function readMessages(conv: Obj, line: number): Map<string, Msg> {
  const actors = isObj(conv.actors) ? conv.actors : {};
  const messages = conv.messages;
  if (!isObj(messages)) lineError(line, 'data_row.row_data.messages: expected an object keyed by message id');
  const out = new Map<string, Msg>();
  for (const [id, m] of Object.entries(messages)) {
    const at = `data_row.row_data.messages.${id}`;
    if (!isObj(m) || !Array.isArray(m.content)) lineError(line, `${at}.content: expected a list`);
    const actor = isObj(actors[m.actorId as string]) ? (actors[m.actorId as string] as Obj) : {};
    const meta = isObj(actor.metadata) ? actor.metadata : {};
    out.set(id, {
      role: typeof actor.role === 'string' ? actor.role : 'human',
      model: typeof meta.modelConfigName === 'string' ? meta.modelConfigName : String(m.actorId),
      content: m.content.map(contentText).join('\n\n'),
      children: Array.isArray(m.childMessageIds)
        ? m.childMessageIds.filter((c): c is string => typeof c === 'string')
        : [],
    });
  }
  return out;
}

function contentText(item: unknown): string {
  if (!isObj(item)) return '';
  if (item.type === 'text' && typeof item.content === 'string') return item.content;
  if (item.type === 'fileData') return `[${String(item.mimeType)}](${String(item.fileUri)})`;
  return '';
}

/** The prompts of a conversation (human messages with 2+ model replies), each with its thread. */
export function mmcPrompts(
  conv: Obj,
  line: number,
): { promptId: string; prompt: Message[]; outputs: ModelOutput[] }[] {
  const messages = readMessages(conv, line);
  // The first parent of each message (in the row's message order): the path back to the root.
  const parent = new Map<string, string>();
  for (const [id, m] of messages) for (const c of m.children) if (!parent.has(c)) parent.set(c, id);
  const thread = (id: string): Message[] => {
    const chain: string[] = [];
    let at: string | undefined = id;
    const seen = new Set<string>();
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      chain.unshift(at);
      at = parent.get(at);
    }
    return chain.map((m) => {
      const msg = messages.get(m)!;
      return { role: msg.role === 'model' ? 'assistant' : 'user', content: msg.content };
    });
  };
  const out = [];
  for (const [id, m] of messages) {
    if (m.role !== 'human') continue;
    const replies = m.children.filter((c) => messages.get(c)?.role === 'model');
    if (replies.length < 2) continue;
    out.push({
      promptId: id,
      prompt: thread(id),
      outputs: replies.map((c) => ({
        title: c,
        model: messages.get(c)!.model,
        content: messages.get(c)!.content,
      })),
    });
  }
  return out;
}

/** A label's preference on one prompt, best first: its ranking, else its single selection. */
export function mmcRanking(
  objects: unknown[],
  promptId: string,
  replies: readonly string[],
): string[] | null {
  let single: string[] | null = null;
  for (const o of objects) {
    if (!isObj(o)) continue;
    const ranked = o.ranked_messages;
    if (o.annotation_kind === 'MessageRanking' && isObj(ranked) && ranked.parent_message_id === promptId) {
      const list = Array.isArray(ranked.ranked_messages) ? ranked.ranked_messages.filter(isObj) : [];
      return list
        .filter((m) => typeof m.message_id === 'string' && replies.includes(m.message_id))
        .sort((a, b) => Number(a.order) - Number(b.order))
        .map((m) => m.message_id as string);
    }
    const picked = o.selected_message;
    if (
      o.annotation_kind === 'MessageSingleSelection' &&
      isObj(picked) &&
      picked.parent_message_id === promptId
    ) {
      if (typeof picked.message_id === 'string' && replies.includes(picked.message_id))
        single = [picked.message_id];
    }
  }
  return single;
}

/** Per prompt, a copy of the row's records with the prompt's thread, replies and rankings. */
export function mmcRows(
  conv: Obj,
  line: number,
  base: Omit<RowRecord, 'prompt' | 'outputs' | 'labels'> & {
    labels: (LabelRecord & { objects: unknown[] })[];
  },
): RowRecord[] {
  return mmcPrompts(conv, line).map((p) => ({
    ...base,
    prompt: p.prompt,
    outputs: p.outputs,
    labels: base.labels.map(({ objects, ...label }) => ({
      ...label,
      // The editor records the reply ids of every compared prompt, left to right, prompt by
      // prompt: this prompt's part is its displayed order (titles here are reply ids).
      displayed_order: promptOrder(label.displayed_order, p.outputs),
      ranking: mmcRanking(
        objects,
        p.promptId,
        p.outputs.map((o) => o.title),
      ),
    })),
  }));
}

function promptOrder(order: string[] | null, outputs: readonly { title: string }[]): string[] | null {
  if (order === null) return null;
  const own = order.filter((id) => outputs.some((o) => o.title === id));
  return own.length === outputs.length ? own : null;
}
