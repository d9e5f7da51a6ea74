/** The labeler's small active-time clock. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

export function Clock({ activeMs }: { activeMs: number }) {
  const s = Math.floor(activeMs / 1000);
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return (
    <span className="meta" title="Active time on this row (counts while you work in this tab)">
      {text} active
    </span>
  );
}
