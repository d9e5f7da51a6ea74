/**
 * A project's overview, refreshed every 10 seconds: rows per status now and over the last 14
 * days (a small SVG chart), labels per labeler per day, median active time, skip and review
 * rejection rates.
 */
import type { Project, ProjectOverview } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { formatSeconds } from '../editor/clock.tsx';
import { EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { useWidth } from '../ui/use-width.ts';
import { formatInt, formatPercent, STATUS_LABEL, STATUSES } from './data.ts';
import { ProjectPage } from './project-frame.tsx';
import { StatusBar } from './projects.tsx';

const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function OverviewScreen() {
  return <ProjectPage>{(p) => <Overview project={p} />}</ProjectPage>;
}

function Overview({ project }: { project: Project }) {
  const q = useQuery({
    queryKey: ['overview', project.id],
    queryFn: () => project.overview({ days: 14, timezone }),
    refetchInterval: 10_000,
  });
  if (q.isPending) return <Skeleton lines={8} />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} />;
  const o = q.data;
  const median = o.medianSecondsToCreate;
  return (
    <div className="overview">
      <section aria-label="Figures" className="figures">
        <Figure label="Rows" value={formatInt(o.rowsTotal)} />
        {STATUSES.map((s) => (
          <Figure key={s} label={STATUS_LABEL[s]} value={formatInt(o.counts[s])} />
        ))}
        <Figure label="Labels (14 days)" value={formatInt(o.labels)} />
        <Figure label="Median active time" value={median === null ? '–' : formatSeconds(median)} />
        <Figure label="Skip rate" value={formatPercent(o.skipRate)} />
        <Figure label="Review rejection rate" value={formatPercent(o.reviewRejectionRate)} />
      </section>
      <StatusBar counts={o.counts} />
      <section className="card">
        <h2>Rows per status, last 14 days</h2>
        {o.rowsTotal === 0 ? (
          <EmptyState title="No rows in the project yet">
            <p>Import data into a dataset, then make a batch.</p>
          </EmptyState>
        ) : (
          <StatusChart overview={o} />
        )}
      </section>
      <section className="card">
        <h2>Labels per labeler per day</h2>
        {o.labelers.length === 0 ? (
          <p className="muted">No labels in the last 14 days.</p>
        ) : (
          <div className="scroll-x">
            <table className="list compact">
              <thead>
                <tr>
                  <th>Labeler</th>
                  {o.days.map((d) => (
                    <th key={d} className="num">
                      {d.slice(5)}
                    </th>
                  ))}
                  <th className="num">Total</th>
                  <th className="num">Skips</th>
                  <th className="num">Median</th>
                </tr>
              </thead>
              <tbody>
                {o.labelers.map((l) => (
                  <tr key={l.userId}>
                    <td>
                      <div>{l.name || l.email}</div>
                      <div className="muted">{l.email}</div>
                    </td>
                    {l.labels.map((n, i) => (
                      <td key={o.days[i]} className="num">
                        {n || ''}
                      </td>
                    ))}
                    <td className="num">{l.total}</td>
                    <td className="num">{l.skips}</td>
                    <td className="num">
                      {l.medianSecondsToCreate === null ? '–' : formatSeconds(l.medianSecondsToCreate)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p className="muted">
        Updated {o.generatedAt.toLocaleTimeString()} · days in {o.timezone} · refreshes every 10 s
      </p>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <div className="figure-value">{value}</div>
      <div className="figure-label">{label}</div>
    </div>
  );
}

const H = 180;
const PAD = { left: 40, right: 12, top: 8, bottom: 22 };
/** Room a day label (`11-19`) needs on the axis, in pixels. */
const DAY_LABEL = 56;

/** One line per status over the days; the axis starts at 0. Drawn at the width it is shown at. */
export function StatusChart({ overview }: { overview: ProjectOverview }) {
  const [box, width] = useWidth<HTMLElement>(640);
  const W = Math.max(240, width);
  const { series } = overview;
  const max = Math.max(1, ...series.flatMap((p) => STATUSES.map((s) => p[s])));
  const x = (i: number) => PAD.left + (i * (W - PAD.left - PAD.right)) / Math.max(1, series.length - 1);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, Math.round(max / 2), max];
  // As many day labels as fit; the last day always shows, anchored so it is not cut off.
  const every = Math.ceil(series.length / Math.max(2, Math.floor((W - PAD.left) / DAY_LABEL)));
  const last = series.length - 1;
  const summary = STATUSES.map((s) => `${STATUS_LABEL[s]} ${series.at(-1)?.[s] ?? 0}`).join(', ');
  return (
    <figure className="chart" ref={box}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={`Rows per status over ${series.length} days; now: ${summary}`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="axis">
              {t}
            </text>
          </g>
        ))}
        {series.map((p, i) =>
          (i % every === 0 && last - i >= every / 2) || i === last ? (
            <text
              key={p.day}
              x={x(i)}
              y={H - 6}
              textAnchor={i === last ? 'end' : i === 0 ? 'start' : 'middle'}
              className="axis"
            >
              {p.day.slice(5)}
            </text>
          ) : null,
        )}
        {STATUSES.map((s) => (
          <polyline
            key={s}
            className={`line line-${s}`}
            points={series.map((p, i) => `${x(i)},${y(p[s])}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="legend">
        {STATUSES.map((s) => (
          <span key={s}>
            <span className={`swatch bar-${s}`} aria-hidden="true" /> {STATUS_LABEL[s]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
