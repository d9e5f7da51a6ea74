/** A seeded random source (mulberry32): a bootstrap with `--seed` gives the same interval twice. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The p-th quantile (0..1) of sorted values, linearly interpolated (R's type 7). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * A percentile bootstrap 95% interval: `statistic` on `reps` resamples (with replacement) of
 * `items`. Resamples where the statistic is undefined (NaN) are left out.
 */
export function bootstrapInterval<T>(
  items: readonly T[],
  statistic: (sample: T[]) => number,
  reps: number,
  random: Random,
): [number, number] | null {
  const sample: T[] = new Array(items.length);
  return bootstrapPicks(
    items.length,
    (pick) => {
      for (let i = 0; i < pick.length; i++) sample[i] = items[pick[i]!]!;
      return statistic(sample);
    },
    reps,
    random,
  );
}

/**
 * The same interval with each resample given as the indices drawn (one reused Uint32Array), for
 * statistics that read their items in place; the draws are those of `bootstrapInterval`.
 */
export function bootstrapPicks(
  count: number,
  statistic: (pick: Uint32Array) => number,
  reps: number,
  random: Random,
): [number, number] | null {
  if (count === 0 || reps <= 0) return null;
  const values: number[] = [];
  const pick = new Uint32Array(count);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < count; i++) pick[i] = Math.floor(random() * count);
    const v = statistic(pick);
    if (Number.isFinite(v)) values.push(v);
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return [quantile(values, 0.025), quantile(values, 0.975)];
}
