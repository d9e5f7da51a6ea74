/**
 * The analytics charts as plain SVG (no chart library): a leaderboard with 95% intervals,
 * agreement per question with intervals, and annotators' left-pick rates. Every name is user
 * text and goes into SVG as a React text node, never as markup.
 *
 * Each chart is drawn at the width it is shown at, so its text keeps its size. On a wide screen
 * the names sit in a column left of the plot; on a narrow one each name sits above its row and
 * the plot takes the whole width.
 */
import type { StatsReport } from '@prefer/sdk';
import type { ReactNode } from 'react';
import { useWidth } from '../ui/use-width.ts';

const MAX_WIDTH = 640;
/** Below this width the names go above their rows. */
const NARROW = 480;
/** About one character of the chart's 12px font. */
const CHAR = 7;

interface Layout {
  width: number;
  narrow: boolean;
  left: number;
  right: number;
  row: number;
  /** Where in its row a name's baseline and the plotted mark sit. */
  nameY: number;
  markY: number;
  /** Characters a name keeps before it is shortened. */
  chars: number;
}

function layoutFor(measured: number): Layout {
  const width = Math.min(MAX_WIDTH, Math.max(260, measured));
  if (width < NARROW) {
    const right = 44;
    return {
      width,
      narrow: true,
      left: 8,
      right,
      row: 40,
      nameY: 13,
      markY: 28,
      chars: Math.floor((width - 8) / CHAR),
    };
  }
  return { width, narrow: false, left: 200, right: 70, row: 26, nameY: 17, markY: 13, chars: 24 };
}

/** Shortens a name for a label; the whole name stays in the row's <title>. */
const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function scale(layout: Layout, lo: number, hi: number) {
  const span = hi - lo || 1;
  const plot = layout.width - layout.left - layout.right;
  return (v: number) => layout.left + ((v - lo) / span) * plot;
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

/** The measured box and the SVG of one chart, `rows` rows high plus the axis. */
function ChartSvg(props: { rows: number; label: string; children: (layout: Layout) => ReactNode }) {
  const [box, measured] = useWidth<HTMLDivElement>(MAX_WIDTH);
  const layout = layoutFor(measured);
  const height = props.rows * layout.row + 24;
  return (
    <div ref={box} className="chart-box">
      <svg
        className="chart"
        viewBox={`0 0 ${layout.width} ${height}`}
        width={layout.width}
        height={height}
        role="img"
        aria-label={props.label}
      >
        {props.children(layout)}
      </svg>
    </div>
  );
}

/** A row's name: left of the plot when wide, above the row when narrow. */
function Name({ layout, y, text }: { layout: Layout; y: number; text: string }) {
  return layout.narrow ? (
    <text x={layout.left} y={y + layout.nameY}>
      {short(text, layout.chars)}
    </text>
  ) : (
    <text x={layout.left - 8} y={y + layout.nameY} textAnchor="end">
      {short(text, layout.chars)}
    </text>
  );
}

/** Models by Bradley-Terry rating, each with its bootstrap interval. */
export function LeaderboardChart({ report }: { report: StatsReport }) {
  const rated = report.models.filter((m) => m.rating !== null);
  if (rated.length === 0) return null;
  const values = rated.flatMap((m) => [m.rating!, ...(m.ci ?? [])]);
  const lo = Math.floor((Math.min(...values) - 20) / 100) * 100;
  const hi = Math.ceil((Math.max(...values) + 20) / 100) * 100;
  return (
    <ChartSvg
      rows={rated.length}
      label={`Leaderboard: ${rated.length} models rated, ${report.anchor ?? 'none'} = 1000`}
    >
      {(layout) => {
        const x = scale(layout, lo, hi);
        return (
          <>
            <Axis lo={lo} hi={hi} y={rated.length * layout.row} x={x} digits={0} />
            {rated.map((m, i) => {
              const top = i * layout.row;
              const y = top + layout.markY;
              return (
                <g key={m.model} className="row">
                  <title>{`${m.model}: ${m.rating!.toFixed(0)}${m.ci ? ` [${m.ci[0].toFixed(0)}, ${m.ci[1].toFixed(0)}]` : ''}`}</title>
                  <Name layout={layout} y={top} text={m.model} />
                  {m.ci && <line className="interval" x1={x(m.ci[0])} x2={x(m.ci[1])} y1={y} y2={y} />}
                  <circle className="point" cx={x(m.rating!)} cy={y} r={5} />
                  <text x={layout.width - layout.right + 8} y={y + 4} className="value">
                    {m.rating!.toFixed(0)}
                  </text>
                </g>
              );
            })}
          </>
        );
      }}
    </ChartSvg>
  );
}

/** Krippendorff's alpha per question (-1 to 1), with its bootstrap interval. */
export function AgreementChart({ report }: { report: StatsReport }) {
  const rows = report.agreement.filter((q) => q.krippendorff_alpha !== null);
  if (rows.length === 0) return null;
  return (
    <ChartSvg
      rows={rows.length}
      label={`Agreement per question: Krippendorff's alpha of ${rows.length} questions`}
    >
      {(layout) => {
        const x = scale(layout, -1, 1);
        return (
          <>
            <Axis lo={-1} hi={1} y={rows.length * layout.row} x={x} digits={1} />
            {rows.map((q, i) => {
              const top = i * layout.row;
              const y = top + layout.markY;
              const a = q.krippendorff_alpha!;
              return (
                <g key={q.question} className="row">
                  <title>{`${q.question}: alpha ${a.toFixed(3)}`}</title>
                  <Name layout={layout} y={top} text={q.question} />
                  <rect
                    className="bar"
                    x={Math.min(x(0), x(a))}
                    y={y - 6}
                    width={Math.abs(x(a) - x(0))}
                    height={12}
                  />
                  {q.ci && <line className="interval" x1={x(q.ci[0])} x2={x(q.ci[1])} y1={y} y2={y} />}
                  <text x={layout.width - layout.right + 8} y={y + 4} className="value">
                    {a.toFixed(2)}
                  </text>
                </g>
              );
            })}
          </>
        );
      }}
    </ChartSvg>
  );
}

/** Share of wins picked on the left, per annotator; 0.5 is no position bias. */
export function PositionBiasChart({ report }: { report: StatsReport }) {
  const rows = report.annotators.filter((a) => a.left_pick_rate !== null);
  if (rows.length === 0) return null;
  return (
    <ChartSvg rows={rows.length} label={`Position bias: left-pick rate of ${rows.length} annotators`}>
      {(layout) => {
        const x = scale(layout, 0, 1);
        return (
          <>
            <Axis lo={0} hi={1} y={rows.length * layout.row} x={x} digits={2} />
            <line className="reference" x1={x(0.5)} x2={x(0.5)} y1={0} y2={rows.length * layout.row} />
            {rows.map((a, i) => {
              const top = i * layout.row;
              const y = top + layout.markY;
              const biased = a.position_bias_p !== null && a.position_bias_p < 0.05;
              return (
                <g key={a.email} className={biased ? 'row biased' : 'row'}>
                  <title>{`${a.email}: left ${a.left_pick_rate!.toFixed(2)}, p = ${a.position_bias_p?.toFixed(3) ?? '-'}`}</title>
                  <Name layout={layout} y={top} text={a.email} />
                  <circle className="point" cx={x(a.left_pick_rate!)} cy={y} r={5} />
                  <text x={layout.width - layout.right + 8} y={y + 4} className="value">
                    {a.left_pick_rate!.toFixed(2)}
                  </text>
                </g>
              );
            })}
          </>
        );
      }}
    </ChartSvg>
  );
}
