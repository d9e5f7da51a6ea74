/** The three charts of `prefer stats --charts DIR`: leaderboard, win-rate heatmap, agreement. */
import type { StatsReport } from '../stats/report.ts';
import { line, num, rect, shade, svg, text } from './svg.ts';

export function renderCharts(report: StatsReport): Record<string, string> {
  return {
    'leaderboard.svg': leaderboard(report),
    'win-rate.svg': heatmap(report),
    'agreement.svg': agreement(report),
  };
}

function leaderboard(r: StatsReport): string {
  const rated = r.models.filter((m) => m.rating !== null);
  const lo = Math.min(...rated.map((m) => m.ci?.[0] ?? m.rating!), 1000) - 20;
  const hi = Math.max(...rated.map((m) => m.ci?.[1] ?? m.rating!), 1000) + 20;
  const left = 220;
  const width = 640;
  const x = (v: number) => left + ((v - lo) / (hi - lo || 1)) * (width - left - 80);
  const body = [
    text(
      10,
      20,
      `Bradley-Terry rating, 95% bootstrap interval (anchor ${r.anchor ?? 'none'} = 1000)`,
      'font-weight="bold"',
    ),
  ];
  rated.forEach((m, i) => {
    const y = 50 + i * 26;
    body.push(text(left - 10, y + 4, m.model, 'text-anchor="end"'));
    if (m.ci) body.push(line(x(m.ci[0]), y, x(m.ci[1]), y, 'stroke="#08519c" stroke-width="2"'));
    body.push(`<circle cx="${num(x(m.rating!))}" cy="${num(y)}" r="4" fill="#08519c"/>`);
    body.push(text(width - 25, y + 4, m.rating!.toFixed(0), 'text-anchor="end" fill="#555"'));
  });
  if (rated.length === 0) body.push(text(10, 50, 'no model has enough comparisons'));
  return svg(width, 60 + Math.max(rated.length, 1) * 26, body, 'Model leaderboard');
}

function heatmap(r: StatsReport): string {
  // Rows and columns in leaderboard order, so the strong models sit together.
  const order = r.models.map((m) => r.win_matrix.models.indexOf(m.model));
  const names = order.map((i) => r.win_matrix.models[i]!);
  const longest = Math.max(0, ...names.map((n) => n.length));
  const cell = 56;
  const left = Math.max(120, 16 + longest * 7);
  const top = 50 + longest * 5;
  const body = [
    text(10, 20, 'Win rate of the row model over the column model (ties count half)', 'font-weight="bold"'),
  ];
  names.forEach((n, i) => {
    body.push(text(left - 8, top + i * cell + cell / 2 + 4, n, 'text-anchor="end"'));
    const cx = left + i * cell + cell / 2;
    body.push(text(cx, top - 8, n, `transform="rotate(-45 ${num(cx)} ${num(top - 8)})"`));
  });
  names.forEach((a, i) => {
    names.forEach((b, j) => {
      const [oi, oj] = [order[i]!, order[j]!];
      const w = r.win_matrix.wins[oi]![oj]!;
      const t = r.win_matrix.ties[oi]![oj]!;
      const n = w + t + r.win_matrix.losses[oi]![oj]!;
      const rate = n ? (w + t / 2) / n : null;
      const x = left + j * cell;
      const y = top + i * cell;
      body.push(rect(x, y, cell - 2, cell - 2, shade(rate), `${a} vs ${b}: ${n} comparisons`));
      if (rate !== null)
        body.push(
          text(
            x + cell / 2 - 1,
            y + cell / 2 + 4,
            rate.toFixed(2),
            `text-anchor="middle" fill="${rate > 0.6 ? 'white' : 'black'}"`,
          ),
        );
    });
  });
  const width = Math.max(left + names.length * cell + longest * 5 + 20, 520);
  return svg(width, top + names.length * cell + 20, body, 'Win-rate heatmap');
}

function agreement(r: StatsReport): string {
  const left = 300;
  const width = 700;
  const x = (v: number) => left + ((v + 1) / 2) * (width - left - 40);
  const body = [
    text(10, 20, "Krippendorff's alpha per question, 95% bootstrap interval", 'font-weight="bold"'),
  ];
  body.push(line(x(0), 35, x(0), 45 + r.agreement.length * 26, 'stroke="#999" stroke-dasharray="3,3"'));
  body.push(
    text(x(-1), 40, '-1', 'text-anchor="middle" fill="#555"'),
    text(x(1), 40, '1', 'text-anchor="middle" fill="#555"'),
  );
  r.agreement.forEach((q, i) => {
    const y = 60 + i * 26;
    body.push(text(left - 10, y + 4, q.question, 'text-anchor="end"'));
    if (q.krippendorff_alpha === null) {
      body.push(text(left, y + 4, 'n/a', 'fill="#999"'));
      return;
    }
    body.push(
      rect(
        x(Math.min(0, q.krippendorff_alpha)),
        y - 7,
        Math.abs(x(q.krippendorff_alpha) - x(0)),
        14,
        '#6baed6',
      ),
    );
    if (q.ci) body.push(line(x(q.ci[0]), y, x(q.ci[1]), y, 'stroke="#08306b" stroke-width="2"'));
  });
  return svg(width, 70 + Math.max(r.agreement.length, 1) * 26, body, 'Agreement per question');
}
