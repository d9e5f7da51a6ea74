/** The active-time hook of the editor screens (the counting itself: active-timer.ts). */
import { useEffect, useRef, useState } from 'react';
import { ActiveTimer } from './active-timer.ts';

const TICK_MS = 1000;

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
