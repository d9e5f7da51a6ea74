/**
 * Plackett-Luce against cases solved by hand, Bradley-Terry on pairs, and an independent Newton
 * fit of the ranking log-likelihood written here.
 */
import { describe, expect, it } from 'vitest';
import { surveyRows } from '../src/convert.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import { readExportFile } from '../src/source/export-file.ts';
import { fitBradleyTerry, toRatings, winMatrix } from '../src/stats/bradley-terry.ts';
import { fitPlackettLuce, RankingLog } from '../src/stats/plackett-luce.ts';
import { computeStats } from '../src/stats/report.ts';
import { seededRandom } from '../src/stats/rng.ts';

const fit = (log: RankingLog, k: number, prior = 0) => fitPlackettLuce(log.patterns, log.weights(), k, prior);
const times = (n: number, f: () => void) => {
  for (let i = 0; i < n; i++) f();
};

describe('Plackett-Luce', () => {
  it('two models, 3 wins to 1: g_a / g_b = 3, as Bradley-Terry', () => {
    const log = new RankingLog();
    times(3, () => log.push([0, 1]));
    log.push([1, 0]);
    const r = toRatings(fit(log, 2), 1);
    expect(r[1]).toBe(1000);
    expect(r[0]! - r[1]!).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it('picks among the same three: the MLE is the share of picks (2 : 1 : 1)', () => {
    // L = g_a^2 g_b g_c / (g_a + g_b + g_c)^4: d/dg_i gives g_i = picks_i / 4 of the sum.
    const log = new RankingLog();
    times(2, () => log.push([0], [1, 2]));
    log.push([1], [0, 2]);
    log.push([2], [0, 1]);
    const r = toRatings(fit(log, 3), 1);
    expect(r[0]! - r[1]!).toBeCloseTo(400 * Math.log10(2), 6);
    expect(r[2]! - r[1]!).toBeCloseTo(0, 6);
  });

  it('a ranking of three is a pick among three, then a pick among two', () => {
    // a > b > c twice, b > a > c once, c > a > b once. At the MLE each model's choices won equal
    // their expectation over the choices it was open to (the score equations):
    // a won 4 (first twice, second twice), open to 4 firsts, {a,c} once, {a,b} once;
    // b won 3 (first once, second of {b,c} twice), open to 4 firsts, {b,c} twice, {a,b} once;
    // c won 1, open to 4 firsts, {b,c} twice, {a,c} once.
    const log = new RankingLog();
    times(2, () => log.push([0, 1, 2]));
    log.push([1, 0, 2]);
    log.push([2, 0, 1]);
    const [a, b, c] = fit(log, 3).map(Math.exp) as [number, number, number];
    const all = a + b + c;
    expect((4 * a) / all + a / (a + c) + a / (a + b)).toBeCloseTo(4, 8);
    expect((4 * b) / all + (2 * b) / (b + c) + b / (a + b)).toBeCloseTo(3, 8);
    expect((4 * c) / all + (2 * c) / (b + c) + c / (a + c)).toBeCloseTo(1, 8);
  });

  it('a tie is every pair half a win each way, as Bradley-Terry reads it', () => {
    const log = new RankingLog();
    times(2, () => log.push([0, 1]));
    times(2, () => log.push([0, 1], [], true));
    const r = toRatings(fit(log, 2), 0);
    expect(r[0]! - r[1]!).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it('pairs only, with the prior: the Bradley-Terry fit', () => {
    const random = seededRandom(9);
    const log = new RankingLog();
    const battles: { a: number; b: number; score: number }[] = [];
    for (let i = 0; i < 300; i++) {
      const a = Math.floor(random() * 4);
      const b = (a + 1 + Math.floor(random() * 3)) % 4;
      const u = random();
      const score = u < 0.1 ? 0.5 : u < 0.6 ? 1 : 0;
      battles.push({ a, b, score });
      if (score === 0.5) log.push([a, b], [], true);
      else log.push(score === 1 ? [a, b] : [b, a]);
    }
    const pl = fit(log, 4, 0.01);
    const bt = fitBradleyTerry(winMatrix(battles, 4), 0.01);
    for (let i = 0; i < 4; i++) expect(pl[i]! - pl[0]!).toBeCloseTo(bt[i]! - bt[0]!, 7);
  });

  it('matches an independent Newton fit of the log-likelihood on random rankings and picks', () => {
    const random = seededRandom(4);
    const truth = [0, 0.7, -0.4, 1.1, 0.3];
    const log = new RankingLog();
    const stages: { open: number[]; chosen: number }[] = [];
    for (let n = 0; n < 300; n++) {
      // 2 to 5 distinct models, ranked by sampling from the model; sometimes only the pick kept.
      const size = 2 + Math.floor(random() * 4);
      const pool = [0, 1, 2, 3, 4].sort(() => random() - 0.5).slice(0, size);
      const order: number[] = [];
      const left = [...pool];
      while (left.length > 0) {
        const w = left.map((m) => Math.exp(truth[m]!));
        let u = random() * w.reduce((s, x) => s + x, 0);
        let at = 0;
        while (u > w[at]! && at < left.length - 1) u -= w[at++]!;
        order.push(left.splice(at, 1)[0]!);
      }
      const pickOnly = size > 2 && random() < 0.3;
      if (pickOnly) log.push([order[0]!], order.slice(1));
      else log.push(order);
      const choices = pickOnly ? 1 : order.length - 1;
      for (let c = 0; c < choices; c++) stages.push({ open: order.slice(c), chosen: order[c]! });
    }
    const mm = fit(log, 5);
    const newton = newtonFit(stages, 5);
    for (let i = 0; i < 5; i++) expect(mm[i]! - mm[0]!).toBeCloseTo(newton[i]!, 6);
  });

  it('a model met twice in one ranking counts at its best place; fewer than two models, nothing', () => {
    const log = new RankingLog();
    log.push([0, 1, 0]);
    log.push([2], [2]);
    expect(log.length).toBe(1);
    expect(log.patterns).toEqual([{ items: [0, 1], chosen: 1 }]);
  });
});

describe('Plackett-Luce in the report', () => {
  const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
  const report = async (file: string) => {
    const rows = () => readExportFile(FIXTURES + file);
    const { mapping } = resolveMapping({}, await surveyRows(rows()));
    return computeStats(rows(), mapping, { bootstrap: 30, seed: 2, minComparisons: 0 });
  };

  it('rankings of three: beside Bradley-Terry, same anchor at 1000, with intervals', async () => {
    const r = await report('mmc-export.ndjson');
    const pl = r.plackett_luce!;
    expect(pl.largest).toBe(3);
    expect(pl.models.map((m) => m.model).sort()).toEqual(r.models.map((m) => m.model).sort());
    expect(pl.models.find((m) => m.model === r.anchor)!.rating).toBe(1000);
    for (const m of pl.models) {
      expect(m.ci![0]).toBeLessThanOrEqual(m.rating! + 1e-9);
      expect(m.ci![1]).toBeGreaterThanOrEqual(m.rating! - 1e-9);
    }
  });
});

/** Newton-Raphson on sum over choices of (theta_chosen - log sum_open exp theta), theta_0 = 0. */
function newtonFit(stages: { open: number[]; chosen: number }[], k: number): number[] {
  const t = new Array<number>(k).fill(0);
  for (let iter = 0; iter < 100; iter++) {
    const g = new Array<number>(k).fill(0);
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (const { open, chosen } of stages) {
      const e = open.map((m) => Math.exp(t[m]!));
      const z = e.reduce((s, x) => s + x, 0);
      g[chosen]! += 1;
      open.forEach((i, x) => {
        const pi = e[x]! / z;
        g[i]! -= pi;
        open.forEach((j, y) => {
          h[i]![j]! -= (x === y ? pi : 0) - pi * (e[y]! / z);
        });
      });
    }
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
      t[i + 1]! += v;
    });
  }
  return t;
}
