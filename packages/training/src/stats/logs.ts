/**
 * What the analytics keep per comparison and per rating, in growable typed arrays instead of one
 * object each: at a million rows, objects cost hundreds of MB, these a few bytes per entry.
 */
import type { FlatUnits, Unit } from './agreement.ts';
import type { Battle } from './bradley-terry.ts';

function grown<T extends Uint32Array | Float64Array>(array: T, need: number): T {
  if (need <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  next.set(array);
  return next;
}

/** Battles between models: a, b (model indices), score (1 a won, 0 b won, 0.5 tie), time. */
export class BattleLog implements Iterable<Battle> {
  a = new Uint32Array(1024);
  b = new Uint32Array(1024);
  score = new Float64Array(1024);
  tstamp = new Float64Array(1024);
  length = 0;

  static from(battles: readonly { a: number; b: number; score: number; tstamp?: number }[]): BattleLog {
    const log = new BattleLog();
    for (const x of battles) log.push(x.a, x.b, x.score, x.tstamp ?? Number.NaN);
    return log;
  }

  push(a: number, b: number, score: number, tstamp: number): void {
    const n = this.length + 1;
    this.a = grown(this.a, n);
    this.b = grown(this.b, n);
    this.score = grown(this.score, n);
    this.tstamp = grown(this.tstamp, n);
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.score[this.length] = score;
    this.tstamp[this.length] = tstamp;
    this.length = n;
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

  /** The battles in time order (undated first, ties in logged order). */
  byTime(): Iterable<Battle> {
    const t = this.tstamp;
    const order = Uint32Array.from({ length: this.length }, (_, i) => i).sort(
      (x, y) => (t[x]! || 0) - (t[y]! || 0) || x - y,
    );
    return { [Symbol.iterator]: () => this[Symbol.iterator](order) };
  }
}

/**
 * The ratings of one question: one unit per item with two ratings or more (a single rating
 * carries no agreement), kept as offsets into flat rater and value arrays; the raters seen at
 * all are counted apart.
 */
export class UnitLog implements FlatUnits {
  starts = new Uint32Array(1024);
  raters = new Uint32Array(4096);
  values = new Uint32Array(4096);
  count = 0;
  ratings = 0;
  readonly ratersSeen = new Set<number>();

  add(unit: Unit): void {
    for (const r of unit) this.ratersSeen.add(r.rater);
    if (unit.length < 2) return;
    const end = this.ratings + unit.length;
    this.raters = grown(this.raters, end);
    this.values = grown(this.values, end);
    for (const r of unit) {
      this.raters[this.ratings] = r.rater;
      this.values[this.ratings] = r.value;
      this.ratings++;
    }
    this.starts = grown(this.starts, this.count + 2);
    this.count++;
    this.starts[this.count] = end;
  }
}
