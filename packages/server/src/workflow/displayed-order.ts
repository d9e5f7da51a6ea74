/**
 * The order a labeler saw a row's model outputs in, left to right (the app shuffles them per
 * labeler and row so that position does not pick the winner). Kept with the label for a
 * position-bias audit; it never appears in an export row. A v1 row's entries are the
 * `modelOutputs` titles; a v2 (multimodal chat) row's are the ids of its compared model replies
 * (the replies of every human prompt with two or more), prompt after prompt in thread order and
 * left to right within a prompt: only the relative order of one prompt's replies carries meaning.
 */
import { isConversationV2 } from '@prefer/schemas';
import type { Fault } from '../shared/errors.ts';

const PATH = '$.displayedOrder';

/**
 * The order as stored (JSON text), or null when none was given. Faults unless it is a
 * permutation of the titles of the row's `modelOutputs`.
 */
export function checkDisplayedOrder(order: unknown, rowData: string, faults: Fault[]): string | null {
  if (order === undefined || order === null) return null;
  if (!Array.isArray(order) || order.some((t) => typeof t !== 'string')) {
    faults.push({ path: PATH, message: 'must be a list of model output titles or reply message ids' });
    return null;
  }
  const shown = shownItems(rowData);
  if (shown === null) {
    faults.push({
      path: PATH,
      message:
        'this data row has no inline conversation (its row_data is a URL): it has no model outputs to order',
    });
    return null;
  }
  const titles = shown.items;
  const list = titles.map((t) => JSON.stringify(t)).join(', ') || 'none';
  const expected = `a permutation of the row's ${shown.what} (${list})`;
  const seen = new Set<string>();
  for (const [i, title] of (order as string[]).entries()) {
    if (!titles.includes(title)) {
      faults.push({ path: `${PATH}[${i}]`, message: `${JSON.stringify(title)} is not ${expected}` });
    } else if (seen.has(title)) {
      faults.push({ path: `${PATH}[${i}]`, message: `${JSON.stringify(title)} is listed twice` });
    }
    seen.add(title);
  }
  const missing = titles.filter((t) => !seen.has(t));
  if (missing.length > 0) {
    faults.push({
      path: PATH,
      message: `must be ${expected}; missing: ${missing.map((t) => JSON.stringify(t)).join(', ')}`,
    });
  }
  return JSON.stringify(order);
}

/** What a row shows side by side; null when row_data is no inline conversation. */
function shownItems(rowData: string): { what: string; items: string[] } | null {
  if (!rowData.startsWith('{')) return null;
  // Rows imported from a Labelbox export keep its row_data text as it came: read it defensively.
  let conversation: { modelOutputs?: unknown };
  try {
    conversation = JSON.parse(rowData) as { modelOutputs?: unknown };
  } catch {
    return null;
  }
  if (isConversationV2(conversation)) {
    return { what: 'compared model reply ids', items: comparedReplies(conversation as V2Shape) };
  }
  const outputs = Array.isArray(conversation.modelOutputs) ? conversation.modelOutputs : [];
  return {
    what: 'model output titles',
    items: outputs.flatMap((o) => (typeof o?.title === 'string' ? [o.title as string] : [])),
  };
}

interface V2Shape {
  actors?: Record<string, { role?: unknown }>;
  messages?: Record<string, { actorId?: unknown; childMessageIds?: unknown }>;
}

/** The model replies of each human message with two or more of them, in the row's message order. */
function comparedReplies(c: V2Shape): string[] {
  const messages = c.messages ?? {};
  const role = (id: string) => {
    const actorId = Object.hasOwn(messages, id) ? messages[id]?.actorId : undefined;
    return typeof actorId === 'string' && c.actors && Object.hasOwn(c.actors, actorId)
      ? c.actors[actorId]?.role
      : undefined;
  };
  const out: string[] = [];
  for (const [id, m] of Object.entries(messages)) {
    if (role(id) !== 'human' || !Array.isArray(m.childMessageIds)) continue;
    const replies = m.childMessageIds.filter(
      (x): x is string => typeof x === 'string' && role(x) === 'model',
    );
    if (replies.length >= 2) out.push(...replies);
  }
  return out;
}

/** The stored order as the API answers it. */
export function displayedOrderOf(stored: string | null): string[] | null {
  return stored === null ? null : (JSON.parse(stored) as string[]);
}
