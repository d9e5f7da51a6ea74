/**
 * The rendered width of an element, kept current. Charts draw their SVG at this width (a viewBox
 * of real pixels), so their text keeps its CSS size on a phone instead of shrinking with a
 * scaled-down drawing.
 */
import { type RefObject, useLayoutEffect, useRef, useState } from 'react';

export function useWidth<T extends Element>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.round(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
