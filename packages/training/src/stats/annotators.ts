/**
 * Per-annotator figures and the flags that make someone worth a look. Agreement with the
 * consensus is leave-one-out: the annotator's answer against the strict majority of the others
 * on the same item.
 */
import type { FlatUnits } from './agreement.ts';
import { binomialTestHalf } from './binomial.ts';
import type { AnnotatorTally } from './collect.ts';
import { quantile } from './rng.ts';

export interface AnnotatorRow {
  email: string;
  labels: number;
  skip_rate: number;
  median_active_seconds: number | null;
  agreement_with_consensus: number | null;
  agreement_with_reviewer: number | null;
  left_pick_rate: number | null;
  position_bias_p: number | null;
  flags: string[];
}

const MIN_FOR_FLAG = 10;

export function annotatorReport(tallies: readonly AnnotatorTally[], preference: FlatUnits): AnnotatorRow[] {
  const agree = tallies.map(() => ({ same: 0, n: 0 }));
  const { starts, raters, values } = preference;
  for (let u = 0; u < preference.count; u++) {
    const [s, e] = [starts[u]!, starts[u + 1]!];
    for (let i = s; i < e; i++) {
      // The others' most frequent answer, if one is strictly ahead.
      let best = -1;
      let bestCount = 0;
      let tied = false;
      for (let j = s; j < e; j++) {
        if (j === i || firstOther(values, s, i, j) !== j) continue;
        let c = 0;
        for (let k = j; k < e; k++) if (k !== i && values[k] === values[j]) c++;
        if (c > bestCount) [best, bestCount, tied] = [values[j]!, c, false];
        else if (c === bestCount) tied = true;
      }
      if (best < 0 || tied) continue;
      const a = agree[raters[i]!]!;
      a.n++;
      if (best === values[i]) a.same++;
    }
  }
  // Each annotator's seconds sorted in place; the overall median merges them (no copy of all).
  const seconds = tallies.map((t) => t.activeSeconds.sorted());
  const everyone = mergedMedian(seconds);
  const rows = tallies.map((t, i): AnnotatorRow => {
    const a = agree[i]!;
    const p = t.positionWins > 0 ? binomialTestHalf(t.leftPicks, t.positionWins) : null;
    return {
      email: t.email,
      labels: t.labels,
      skip_rate: t.labels ? t.skipped / t.labels : 0,
      median_active_seconds: seconds[i]!.length ? quantile(seconds[i]!, 0.5) : null,
      agreement_with_consensus: a.n ? a.same / a.n : null,
      agreement_with_reviewer: t.reviewed ? t.approved / t.reviewed : null,
      left_pick_rate: t.positionWins ? t.leftPicks / t.positionWins : null,
      position_bias_p: p,
      flags: [],
    };
  });
  // Bonferroni over annotators: with many raters some p-values are small by chance.
  const alpha = 0.05 / Math.max(1, rows.length);
  rows.forEach((r, i) => {
    const t = tallies[i]!;
    if (r.position_bias_p !== null && t.positionWins >= MIN_FOR_FLAG && r.position_bias_p < alpha) {
      r.flags.push(
        `position bias: picked the left output ${t.leftPicks} of ${t.positionWins} times (p = ${r.position_bias_p.toPrecision(2)})`,
      );
    }
    if (
      r.agreement_with_consensus !== null &&
      agree[i]!.n >= MIN_FOR_FLAG &&
      r.agreement_with_consensus < 0.5
    ) {
      r.flags.push(
        `agrees with the others' majority on ${(100 * r.agreement_with_consensus).toFixed(0)}% of ${agree[i]!.n} items`,
      );
    }
    if (everyone !== null && r.median_active_seconds !== null && r.median_active_seconds < everyone / 3) {
      r.flags.push(
        `fast: median ${r.median_active_seconds.toFixed(0)} s against ${everyone.toFixed(0)} s overall`,
      );
    }
    if (t.labels >= MIN_FOR_FLAG && r.skip_rate > 0.5)
      r.flags.push(`skips ${(100 * r.skip_rate).toFixed(0)}% of items`);
  });
  return rows;
}

/** The first rating of s..e other than i with the value of j (so each value is counted once). */
function firstOther(values: ArrayLike<number>, s: number, i: number, j: number): number {
  for (let k = s; k < j; k++) if (k !== i && values[k] === values[j]) return k;
  return j;
}

/**
 * The median of the union of sorted lists, as `median` of them all concatenated would give it
 * (R's type 7: the two middle values interpolated), by a k-way merge up to the middle: the lists
 * are walked in place, with a heap of one cursor per list.
 */
export function mergedMedian(lists: readonly ArrayLike<number>[]): number | null {
  const n = lists.reduce((s, l) => s + l.length, 0);
  if (n === 0) return null;
  const h = (n - 1) * 0.5;
  const [lo, hi] = [Math.floor(h), Math.ceil(h)];
  const at = new Uint32Array(lists.length);
  const head = (l: number) => lists[l]![at[l]!]!;
  // A binary min-heap of list indices by their next value.
  const heap: number[] = [];
  const down = (from: number) => {
    let i = from;
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < heap.length && head(heap[l]!) < head(heap[m]!)) m = l;
      if (r < heap.length && head(heap[r]!) < head(heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  lists.forEach((l, i) => {
    if (l.length > 0) heap.push(i);
  });
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let [low, high] = [0, 0];
  for (let k = 0; k <= hi; k++) {
    const l = heap[0]!;
    const v = head(l);
    if (k === lo) low = v;
    if (k === hi) high = v;
    if (++at[l]! < lists[l]!.length) down(0);
    else {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
      down(0);
    }
  }
  return low + (h - lo) * (high - low);
}
