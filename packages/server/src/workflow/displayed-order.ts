/**
 * The order a labeler saw a row's model outputs in, left to right, by title (the app shuffles
 * them per labeler and row so that position does not pick the winner). Kept with the label for a
 * position-bias audit; it never appears in an export row.
 */
import type { Fault } from '../shared/errors.ts';

const PATH = '$.displayedOrder';

/**
 * The order as stored (JSON text), or null when none was given. Faults unless it is a
 * permutation of the titles of the row's `modelOutputs`.
 */
export function checkDisplayedOrder(order: unknown, rowData: string, faults: Fault[]): string | null {
  if (order === undefined || order === null) return null;
  if (!Array.isArray(order) || order.some((t) => typeof t !== 'string')) {
    faults.push({ path: PATH, message: 'must be a list of model output titles' });
    return null;
  }
  const titles = modelOutputTitles(rowData);
  if (titles === null) {
    faults.push({
      path: PATH,
      message:
        'this data row has no inline conversation (its row_data is a URL): it has no model outputs to order',
    });
    return null;
  }
  const list = titles.map((t) => JSON.stringify(t)).join(', ') || 'none';
  const expected = `a permutation of the row's model output titles (${list})`;
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

/** The titles of an inline conversation's model outputs; null when row_data is no conversation. */
function modelOutputTitles(rowData: string): string[] | null {
  if (!rowData.startsWith('{')) return null;
  // Rows imported from a Labelbox export keep its row_data text as it came: read it defensively.
  let conversation: { modelOutputs?: unknown };
  try {
    conversation = JSON.parse(rowData) as { modelOutputs?: unknown };
  } catch {
    return null;
  }
  const outputs = Array.isArray(conversation.modelOutputs) ? conversation.modelOutputs : [];
  return outputs.flatMap((o) => (typeof o?.title === 'string' ? [o.title as string] : []));
}

/** The stored order as the API answers it. */
export function displayedOrderOf(stored: string | null): string[] | null {
  return stored === null ? null : (JSON.parse(stored) as string[]);
}
