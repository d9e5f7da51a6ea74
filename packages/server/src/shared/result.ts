import type { Fault } from './errors.ts';

/** Faults listed in an import's answer at most; `errorCount` still counts them all. */
export const MAX_LISTED_FAULTS = 100;

/**
 * The answer of an all-or-nothing import: expected failures are results, not exceptions.
 * When `ok` is false nothing was written.
 */
export type ImportResult<Counts> =
  | { ok: true; counts: Counts }
  | { ok: false; errors: Fault[]; errorCount: number };

/** Collects faults, keeping the first MAX_LISTED_FAULTS and counting the rest. */
export class FaultList {
  readonly faults: Fault[] = [];
  count = 0;
  add(fault: Fault): void {
    this.count++;
    if (this.faults.length < MAX_LISTED_FAULTS) this.faults.push(fault);
  }
  get empty(): boolean {
    return this.count === 0;
  }
  result<C>(): ImportResult<C> {
    return { ok: false, errors: this.faults, errorCount: this.count };
  }
}
