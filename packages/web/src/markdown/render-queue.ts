/**
 * Markdown passes run one per task, so a row of many texts never blocks input or paint for the
 * whole of them: texts in or near the viewport first, the rest in the order they asked. Visibility
 * comes from an IntersectionObserver; the queue starts once it has reported on the new texts.
 */
const MARGIN = '300px';

interface Due {
  render: () => void;
  near: boolean;
  seen: boolean;
}

const due = new Map<Element, Due>();
let observer: IntersectionObserver | undefined;
let posted = false;
const channel = typeof MessageChannel === 'undefined' ? undefined : new MessageChannel();
if (channel) channel.port1.onmessage = () => runOne();

function post() {
  if (posted || due.size === 0) return;
  posted = true;
  if (channel) channel.port2.postMessage(null);
  else setTimeout(runOne, 0);
}

function runOne() {
  posted = false;
  let pick: Element | undefined;
  for (const [el, d] of due) {
    // A text the observer has not reported on yet may be the one in view: wait for it.
    if (!d.seen) return;
    if (d.near) {
      pick = el;
      break;
    }
    pick ??= el;
  }
  if (!pick) return;
  const d = due.get(pick)!;
  due.delete(pick);
  observer?.unobserve(pick);
  d.render();
  post();
}

function onIntersect(entries: IntersectionObserverEntry[]) {
  for (const e of entries) {
    const d = due.get(e.target);
    if (!d) continue;
    d.seen = true;
    d.near = e.isIntersecting;
  }
  post();
}

/** Calls `render` when `el`'s turn comes; the answer cancels it (unmount, new text). */
export function renderWhenDue(el: Element, render: () => void): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    due.set(el, { render, near: true, seen: true });
  } else {
    observer ??= new IntersectionObserver(onIntersect, { rootMargin: MARGIN });
    due.set(el, { render, near: false, seen: false });
    observer.observe(el);
  }
  post();
  return () => {
    if (due.delete(el)) observer?.unobserve(el);
  };
}
