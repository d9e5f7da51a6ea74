/**
 * The bootstrap 95% intervals cover the true value in about 95% of repetitions on simulated
 * data. Seeded and bounded (100 repetitions of 100 resamples), so the test is quick and gives
 * the same answer every run; with 100 repetitions the coverage has a standard error of ~2%.
 */
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha, type Unit } from '../src/stats/agreement.ts';
import type { CollectedBattle } from '../src/stats/collect.ts';
import { modelReport } from '../src/stats/models.ts';
import { bootstrapInterval, type Random, seededRandom } from '../src/stats/rng.ts';

const REPS = 100;
const RESAMPLES = 100;

describe('bootstrap coverage', () => {
  it('Bradley-Terry rating intervals cover the true rating', async () => {
    const truth = [0, 0.4, -0.5]; // natural-log strengths; model 0 is the anchor
    const trueRating = (i: number) => 1000 + (400 * (truth[i]! - truth[0]!)) / Math.LN10;
    const random = seededRandom(11);
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const battles: CollectedBattle[] = [];
      for (let i = 0; i < 300; i++) {
        const a = Math.floor(random() * 3);
        const b = (a + 1 + Math.floor(random() * 2)) % 3;
        const p = 1 / (1 + Math.exp(truth[b]! - truth[a]!));
        battles.push({ a, b, score: random() < p ? 1 : 0, tstamp: i });
      }
      const report = await modelReport(['m0', 'm1', 'm2'], battles, {
        anchor: 'm0',
        bootstrap: RESAMPLES,
        minComparisons: 0,
        random,
      });
      for (const i of [1, 2]) {
        const [lo, hi] = report.models.find((m) => m.model === `m${i}`)!.ci!;
        total++;
        if (lo <= trueRating(i) && trueRating(i) <= hi) covered++;
      }
    }
    expect(covered / total).toBeGreaterThan(0.88);
    expect(covered / total).toBeLessThan(0.995);
  });

  it("Krippendorff's alpha intervals cover the population alpha", () => {
    // Three raters; each reports the true category (of 3, uniform) with probability q, else a
    // uniform guess. r = P(report = truth), P(two reports agree) = r^2 + (1 - r)^2 / 2, chance
    // agreement 1/3, so the population alpha is 1 - (1 - Pa) / (2/3).
    const q = 0.6;
    const r = q + (1 - q) / 3;
    const pa = r * r + (1 - r) ** 2 / 2;
    const alpha = 1 - (1 - pa) / (2 / 3);
    const random = seededRandom(5);
    let covered = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const units = Array.from({ length: 150 }, () => simulatedUnit(random, q));
      const ci = bootstrapInterval(units, krippendorffAlpha, RESAMPLES, random)!;
      if (ci[0] <= alpha && alpha <= ci[1]) covered++;
    }
    expect(covered / REPS).toBeGreaterThan(0.88);
    expect(covered / REPS).toBeLessThan(0.995);
  });
});

function simulatedUnit(random: Random, q: number): Unit {
  const truth = Math.floor(random() * 3);
  return [0, 1, 2].map((rater) => ({ rater, value: random() < q ? truth : Math.floor(random() * 3) }));
}
