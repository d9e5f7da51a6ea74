/**
 * Consensus on message tool answers (multimodal chat rows), one comparable question per tool and
 * prompt (`parent_message_id`). Pure.
 * - single selection: 1 when both picked the same reply, else 0 (as a radio);
 * - multi selection: Jaccard similarity of the picked replies (as a checklist);
 * - ranking: Kendall's tau-b over the replies both ranked, rescaled to 0..1 ((tau + 1) / 2), so
 *   the same ranking scores 1 and the reversed one 0. Fewer than two shared replies compare as
 *   1 when they are the same reply, else 0. Spearman's rho is here too, for reports.
 */

export type ToolAnswer =
  | { kind: 'pick'; option: string }
  | { kind: 'set'; options: Set<string> }
  | { kind: 'ranking'; orders: Map<string, number> };

interface StoredObject {
  feature_schema_id?: string;
  annotation_kind?: string;
  selected_message?: { message_id: string; parent_message_id: string };
  selected_messages?: { messages: { message_id: string }[]; parent_message_id: string };
  ranked_messages?: { ranked_messages: { message_id: string; order: number }[]; parent_message_id: string };
}

/** The tool answers of a stored annotations document's `objects`, by tool and prompt. */
export function toolAnswers(objects: readonly unknown[] | undefined): Map<string, ToolAnswer> {
  const out = new Map<string, ToolAnswer>();
  for (const value of objects ?? []) {
    const o = value as StoredObject;
    const key = (parent: string) => `${o.feature_schema_id ?? ''}\u0001${parent}`;
    if (o.annotation_kind === 'MessageSingleSelection' && o.selected_message) {
      out.set(key(o.selected_message.parent_message_id), {
        kind: 'pick',
        option: o.selected_message.message_id,
      });
    } else if (o.annotation_kind === 'MessageMultiSelection' && o.selected_messages) {
      out.set(key(o.selected_messages.parent_message_id), {
        kind: 'set',
        options: new Set(o.selected_messages.messages.map((m) => m.message_id)),
      });
    } else if (o.annotation_kind === 'MessageRanking' && o.ranked_messages) {
      out.set(key(o.ranked_messages.parent_message_id), {
        kind: 'ranking',
        orders: new Map(o.ranked_messages.ranked_messages.map((m) => [m.message_id, m.order])),
      });
    }
  }
  return out;
}

/** Agreement (0..1) of two answers to one tool and prompt; one side missing counts as 0. */
export function toolAgreement(x: ToolAnswer | undefined, y: ToolAnswer | undefined): number {
  if (!x || !y || x.kind !== y.kind) return 0;
  switch (x.kind) {
    case 'pick':
      return x.option === (y as { option: string }).option ? 1 : 0;
    case 'set':
      return jaccard(x.options, (y as { options: Set<string> }).options);
    case 'ranking':
      return rankingAgreement(x.orders, (y as { orders: Map<string, number> }).orders);
  }
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const union = new Set([...a, ...b]);
  if (union.size === 0) return 1;
  return [...a].filter((v) => b.has(v)).length / union.size;
}

export function rankingAgreement(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const shared = [...a.keys()].filter((k) => b.has(k));
  if (shared.length < 2) return shared.length === 1 && a.size === 1 && b.size === 1 ? 1 : 0;
  const tau = kendallTau(
    shared.map((k) => a.get(k)!),
    shared.map((k) => b.get(k)!),
  );
  return (tau + 1) / 2;
}

/** Kendall's tau-b of two paired lists (ties allowed); 0 when either list is constant. */
export function kendallTau(x: readonly number[], y: readonly number[]): number {
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denominator === 0 ? 0 : (concordant - discordant) / denominator;
}

/** Spearman's rho of two rankings without ties (orders 1..n of the same items). */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return n === 1 ? 1 : 0;
  const rank = (v: readonly number[]) => {
    const sorted = [...v].map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const out = new Array<number>(n);
    for (const [r, s] of sorted.entries()) out[s.i] = r + 1;
    return out;
  };
  const rx = rank(x);
  const ry = rank(y);
  const d2 = rx.reduce((sum, r, i) => sum + (r - ry[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
