/**
 * Pacing of the bootstrap: thousands of refits are seconds to minutes of CPU, and a server runs
 * them on its one event loop. Each resample is a step; once a slice of time is spent, a step
 * yields to the loop (other requests are answered) and reports progress. The draws and their
 * order are untouched, so a seed gives the same report paced or not.
 */
import { quantile, type Random } from './rng.ts';

/** Longest run of resamples between two turns of the event loop, in milliseconds. */
export const SLICE_MS = 20;

export class Pace {
  #done = 0;
  #last = performance.now();
  readonly #total: number;
  readonly #progress: ((done: number, total: number) => void) | undefined;
  readonly #sliceMs: number;

  /** `total`: the resamples expected in all (an estimate: progress only, never a bound). */
  constructor(total: number, progress?: (done: number, total: number) => void, sliceMs = SLICE_MS) {
    this.#total = Math.max(1, total);
    this.#progress = progress;
    this.#sliceMs = sliceMs;
  }

  /** One resample done: resolves at once, or after a turn of the event loop once the slice is spent. */
  async step(): Promise<void> {
    this.#done++;
    if (performance.now() - this.#last < this.#sliceMs) return;
    this.#progress?.(Math.min(this.#done, this.#total), this.#total);
    // setImmediate runs after pending I/O callbacks (a timer of 0 would wait a millisecond).
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#last = performance.now();
  }
}

/**
 * `bootstrapPicks` (rng.ts) with a step of `pace` after each resample: the same draws, the same
 * interval, without holding the event loop through all `reps`.
 */
export async function pacedBootstrapPicks(
  count: number,
  statistic: (pick: Uint32Array) => number,
  reps: number,
  random: Random,
  pace: Pace,
): Promise<[number, number] | null> {
  if (count === 0 || reps <= 0) return null;
  const values: number[] = [];
  const pick = new Uint32Array(count);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < count; i++) pick[i] = Math.floor(random() * count);
    const v = statistic(pick);
    if (Number.isFinite(v)) values.push(v);
    await pace.step();
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return [quantile(values, 0.025), quantile(values, 0.975)];
}
