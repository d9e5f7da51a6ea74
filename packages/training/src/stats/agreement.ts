/**
 * Inter-annotator agreement on nominal answers. A unit is one item (a data row) and holds one
 * rating per annotator who answered it: `{ rater, value }`, values being category codes.
 * Units with fewer than two ratings carry no agreement information and are ignored, as
 * Krippendorff prescribes (pairable values only).
 */
export interface Rating {
  rater: number;
  value: number;
}
export type Unit = Rating[];

/** Mean over units of the share of agreeing rater pairs. */
export function percentAgreement(units: readonly Unit[]): number {
  let sum = 0;
  let n = 0;
  for (const u of units) {
    const m = u.length;
    if (m < 2) continue;
    let agree = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) if (u[i]!.value === u[j]!.value) agree++;
    sum += agree / ((m * (m - 1)) / 2);
    n++;
  }
  return n ? sum / n : Number.NaN;
}

/**
 * Cohen's kappa for two raters over the units both rated: (po - pe) / (1 - pe), pe from each
 * rater's own marginals.
 */
export function cohenKappa(units: readonly Unit[], raterA: number, raterB: number): number {
  const pairs: [number, number][] = [];
  for (const u of units) {
    const a = u.find((r) => r.rater === raterA);
    const b = u.find((r) => r.rater === raterB);
    if (a && b) pairs.push([a.value, b.value]);
  }
  const n = pairs.length;
  if (n === 0) return Number.NaN;
  const ma = new Map<number, number>();
  const mb = new Map<number, number>();
  let po = 0;
  for (const [a, b] of pairs) {
    if (a === b) po++;
    ma.set(a, (ma.get(a) ?? 0) + 1);
    mb.set(b, (mb.get(b) ?? 0) + 1);
  }
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
  let pSum = 0;
  let nUnits = 0;
  let total = 0;
  const share = new Map<number, number>();
  for (const u of units) {
    const m = u.length;
    if (m < 2) continue;
    const counts = new Map<number, number>();
    for (const r of u) counts.set(r.value, (counts.get(r.value) ?? 0) + 1);
    let agree = 0;
    for (const c of counts.values()) agree += c * (c - 1);
    pSum += agree / (m * (m - 1));
    nUnits++;
    total += m;
    for (const [k, c] of counts) share.set(k, (share.get(k) ?? 0) + c);
  }
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
  const acc = alphaAccumulator();
  for (const u of units) acc.add(u.map((r) => r.value));
  return acc.alpha();
}

/** The same alpha, accumulated unit by unit in constant memory (used by the dataset card). */
export function alphaAccumulator() {
  const marginal = new Map<number, number>();
  let n = 0;
  let agreeing = 0; // the diagonal mass sum_c o_cc
  return {
    add(values: readonly number[]) {
      const m = values.length;
      if (m < 2) return;
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      for (const [k, c] of counts) {
        agreeing += (c * (c - 1)) / (m - 1);
        marginal.set(k, (marginal.get(k) ?? 0) + c);
      }
      n += m;
    },
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
