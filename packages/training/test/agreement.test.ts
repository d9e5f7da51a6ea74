/**
 * Agreement coefficients against published worked examples, and Krippendorff's alpha against an
 * independent implementation written here from its pairwise definition.
 */
import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  fleissKappa,
  krippendorffAlpha,
  percentAgreement,
  type Unit,
} from '../src/stats/agreement.ts';
import { seededRandom } from '../src/stats/rng.ts';

/** Units from a raters x units table; null = not rated. */
function fromTable(table: (number | null)[][]): Unit[] {
  const units: Unit[] = [];
  for (let u = 0; u < table[0]!.length; u++) {
    units.push(table.flatMap((row, rater) => (row[u] === null ? [] : [{ rater, value: row[u]! }])));
  }
  return units;
}

/** Units from a units x categories count table (Fleiss's layout); raters are anonymous. */
function fromCounts(counts: number[][]): Unit[] {
  return counts.map((row) =>
    row.flatMap((n, value) => Array.from({ length: n }, (_, i) => ({ rater: i, value }))),
  );
}

describe("Cohen's kappa", () => {
  it('matches the worked example of Wikipedia "Cohen\'s kappa" (50 proposals: 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no; kappa 0.4)', () => {
    const rows: [number, number][] = [
      ...Array.from({ length: 20 }, (): [number, number] => [1, 1]),
      ...Array.from({ length: 5 }, (): [number, number] => [1, 0]),
      ...Array.from({ length: 10 }, (): [number, number] => [0, 1]),
      ...Array.from({ length: 15 }, (): [number, number] => [0, 0]),
    ];
    const units = rows.map(([a, b]) => [
      { rater: 0, value: a },
      { rater: 1, value: b },
    ]);
    expect(percentAgreement(units)).toBeCloseTo(0.7, 12);
    expect(cohenKappa(units, 0, 1)).toBeCloseTo(0.4, 12);
  });
});

describe("Fleiss' kappa", () => {
  it('matches the worked example of Wikipedia "Fleiss\' kappa" (10 subjects, 14 raters, 5 categories: P = 0.378, Pe = 0.213, kappa 0.210)', () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const units = fromCounts(counts);
    expect(percentAgreement(units)).toBeCloseTo(0.378, 3);
    expect(fleissKappa(units)).toBeCloseTo(0.21, 3);
  });
});

describe("Krippendorff's alpha (nominal)", () => {
  // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
  // 12 units, missing values; nominal alpha = 0.743. (Also the example of the Python
  // `krippendorff` package and Krippendorff's "Content Analysis", 4th ed., p. 290.)
  const table = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ];

  it('matches Krippendorff (2011): 0.743', () => {
    expect(krippendorffAlpha(fromTable(table))).toBeCloseTo(0.743, 3);
  });

  it('agrees with an independent pairwise implementation on random data with gaps', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const raters = 2 + Math.floor(random() * 4);
      const units = Array.from({ length: 5 + Math.floor(random() * 30) }, () =>
        Array.from({ length: raters }, (_, rater) => ({ rater, value: Math.floor(random() * 3) })).filter(
          () => random() > 0.2,
        ),
      );
      expect(krippendorffAlpha(units)).toBeCloseTo(pairwiseAlpha(units), 10);
    }
  });

  it('is 1 for perfect agreement', () => {
    const perfect = [0, 1, 2, 1].map((v) => [
      { rater: 0, value: v },
      { rater: 1, value: v },
    ]);
    expect(krippendorffAlpha(perfect)).toBe(1);
  });
});

/**
 * alpha = 1 - Do/De from its definition: Do the mean disagreement over ordered pairs of values
 * within a unit (each unit weighted 1/(m - 1)), De over all ordered pairs of pairable values.
 */
function pairwiseAlpha(units: Unit[]): number {
  const pairable = units.filter((u) => u.length >= 2);
  const values = pairable.flatMap((u) => u.map((r) => r.value));
  const n = values.length;
  let doSum = 0;
  for (const u of pairable) {
    let d = 0;
    for (let i = 0; i < u.length; i++)
      for (let j = 0; j < u.length; j++) if (i !== j && u[i]!.value !== u[j]!.value) d++;
    doSum += d / (u.length - 1);
  }
  let deSum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && values[i] !== values[j]) deSum++;
  return 1 - doSum / n / (deSum / (n * (n - 1)));
}
