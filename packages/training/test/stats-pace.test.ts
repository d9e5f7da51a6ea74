/**
 * The paced bootstrap (stats/pace.ts): the same draws and intervals as the plain one, with turns
 * of the event loop between resamples, so a server computing a report keeps answering.
 */
import { describe, expect, it } from 'vitest';
import { surveyRows } from '../src/convert.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import { parseExportLine } from '../src/source/export-row.ts';
import { Pace, pacedBootstrapPicks } from '../src/stats/pace.ts';
import { computeStats } from '../src/stats/report.ts';
import { bootstrapPicks, seededRandom } from '../src/stats/rng.ts';
import { exportRow, label } from './support/export-rows.ts';

const mean = (values: number[]) => (pick: Uint32Array) => {
  let s = 0;
  for (const i of pick) s += values[i]!;
  return s / pick.length;
};

describe('paced bootstrap', () => {
  it('draws exactly as bootstrapPicks', async () => {
    const values = Array.from({ length: 97 }, (_, i) => (i * 37) % 11);
    const plain = bootstrapPicks(values.length, mean(values), 300, seededRandom(5));
    const paced = await pacedBootstrapPicks(values.length, mean(values), 300, seededRandom(5), new Pace(300));
    expect(paced).toEqual(plain);
    expect(paced).not.toBeNull();
  });

  it('gives the event loop a turn once its slice is spent, and reports progress', async () => {
    const seen: [number, number][] = [];
    // A slice of 0 ms is spent at every step: each resample is followed by a turn.
    const pace = new Pace(5, (done, total) => seen.push([done, total]), 0);
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const values = [1, 2, 3, 4];
    await pacedBootstrapPicks(values.length, mean(values), 5, seededRandom(1), pace);
    running = false;
    // Another callback ran between resamples, not only after the last one.
    expect(turns).toBeGreaterThanOrEqual(4);
    expect(seen).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  it('computeStats gives the same report with a progress callback as without', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      id: `r${i}`,
      labels: [
        label(i % 3 ? 'Response A' : 'Response B', { by: 'ann1@example.com' }),
        label(i % 4 ? 'Response A' : 'Tie', { by: 'ann2@example.com' }),
      ],
    })).flatMap((s, i) => parseExportLine(JSON.stringify(exportRow(s)), i + 1));
    const { mapping } = resolveMapping({}, await surveyRows(rows));
    const opts = { bootstrap: 400, seed: 3, minComparisons: 0 };
    const plain = await computeStats(rows, mapping, opts);
    const dones: number[] = [];
    const paced = await computeStats(rows, mapping, {
      ...opts,
      progress: (done, total) => {
        expect(done).toBeLessThanOrEqual(total);
        dones.push(done);
      },
    });
    expect(paced).toEqual(plain);
    // Reported only when a slice is spent (that depends on the machine): what is, only grows.
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });
});
