/** A task's completion as a bar, named for assistive technology (`label`), 0-100. */
export function ProgressBar({ label, pct }: { label: string; pct: number }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
