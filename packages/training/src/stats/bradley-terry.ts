/**
 * Bradley-Terry ratings by maximum likelihood: P(i beats j) = p_i / (p_i + p_j), a tie counting
 * half a win to each side (as Chatbot Arena does). Fitted with Hunter's (2004) MM iteration
 * p_i <- W_i / sum_j n_ij / (p_i + p_j), then put on the Elo-like scale Arena uses:
 * rating = 1000 + 400 log10(p_i / p_anchor), so the anchor model is 1000.
 */
export interface Battle {
  a: number;
  b: number;
  /** 1 a won, 0 b won, 0.5 tie. */
  score: number;
}

export const SCALE = 400;
export const BASE_RATING = 1000;

/** wins[i][j]: (half-)wins of i over j. */
export function winMatrix(battles: Iterable<Battle>, models: number): number[][] {
  const w = Array.from({ length: models }, () => new Array<number>(models).fill(0));
  for (const { a, b, score } of battles) {
    w[a]![b]! += score;
    w[b]![a]! += 1 - score;
  }
  return w;
}

/**
 * Log-strengths (natural log, mean 0) maximizing the likelihood. A model that never lost (or
 * never won) has no finite MLE; a pseudo-count of `prior` half-wins each way against every
 * opponent it met keeps it finite (0 = pure MLE, for tests on data where the MLE exists).
 */
export function fitBradleyTerry(wins: number[][], prior = 0.01, maxIter = 10_000, tol = 1e-10): number[] {
  const k = wins.length;
  const n = wins.map((row, i) =>
    row.map((w, j) => w + wins[j]![i]! + (w + wins[j]![i]! > 0 ? 2 * prior : 0)),
  );
  const W = wins.map((row, i) => row.reduce((s, w, j) => s + w + (n[i]![j]! > 0 ? prior : 0), 0));
  let p = new Array<number>(k).fill(1);
  for (let iter = 0; iter < maxIter; iter++) {
    const next = p.map((pi, i) => {
      let denom = 0;
      for (let j = 0; j < k; j++) if (j !== i && n[i]![j]! > 0) denom += n[i]![j]! / (pi + p[j]!);
      return denom > 0 ? W[i]! / denom : pi;
    });
    // Fix the scale (geometric mean 1): the likelihood only sees ratios.
    const logMean = next.reduce((s, v) => s + Math.log(v), 0) / k;
    const scaled = next.map((v) => v / Math.exp(logMean));
    const delta = Math.max(...scaled.map((v, i) => Math.abs(Math.log(v) - Math.log(p[i]!))));
    p = scaled;
    if (delta < tol) break;
  }
  return p.map((v) => Math.log(v));
}

/** Log-strengths to ratings with `anchor` at BASE_RATING. */
export function toRatings(logStrength: readonly number[], anchor: number): number[] {
  const at = logStrength[anchor] ?? 0;
  return logStrength.map((s) => BASE_RATING + (SCALE * (s - at)) / Math.LN10);
}

/**
 * Online Elo over the battles in time order (Arena's `compute_online_elo`: K = 4, scale 400,
 * base 10, everyone starting at 1000). Order-dependent by design, shown beside Bradley-Terry.
 */
export function onlineElo(battles: Iterable<Battle>, models: number, k = 4): number[] {
  const r = new Array<number>(models).fill(BASE_RATING);
  for (const { a, b, score } of battles) {
    const ea = 1 / (1 + 10 ** ((r[b]! - r[a]!) / SCALE));
    r[a]! += k * (score - ea);
    r[b]! += k * (1 - score - (1 - ea));
  }
  return r;
}
