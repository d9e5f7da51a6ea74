/**
 * The compact logs of the analytics: narrow arrays that widen when a value needs it, the time
 * order of the battles without a comparator sort, and the overall median of seconds merged from
 * the annotators' sorted lists. Each against the plain computation it replaces.
 */
import { describe, expect, it } from 'vitest';
import { mergedMedian } from '../src/stats/annotators.ts';
import { BattleLog, NumberLog, UnitLog } from '../src/stats/logs.ts';
import { quantile, seededRandom } from '../src/stats/rng.ts';

/** The plain median (R's type 7) of all the values at once: what the merge must give. */
function median(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  return quantile(Float64Array.from(values).sort(), 0.5);
}

describe('BattleLog', () => {
  it('gives back every battle as logged, models past 255 and 65,535 included', () => {
    const random = seededRandom(1);
    const logged = Array.from({ length: 3000 }, (_, i) => ({
      a: i < 2000 ? Math.floor(random() * 300) : 70_000 + i,
      b: Math.floor(random() * 250),
      score: [0, 0.5, 1][i % 3]!,
    }));
    const log = BattleLog.from(logged);
    expect(log.length).toBe(3000);
    expect(log.a).toBeInstanceOf(Uint32Array);
    expect(log.b).toBeInstanceOf(Uint8Array);
    // The battle yielded is reused: copied as it comes.
    expect(Array.from(log, (x) => ({ ...x }))).toEqual(logged);
  });

  it('in time order: undated first, ties in logged order, as a comparator sort gives it', () => {
    const random = seededRandom(2);
    const tstamps = Array.from({ length: 5000 }, () =>
      random() < 0.1 ? Number.NaN : 1_700_000_000_000 + Math.floor(random() * 500) * 1000,
    );
    const log = BattleLog.from(tstamps.map((tstamp, i) => ({ a: i % 7, b: i % 11, score: 1, tstamp })));
    const expected = tstamps
      .map((_, i) => i)
      .sort((x, y) => (tstamps[x]! || 0) - (tstamps[y]! || 0) || x - y)
      .map((i) => `${i % 7}-${i % 11}`);
    expect(Array.from(log.byTime(), (x) => `${x.a}-${x.b}`)).toEqual(expected);
  });

  it('logged in time order, the time order is the log', () => {
    const log = BattleLog.from([0, 1, 2, 3].map((i) => ({ a: i, b: 9, score: 0, tstamp: 10 + (i >> 1) })));
    expect(Array.from(log.byTime(), (x) => x.a)).toEqual([0, 1, 2, 3]);
  });
});

describe('UnitLog', () => {
  it('keeps raters and codes of any size, and only units with two ratings or more', () => {
    const log = new UnitLog();
    log.add([{ rater: 3, value: 0 }]);
    log.add([
      { rater: 1, value: 2 },
      { rater: 300, value: 1 },
    ]);
    log.add([
      { rater: 70_000, value: 0 },
      { rater: 1, value: 256 },
      { rater: 2, value: 2 },
    ]);
    expect(log.count).toBe(2);
    expect([...log.starts.subarray(0, 3)]).toEqual([0, 2, 5]);
    expect([...log.raters.subarray(0, 5)]).toEqual([1, 300, 70_000, 1, 2]);
    expect([...log.values.subarray(0, 5)]).toEqual([2, 1, 0, 256, 2]);
    expect([...log.ratersSeen].sort((x, y) => x - y)).toEqual([1, 2, 3, 300, 70_000]);
  });
});

describe('the median of seconds', () => {
  it('merged from sorted lists equals the median of them all, empty lists and duplicates included', () => {
    const random = seededRandom(3);
    for (let rep = 0; rep < 200; rep++) {
      const lists = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const log = new NumberLog();
        const n = Math.floor(random() * 40);
        // Half the lists whole seconds (kept as Float32), half fractions (widened to Float64).
        const whole = random() < 0.5;
        for (let i = 0; i < n; i++)
          log.push(whole || random() < 0.3 ? Math.floor(random() * 5) : random() * 100);
        return log;
      });
      const all = lists.flatMap((l) => [...l.values.subarray(0, l.length)]);
      const sorted = lists.map((l) => l.sorted());
      expect(mergedMedian(sorted)).toBe(median(all));
      sorted.forEach((s) => {
        expect([...s]).toEqual([...s].sort((x, y) => x - y));
      });
    }
  });

  it('keeps each number exactly: Float32 while they fit, Float64 from the first that does not', () => {
    const log = new NumberLog();
    for (const v of [3, 1.5, 120]) log.push(v);
    expect(log.values).toBeInstanceOf(Float32Array);
    log.push(0.1);
    expect(log.values).toBeInstanceOf(Float64Array);
    log.push(7);
    expect([...log.values.subarray(0, log.length)]).toEqual([3, 1.5, 120, 0.1, 7]);
    expect([...log.sorted()]).toEqual([0.1, 1.5, 3, 7, 120]);
  });
});
