/**
 * The analytics charts as plain SVG (no chart library): a leaderboard with 95% intervals,
 * agreement per question with intervals, and annotators' left-pick rates. Every name is user
 * text and goes into SVG as a React text node, never as markup.
 */
import type { StatsReport } from '@prefer/sdk';

const ROW = 26;
const LEFT = 200;
const RIGHT = 70;
const WIDTH = 640;
const PLOT = WIDTH - LEFT - RIGHT;

/** Shortens a name for a label column; the whole name stays in the row's <title>. */
const short = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function scale(lo: number, hi: number) {
  const span = hi - lo || 1;
  return (v: number) => LEFT + ((v - lo) / span) * PLOT;
}

/** Ticks at a round step (1, 2, 2.5 or 5 times a power of ten), about `count` of them. */
function ticks(lo: number, hi: number, count = 4): number[] {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toFixed(6)));
  return out;
}

function Axis(props: { lo: number; hi: number; y: number; x: (v: number) => number; digits: number }) {
  return (
    <g className="axis">
      {ticks(props.lo, props.hi).map((t) => (
        <g key={t}>
          <line x1={props.x(t)} x2={props.x(t)} y1={0} y2={props.y} className="grid" />
          <text x={props.x(t)} y={props.y + 14} textAnchor="middle">
            {t.toFixed(props.digits)}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Models by Bradley-Terry rating, each with its bootstrap interval. */
export function LeaderboardChart({ report }: { report: StatsReport }) {
  const rated = report.models.filter((m) => m.rating !== null);
  if (rated.length === 0) return null;
  const values = rated.flatMap((m) => [m.rating!, ...(m.ci ?? [])]);
  const lo = Math.floor((Math.min(...values) - 20) / 100) * 100;
  const hi = Math.ceil((Math.max(...values) + 20) / 100) * 100;
  const x = scale(lo, hi);
  const height = rated.length * ROW + 24;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`Leaderboard: ${rated.length} models rated, ${report.anchor ?? 'none'} = 1000`}
    >
      <Axis lo={lo} hi={hi} y={rated.length * ROW} x={x} digits={0} />
      {rated.map((m, i) => {
        const y = i * ROW + ROW / 2;
        return (
          <g key={m.model} className="row">
            <title>{`${m.model}: ${m.rating!.toFixed(0)}${m.ci ? ` [${m.ci[0].toFixed(0)}, ${m.ci[1].toFixed(0)}]` : ''}`}</title>
            <text x={LEFT - 8} y={y + 4} textAnchor="end">
              {short(m.model)}
            </text>
            {m.ci && <line className="interval" x1={x(m.ci[0])} x2={x(m.ci[1])} y1={y} y2={y} />}
            <circle className="point" cx={x(m.rating!)} cy={y} r={5} />
            <text x={WIDTH - RIGHT + 8} y={y + 4} className="value">
              {m.rating!.toFixed(0)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Krippendorff's alpha per question (-1 to 1), with its bootstrap interval. */
export function AgreementChart({ report }: { report: StatsReport }) {
  const rows = report.agreement.filter((q) => q.krippendorff_alpha !== null);
  if (rows.length === 0) return null;
  const x = scale(-1, 1);
  const height = rows.length * ROW + 24;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`Agreement per question: Krippendorff's alpha of ${rows.length} questions`}
    >
      <Axis lo={-1} hi={1} y={rows.length * ROW} x={x} digits={1} />
      {rows.map((q, i) => {
        const y = i * ROW + ROW / 2;
        const a = q.krippendorff_alpha!;
        return (
          <g key={q.question} className="row">
            <title>{`${q.question}: alpha ${a.toFixed(3)}`}</title>
            <text x={LEFT - 8} y={y + 4} textAnchor="end">
              {short(q.question)}
            </text>
            <rect
              className="bar"
              x={Math.min(x(0), x(a))}
              y={y - 6}
              width={Math.abs(x(a) - x(0))}
              height={12}
            />
            {q.ci && <line className="interval" x1={x(q.ci[0])} x2={x(q.ci[1])} y1={y} y2={y} />}
            <text x={WIDTH - RIGHT + 8} y={y + 4} className="value">
              {a.toFixed(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Share of wins picked on the left, per annotator; 0.5 is no position bias. */
export function PositionBiasChart({ report }: { report: StatsReport }) {
  const rows = report.annotators.filter((a) => a.left_pick_rate !== null);
  if (rows.length === 0) return null;
  const x = scale(0, 1);
  const height = rows.length * ROW + 24;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label={`Position bias: left-pick rate of ${rows.length} annotators`}
    >
      <Axis lo={0} hi={1} y={rows.length * ROW} x={x} digits={2} />
      <line className="reference" x1={x(0.5)} x2={x(0.5)} y1={0} y2={rows.length * ROW} />
      {rows.map((a, i) => {
        const y = i * ROW + ROW / 2;
        const biased = a.position_bias_p !== null && a.position_bias_p < 0.05;
        return (
          <g key={a.email} className={biased ? 'row biased' : 'row'}>
            <title>{`${a.email}: left ${a.left_pick_rate!.toFixed(2)}, p = ${a.position_bias_p?.toFixed(3) ?? '-'}`}</title>
            <text x={LEFT - 8} y={y + 4} textAnchor="end">
              {short(a.email)}
            </text>
            <circle className="point" cx={x(a.left_pick_rate!)} cy={y} r={5} />
            <text x={WIDTH - RIGHT + 8} y={y + 4} className="value">
              {a.left_pick_rate!.toFixed(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
