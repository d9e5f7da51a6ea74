/**
 * Active time: it counts only while the tab is visible and the user did something (key, pointer,
 * scroll, input) in the last 60 seconds, so a labeler who walks away does not inflate
 * `seconds_to_create`. The clock is a parameter so tests need no real waiting.
 */
import { useEffect, useRef, useState } from 'react';

export const IDLE_AFTER_MS = 60_000;
const TICK_MS = 1000;

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

const EVENTS = ['keydown', 'pointerdown', 'wheel', 'input', 'scroll'] as const;

/** The active milliseconds on this screen, starting from `startMs` (a draft's); resets on `resetKey`. */
export function useActiveTime(resetKey: string, startMs: number): { activeMs: number; read: () => number } {
  const timer = useRef<ActiveTimer>(new ActiveTimer(startMs));
  const [activeMs, setActiveMs] = useState(startMs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new row (resetKey) starts a new timer
  useEffect(() => {
    timer.current = new ActiveTimer(startMs);
    setActiveMs(startMs);
    const visible = () => document.visibilityState === 'visible';
    const onInput = () => timer.current.touch();
    const onVisibility = () => timer.current.tick(!visible());
    for (const e of EVENTS) window.addEventListener(e, onInput, { capture: true, passive: true });
    document.addEventListener('visibilitychange', onVisibility);
    const id = setInterval(() => setActiveMs(timer.current.tick(visible())), TICK_MS);
    return () => {
      for (const e of EVENTS) window.removeEventListener(e, onInput, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      clearInterval(id);
    };
  }, [resetKey]);
  return { activeMs, read: () => timer.current.tick(document.visibilityState === 'visible') };
}
