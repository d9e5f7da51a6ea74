/**
 * The analytics read compact logs in place (flat arrays, resamples as index lists). The reports
 * below were written by the object-per-rating code that came before, on the same rows and seed:
 * the compact path must give them exactly, bootstrap intervals included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { surveyRows } from '../src/convert.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import type { Mapping } from '../src/mapping/mapping.schema.ts';
import { readExportFile } from '../src/source/export-file.ts';
import { parseExportLine } from '../src/source/export-row.ts';
import { flatten, krippendorffAlpha, krippendorffAlphaOf, type Unit } from '../src/stats/agreement.ts';
import { computeStats } from '../src/stats/report.ts';
import { bootstrapInterval, bootstrapPicks, seededRandom } from '../src/stats/rng.ts';
import type { RowRecord } from '../src/types.ts';
import { exportRow } from './support/export-rows.ts';
import { randomRows } from './support/random-rows.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected', 'stats-report.json'), 'utf8'));
const OPTS = { bootstrap: 40, seed: 7, minComparisons: 0 };

async function report(rows: () => AsyncIterable<RowRecord> | Iterable<RowRecord>) {
  const { mapping }: { mapping: Mapping } = resolveMapping({}, await surveyRows(rows()));
  // Through JSON, as the golden file was written (NaN-free numbers compare exactly). Plackett-Luce
  // came after the golden file (it draws after Bradley-Terry, so it changes nothing else).
  const { plackett_luce: _, ...rest } = await computeStats(rows(), mapping, OPTS);
  return JSON.parse(JSON.stringify(rest));
}

const generated = (count: number, seed: number, annotators: number) => {
  const rows = randomRows(count, seed, annotators).flatMap((s, i) =>
    parseExportLine(JSON.stringify(exportRow(s)), i + 1),
  );
  return () => rows;
};

describe('compact analytics', () => {
  it.each(['export.ndjson', 'mmc-export.ndjson'])(
    '%s: the same report as the per-object code',
    async (file) => {
      expect(await report(() => readExportFile(join(FIXTURES, file)))).toEqual(expected[file]);
    },
  );

  it('six annotators, one to four labels a row, rubric and strength: the same report', async () => {
    const r = await report(generated(400, 3, 6));
    expect(r.agreement.length).toBe(4);
    expect(r).toEqual(expected.random);
  });

  it('two annotators (Cohen and its interval): the same report', async () => {
    const r = await report(generated(200, 5, 2));
    expect(r.agreement[0].cohen_kappa_ci).not.toBeNull();
    expect(r).toEqual(expected.pair);
  });

  it('a resample as indices gives the interval of a resample as a copy', () => {
    const random = seededRandom(11);
    const units: Unit[] = Array.from({ length: 300 }, () =>
      Array.from({ length: 2 + Math.floor(random() * 3) }, (_, rater) => ({
        rater,
        value: Math.floor(random() * 3),
      })),
    );
    const flat = flatten(units);
    const a = bootstrapInterval(units, krippendorffAlpha, 100, seededRandom(1));
    const b = bootstrapPicks(units.length, (p) => krippendorffAlphaOf(flat, p), 100, seededRandom(1));
    expect(b).toEqual(a);
    expect(a![0]).toBeLessThan(a![1]);
  });
});
