/**
 * What the analytics keep per comparison and per rating, in growable typed arrays instead of one
 * object each: at a million rows, objects cost hundreds of MB, these a few bytes per entry. Each
 * array is as narrow as its values allow: indices (models, raters, category codes) start as bytes
 * and widen to 16 then 32 bits only when a value needs it, a score (0, 0.5 or 1) is a Float32 (it
 * reads back as the same double). At 2,000,000 comparisons a battle takes 14 bytes, not 24.
 */
import type { FlatUnits, Unit } from './agreement.ts';
import type { Battle } from './bradley-terry.ts';

export type IndexArray = Uint8Array | Uint16Array | Uint32Array;
type Growable = IndexArray | Float32Array | Float64Array;

/** `array` with room for `need` entries (doubling: one array's copy at a time, never all logs'). */
function grown<T extends Growable>(array: T, need: number): T {
  if (need <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  next.set(array);
  return next;
}

/** `array` able to hold `value` (a whole number below 2^32): the same, or a wider copy. */
function widened(array: IndexArray, value: number): IndexArray {
  if (value < 2 ** (8 * array.BYTES_PER_ELEMENT)) return array;
  const next = value < 2 ** 16 ? new Uint16Array(array.length) : new Uint32Array(array.length);
  next.set(array);
  return next;
}

/** `array` with `value` written at `at`, grown or widened as needed. */
export function putIndex(array: IndexArray, at: number, value: number): IndexArray {
  const out = widened(grown(array, at + 1), value);
  out[at] = value;
  return out;
}

/** Battles between models: a, b (model indices), score (1 a won, 0 b won, 0.5 tie), time. */
export class BattleLog implements Iterable<Battle> {
  a: IndexArray = new Uint8Array(1024);
  b: IndexArray = new Uint8Array(1024);
  score = new Float32Array(1024);
  tstamp = new Float64Array(1024);
  length = 0;
  /** Whether the battles were logged in time order so far (then byTime needs no sort). */
  private inOrder = true;

  static from(battles: readonly { a: number; b: number; score: number; tstamp?: number }[]): BattleLog {
    const log = new BattleLog();
    for (const x of battles) log.push(x.a, x.b, x.score, x.tstamp ?? Number.NaN);
    return log;
  }

  push(a: number, b: number, score: number, tstamp: number): void {
    const i = this.length;
    this.a = putIndex(this.a, i, a);
    this.b = putIndex(this.b, i, b);
    this.score = grown(this.score, i + 1);
    this.tstamp = grown(this.tstamp, i + 1);
    this.score[i] = score;
    this.tstamp[i] = tstamp;
    if (i > 0 && timeKey(tstamp) < timeKey(this.tstamp[i - 1]!)) this.inOrder = false;
    this.length = i + 1;
  }

  /** The battles in `order` (default: as logged); the object yielded is reused, read it at once. */
  *[Symbol.iterator](order?: ArrayLike<number>): Iterator<Battle> {
    const x: Battle = { a: 0, b: 0, score: 0 };
    const n = order ? order.length : this.length;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      x.a = this.a[i]!;
      x.b = this.b[i]!;
      x.score = this.score[i]!;
      yield x;
    }
  }

  /**
   * The battles in time order (undated first, ties in logged order). Logged in order (an export
   * usually is), that is the log itself; otherwise a stable merge sort of indices, in two
   * Uint32Arrays (a comparator sort of a typed array would box every index twice over).
   */
  byTime(): Iterable<Battle> {
    if (this.inOrder) return { [Symbol.iterator]: () => this[Symbol.iterator]() };
    const order = sortedByTime(this.tstamp, this.length);
    return { [Symbol.iterator]: () => this[Symbol.iterator](order) };
  }
}

/** The sort key of a time: undated (NaN) as 0, so first. */
const timeKey = (t: number) => t || 0;

/** Indices 0..n-1 by timeKey(t[i]), ties by index: bottom-up merge sort, stable. */
function sortedByTime(t: Float64Array, n: number): Uint32Array {
  let from = Uint32Array.from({ length: n }, (_, i) => i);
  let to = new Uint32Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let [i, j, k] = [lo, mid, lo];
      while (i < mid && j < hi)
        to[k++] = timeKey(t[from[j]!]!) < timeKey(t[from[i]!]!) ? from[j++]! : from[i++]!;
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * The ratings of one question: one unit per item with two ratings or more (a single rating
 * carries no agreement), kept as offsets into flat rater and value arrays; the raters seen at
 * all are counted apart.
 */
export class UnitLog implements FlatUnits {
  starts = new Uint32Array(1024);
  raters: IndexArray = new Uint8Array(4096);
  values: IndexArray = new Uint8Array(4096);
  count = 0;
  ratings = 0;
  readonly ratersSeen = new Set<number>();

  add(unit: Unit): void {
    for (const r of unit) this.ratersSeen.add(r.rater);
    if (unit.length < 2) return;
    for (const r of unit) {
      this.raters = putIndex(this.raters, this.ratings, r.rater);
      this.values = putIndex(this.values, this.ratings, r.value);
      this.ratings++;
    }
    this.starts = grown(this.starts, this.count + 2);
    this.count++;
    this.starts[this.count] = this.ratings;
  }
}

/**
 * Numbers appended one by one (an annotator's seconds per label), outside the JS heap where a
 * number[] costs 8 bytes each plus its growth slack: 4 bytes each while every number is exact
 * as a Float32 (whole seconds are), 8 from the first that is not.
 */
export class NumberLog {
  values: Float32Array | Float64Array = new Float32Array(16);
  length = 0;

  push(v: number): void {
    this.values = grown(this.values, this.length + 1);
    if (this.values instanceof Float32Array && Math.fround(v) !== v && !Number.isNaN(v)) {
      this.values = Float64Array.from(this.values);
    }
    this.values[this.length++] = v;
  }

  /** The numbers logged, sorted in place (ascending, as Float64Array#sort): the log is spent. */
  sorted(): Float32Array | Float64Array {
    return this.values.subarray(0, this.length).sort();
  }
}
