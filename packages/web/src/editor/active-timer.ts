/**
 * Active time: it counts only while the tab is visible and the user did something (key, pointer,
 * scroll, input) in the last 60 seconds, so a labeler who walks away does not inflate
 * `seconds_to_create`. The clock is a parameter so tests need no real waiting.
 */
export const IDLE_AFTER_MS = 60_000;
export class ActiveTimer {
  #activeMs: number;
  #lastInput: number;
  #lastTick: number;
  readonly #now: () => number;

  constructor(startMs = 0, now: () => number = () => performance.now()) {
    this.#now = now;
    this.#activeMs = startMs;
    this.#lastInput = now();
    this.#lastTick = now();
  }

  /** The user did something. */
  touch(): void {
    this.tick(true);
    this.#lastInput = this.#now();
  }

  /** Adds the time since the last tick when it was active (visible, input within 60 s). */
  tick(visible: boolean): number {
    const now = this.#now();
    const from = Math.max(this.#lastTick, 0);
    // Only the part of the interval within 60 s of the last input counts.
    const until = Math.min(now, this.#lastInput + IDLE_AFTER_MS);
    if (visible && until > from) this.#activeMs += until - from;
    this.#lastTick = now;
    return this.#activeMs;
  }

  get activeMs(): number {
    return this.#activeMs;
  }
}
