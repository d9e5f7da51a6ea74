/**
 * Inter-annotator agreement on nominal answers. A unit is one item (a data row) and holds one
 * rating per annotator who answered it: `{ rater, value }`, values being category codes.
 * Units with fewer than two ratings carry no agreement information and are ignored, as
 * Krippendorff prescribes (pairable values only).
 *
 * Each statistic reads units in flat form (`FlatUnits`, as logs.ts keeps them) through an
 * optional `pick` of unit indices, so a bootstrap resample is one Uint32Array, not a copy of
 * the units: at a million rows that is what keeps `prefer stats` in flat memory. Sums run in
 * the same order as the textbook loops (categories in order of first appearance), so a report
 * is the same to the last bit. The `Unit[]` forms are for callers with few units.
 */
export interface Rating {
  rater: number;
  value: number;
}
export type Unit = Rating[];

/** Units as flat arrays: unit u holds the ratings starts[u] to starts[u + 1] - 1. */
export interface FlatUnits {
  readonly count: number;
  readonly starts: ArrayLike<number>;
  readonly raters: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** The units a statistic reads, in order (a bootstrap resample); null: every unit once. */
export type Pick = ArrayLike<number> | null;

export function flatten(units: readonly Unit[]): FlatUnits {
  const starts = new Uint32Array(units.length + 1);
  const total = units.reduce((s, u) => s + u.length, 0);
  const raters = new Uint32Array(total);
  const values = new Uint32Array(total);
  let at = 0;
  units.forEach((u, i) => {
    for (const r of u) {
      raters[at] = r.rater;
      values[at] = r.value;
      at++;
    }
    starts[i + 1] = at;
  });
  return { count: units.length, starts, raters, values };
}

/** Calls `fn(start, end)` for each picked unit with at least two ratings. */
function eachUnit(f: FlatUnits, pick: Pick, fn: (s: number, e: number) => void): void {
  const n = pick ? pick.length : f.count;
  for (let k = 0; k < n; k++) {
    const u = pick ? pick[k]! : k;
    const s = f.starts[u]!;
    const e = f.starts[u + 1]!;
    if (e - s >= 2) fn(s, e);
  }
}

/** Unordered pairs of ratings of one unit with the same value. */
function equalPairs(values: ArrayLike<number>, s: number, e: number): number {
  let agree = 0;
  for (let i = s; i < e; i++) for (let j = i + 1; j < e; j++) if (values[i] === values[j]) agree++;
  return agree;
}

/** Mean over units of the share of agreeing rater pairs. */
export function percentAgreement(units: readonly Unit[]): number {
  return percentAgreementOf(flatten(units));
}

export function percentAgreementOf(f: FlatUnits, pick: Pick = null): number {
  let sum = 0;
  let n = 0;
  eachUnit(f, pick, (s, e) => {
    const m = e - s;
    sum += equalPairs(f.values, s, e) / ((m * (m - 1)) / 2);
    n++;
  });
  return n ? sum / n : Number.NaN;
}

/**
 * Cohen's kappa for two raters over the units both rated: (po - pe) / (1 - pe), pe from each
 * rater's own marginals.
 */
export function cohenKappa(units: readonly Unit[], raterA: number, raterB: number): number {
  return cohenKappaOf(flatten(units), raterA, raterB);
}

export function cohenKappaOf(f: FlatUnits, raterA: number, raterB: number, pick: Pick = null): number {
  const ma = new Map<number, number>();
  const mb = new Map<number, number>();
  let po = 0;
  let n = 0;
  eachUnit(f, pick, (s, e) => {
    let a = -1;
    let b = -1;
    for (let i = s; i < e; i++) {
      if (a < 0 && f.raters[i] === raterA) a = f.values[i]!;
      if (b < 0 && f.raters[i] === raterB) b = f.values[i]!;
    }
    if (a < 0 || b < 0) return;
    n++;
    if (a === b) po++;
    ma.set(a, (ma.get(a) ?? 0) + 1);
    mb.set(b, (mb.get(b) ?? 0) + 1);
  });
  if (n === 0) return Number.NaN;
  po /= n;
  let pe = 0;
  for (const [k, ca] of ma) pe += (ca / n) * ((mb.get(k) ?? 0) / n);
  return pe === 1 ? Number.NaN : (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa. The textbook form needs the same number of raters per unit; here each unit's
 * agreement uses its own count n_i (P_i = sum n_ij(n_ij - 1) / (n_i(n_i - 1))) and the category
 * shares pool all ratings, which equals Fleiss (1971) when every n_i is equal.
 */
export function fleissKappa(units: readonly Unit[]): number {
  return fleissKappaOf(flatten(units));
}

export function fleissKappaOf(f: FlatUnits, pick: Pick = null): number {
  let pSum = 0;
  let nUnits = 0;
  let total = 0;
  const share = new Map<number, number>();
  eachUnit(f, pick, (s, e) => {
    const m = e - s;
    // sum_j n_ij (n_ij - 1) counts each agreeing ordered pair: twice the unordered ones.
    pSum += (2 * equalPairs(f.values, s, e)) / (m * (m - 1));
    nUnits++;
    total += m;
    for (let i = s; i < e; i++) share.set(f.values[i]!, (share.get(f.values[i]!) ?? 0) + 1);
  });
  if (nUnits === 0) return Number.NaN;
  const pBar = pSum / nUnits;
  let pe = 0;
  for (const c of share.values()) pe += (c / total) ** 2;
  return pe === 1 ? Number.NaN : (pBar - pe) / (1 - pe);
}

/**
 * Krippendorff's alpha, nominal metric, from the coincidence matrix: each unit with m_u >= 2
 * values adds, for every ordered pair of its values, 1 / (m_u - 1). alpha = 1 - (n - 1) Do / De
 * with Do the off-diagonal mass and De from the marginals (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability", section C).
 */
export function krippendorffAlpha(units: readonly Unit[]): number {
  return krippendorffAlphaOf(flatten(units));
}

export function krippendorffAlphaOf(f: FlatUnits, pick: Pick = null): number {
  const acc = alphaAccumulator();
  eachUnit(f, pick, (s, e) => acc.addRange(f.values, s, e));
  return acc.alpha();
}

/** The same alpha, accumulated unit by unit in constant memory (used by the dataset card). */
export function alphaAccumulator() {
  const marginal = new Map<number, number>();
  let n = 0;
  let agreeing = 0; // the diagonal mass sum_c o_cc
  // A unit's categories in order of first appearance, and their counts (reused).
  const cats: number[] = [];
  const counts: number[] = [];
  const addRange = (values: ArrayLike<number>, s: number, e: number) => {
    const m = e - s;
    if (m < 2) return;
    cats.length = 0;
    counts.length = 0;
    for (let i = s; i < e; i++) {
      const at = cats.indexOf(values[i]!);
      if (at < 0) {
        cats.push(values[i]!);
        counts.push(1);
      } else counts[at]!++;
    }
    for (let k = 0; k < cats.length; k++) {
      const c = counts[k]!;
      agreeing += (c * (c - 1)) / (m - 1);
      marginal.set(cats[k]!, (marginal.get(cats[k]!) ?? 0) + c);
    }
    n += m;
  };
  return {
    add(values: readonly number[]) {
      addRange(values, 0, values.length);
    },
    addRange,
    alpha(): number {
      if (n < 2) return Number.NaN;
      let expectedAgree = 0;
      for (const c of marginal.values()) expectedAgree += c * (c - 1);
      const observedDisagree = n - agreeing;
      const expectedDisagree = (n * n - n - expectedAgree) / (n - 1);
      return expectedDisagree === 0 ? Number.NaN : 1 - observedDisagree / expectedDisagree;
    },
  };
}
