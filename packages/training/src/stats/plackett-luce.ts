/**
 * Plackett-Luce ratings by maximum likelihood over whole rankings. A ranking o_1 > ... > o_m is
 * a sequence of choices: o_1 chosen from all, o_2 from the rest, and so on, each with
 * probability g_o / (sum of g over the items still in). An observation may stop early: a single
 * pick among n outputs is one choice from all n. Ties (and both-bad) are read as in
 * Bradley-Terry: every pair of the tied items half a win each way. Fitted with Hunter's (2004)
 * MM iteration g_i <- W_i / sum over the choices i was open to of weight / (sum of g still in),
 * and put on the Bradley-Terry scale (bradley-terry.ts), so a data set of pairs only gives the
 * Bradley-Terry ratings.
 *
 * Observations are interned as patterns (items, best first, and how many were chosen): with a
 * handful of models there are few distinct ones, so a fit, and a bootstrap resample, is a weight
 * per pattern, whatever the number of labels.
 */
import { type IndexArray, putIndex } from './logs.ts';

export interface RankingPattern {
  /** Model indices: the chosen ones in order, then those left unchosen. */
  items: number[];
  /** Choices made (0: the items tie). At most items.length - 1: the last choice is no choice. */
  chosen: number;
}

/** One pattern index per observation (a label), and the distinct patterns. */
export class RankingLog {
  readonly patterns: RankingPattern[] = [];
  private readonly index = new Map<string, number>();
  /** Pattern indices: bytes while there are at most 256 patterns (logs.ts). */
  observations: IndexArray = new Uint8Array(1024);
  length = 0;
  /** Items of the largest observation (Plackett-Luce says more than pairs from 3 on). */
  largest = 0;

  /**
   * `order`: model indices best first; `rest`: unranked items (a pick among them); `tie`: the
   * items of `order` tie. A model met twice counts at its best place; under two items, nothing.
   */
  push(order: readonly number[], rest: readonly number[] = [], tie = false): void {
    const items: number[] = [];
    for (const m of order) if (!items.includes(m)) items.push(m);
    const ranked = items.length;
    for (const m of rest) if (!items.includes(m)) items.push(m);
    if (items.length < 2 || (ranked === 0 && !tie)) return;
    const chosen = tie ? 0 : Math.min(ranked, items.length - 1);
    const key = `${chosen}:${items.join(',')}`;
    let p = this.index.get(key);
    if (p === undefined) {
      p = this.patterns.length;
      this.index.set(key, p);
      this.patterns.push({ items, chosen });
    }
    this.largest = Math.max(this.largest, items.length);
    this.observations = putIndex(this.observations, this.length++, p);
  }

  /** Observations per pattern: all of them, or those of `pick` (indices into the observations). */
  weights(pick?: ArrayLike<number>): Float64Array {
    const w = new Float64Array(this.patterns.length);
    const n = pick ? pick.length : this.length;
    for (let k = 0; k < n; k++) w[this.observations[pick ? pick[k]! : k]!]!++;
    return w;
  }
}

/**
 * Log-strengths (natural log, mean 0) maximizing the likelihood of `weights[p]` observations of
 * each pattern. As in fitBradleyTerry, `prior` half-wins each way between two models that met
 * keep a model that never lost (or never won) finite; 0 is the pure MLE.
 */
export function fitPlackettLuce(
  patterns: readonly RankingPattern[],
  weights: ArrayLike<number>,
  models: number,
  prior = 0.01,
  maxIter = 10_000,
  tol = 1e-10,
): number[] {
  const k = models;
  // Choices won (W_i), and the pairs that met (for the prior), are fixed by the data.
  const W = new Float64Array(k);
  const met = Array.from({ length: k }, () => new Uint8Array(k));
  patterns.forEach((p, i) => {
    const w = weights[i]!;
    if (w === 0) return;
    const { items, chosen } = p;
    for (let x = 0; x < items.length; x++)
      for (let y = x + 1; y < items.length; y++) met[items[x]!]![items[y]!] = met[items[y]!]![items[x]!] = 1;
    if (chosen === 0) for (const m of items) W[m]! += (w * (items.length - 1)) / 2;
    else for (let c = 0; c < chosen; c++) W[items[c]!]! += w;
  });
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j && met[i]![j]) W[i]! += prior;

  let g = new Array<number>(k).fill(1);
  const denom = new Float64Array(k);
  for (let iter = 0; iter < maxIter; iter++) {
    denom.fill(0);
    patterns.forEach((p, i) => {
      const w = weights[i]!;
      if (w === 0) return;
      const { items, chosen } = p;
      if (chosen === 0) {
        // Every pair both ways at half weight: w / (g_a + g_b) to each side.
        for (let x = 0; x < items.length; x++) {
          for (let y = x + 1; y < items.length; y++) {
            const d = w / (g[items[x]!]! + g[items[y]!]!);
            denom[items[x]!]! += d;
            denom[items[y]!]! += d;
          }
        }
        return;
      }
      // Item at place q was open to choices 0..min(q, chosen - 1); S_c: the strength still in.
      let still = 0;
      for (const m of items) still += g[m]!;
      let open = 0;
      for (let q = 0; q < items.length; q++) {
        if (q < chosen) {
          open += w / still;
          still -= g[items[q]!]!;
        }
        denom[items[q]!]! += open;
      }
    });
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) if (i !== j && met[i]![j]) denom[i]! += (2 * prior) / (g[i]! + g[j]!);
    const next = g.map((gi, i) => (denom[i]! > 0 ? W[i]! / denom[i]! : gi));
    // Fix the scale (geometric mean 1): the likelihood only sees ratios.
    const logMean = next.reduce((s, v) => s + Math.log(v), 0) / k;
    const scaled = next.map((v) => v / Math.exp(logMean));
    const delta = Math.max(...scaled.map((v, i) => Math.abs(Math.log(v) - Math.log(g[i]!))));
    g = scaled;
    if (delta < tol) break;
  }
  return g.map((v) => Math.log(v));
}
