/**
 * Per-annotator figures and the flags that make someone worth a look. Agreement with the
 * consensus is leave-one-out: the annotator's answer against the strict majority of the others
 * on the same item.
 */
import type { FlatUnits } from './agreement.ts';
import { binomialTestHalf } from './binomial.ts';
import type { AnnotatorTally } from './collect.ts';
import { median } from './rng.ts';

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
  const all = new Float64Array(tallies.reduce((n, t) => n + t.activeSeconds.length, 0));
  let at = 0;
  for (const t of tallies) {
    all.set(t.activeSeconds, at);
    at += t.activeSeconds.length;
  }
  const everyone = median(all);
  const rows = tallies.map((t, i): AnnotatorRow => {
    const a = agree[i]!;
    const p = t.positionWins > 0 ? binomialTestHalf(t.leftPicks, t.positionWins) : null;
    return {
      email: t.email,
      labels: t.labels,
      skip_rate: t.labels ? t.skipped / t.labels : 0,
      median_active_seconds: median(t.activeSeconds),
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
