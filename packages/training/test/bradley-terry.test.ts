/** Bradley-Terry against a case computed by hand and an independent Newton fit; Elo by hand. */
import { describe, expect, it } from 'vitest';
import { binomialTestHalf } from '../src/stats/binomial.ts';
import { type Battle, fitBradleyTerry, onlineElo, toRatings, winMatrix } from '../src/stats/bradley-terry.ts';
import { seededRandom } from '../src/stats/rng.ts';

const battles = (a: number, b: number, score: number, n: number): Battle[] =>
  Array.from({ length: n }, () => ({ a, b, score }));

describe('Bradley-Terry', () => {
  it('two models, 3 wins to 1: p_a / p_b = 3, so a is 400 log10(3) = 190.85 above b', () => {
    const w = winMatrix([...battles(0, 1, 1, 3), ...battles(0, 1, 0, 1)], 2);
    const r = toRatings(fitBradleyTerry(w, 0), 1);
    expect(r[1]).toBe(1000);
    expect(r[0]! - r[1]!).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it('a tie is half a win each: 2 wins and 2 ties to 0 wins is also 3 to 1', () => {
    const w = winMatrix([...battles(0, 1, 1, 2), ...battles(0, 1, 0.5, 2)], 2);
    const r = toRatings(fitBradleyTerry(w, 0), 0);
    expect(r[0]! - r[1]!).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it('matches an independent Newton-Raphson fit of the log-likelihood on random data', () => {
    const random = seededRandom(3);
    const truth = [0, 0.5, -0.3, 1.2];
    const list: Battle[] = [];
    for (let i = 0; i < 400; i++) {
      const a = Math.floor(random() * 4);
      const b = (a + 1 + Math.floor(random() * 3)) % 4;
      const p = 1 / (1 + Math.exp(truth[b]! - truth[a]!));
      const u = random();
      list.push({ a, b, score: u < 0.1 ? 0.5 : u < 0.1 + 0.9 * p ? 1 : 0 });
    }
    const w = winMatrix(list, 4);
    const mm = fitBradleyTerry(w, 0);
    const newton = newtonFit(w);
    for (let i = 0; i < 4; i++) expect(mm[i]! - mm[0]!).toBeCloseTo(newton[i]! - newton[0]!, 6);
  });
});

describe('online Elo', () => {
  it('one win from 1000 each moves K/2 = 2 points each way', () => {
    expect(onlineElo([{ a: 0, b: 1, score: 1 }], 2)).toEqual([1002, 998]);
  });
});

describe('binomial test', () => {
  // Values of R's binom.test(k, n, 0.5)$p.value.
  it.each([
    [7, 10, 0.34375],
    [9, 10, 0.021484375],
    [5, 10, 1],
    [0, 20, 1.9073486328125e-6],
    [60, 100, 0.056888],
  ])('%i of %i: p = %f', (k, n, p) => {
    expect(binomialTestHalf(k, n)).toBeCloseTo(p, 5);
  });
});

/** Newton's method on the log-likelihood sum w_ij log sigmoid(s_i - s_j), with s_0 fixed at 0. */
function newtonFit(w: number[][]): number[] {
  const k = w.length;
  const s = new Array<number>(k).fill(0);
  for (let iter = 0; iter < 100; iter++) {
    const g = new Array<number>(k).fill(0);
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const n = w[i]![j]! + w[j]![i]!;
        const p = 1 / (1 + Math.exp(s[j]! - s[i]!));
        g[i]! += w[i]![j]! - n * p;
        h[i]![i]! -= n * p * (1 - p);
        h[i]![j]! += n * p * (1 - p);
      }
    }
    // Solve H[1:,1:] d = -g[1:] by Gaussian elimination.
    const m = k - 1;
    const A = Array.from({ length: m }, (_, r) => [...h[r + 1]!.slice(1), -g[r + 1]!]);
    for (let c = 0; c < m; c++) {
      for (let r = c + 1; r < m; r++) {
        const f = A[r]![c]! / A[c]![c]!;
        for (let x = c; x <= m; x++) A[r]![x]! -= f * A[c]![x]!;
      }
    }
    const d = new Array<number>(m).fill(0);
    for (let r = m - 1; r >= 0; r--) {
      let v = A[r]![m]!;
      for (let x = r + 1; x < m; x++) v -= A[r]![x]! * d[x]!;
      d[r] = v / A[r]![r]!;
    }
    d.forEach((v, i) => {
      s[i + 1]! += v;
    });
  }
  return s;
}
