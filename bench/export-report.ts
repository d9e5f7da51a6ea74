import { isPostgresUrl } from '../packages/server/src/store/store.ts';
import type { Measure } from './export-measure.ts';
import type { Ttfb } from './support/ttfb.ts';

export function report(
  n: number,
  url: string,
  m: { full: Measure; filtered: Measure; loop: Measure; ttfb: Ttfb; ttfbHot: Ttfb },
) {
  const mb = (b: number) => b / 1024 / 1024;
  const cells = (x: Measure, ttfb: string) => [
    String(x.rows),
    (x.ms / 1000).toFixed(2),
    (x.cpuMs / 1000).toFixed(2),
    String(Math.round(x.rows / (x.ms / 1000))),
    (mb(x.bytes) / (x.ms / 1000)).toFixed(1),
    (x.peakRssKb / 1024).toFixed(0),
    ttfb,
  ];
  const rows: string[][] = [
    ['scenario', 'rows', 'time s', 'CPU s', 'rows/s', 'MB/s', 'peak RSS MB', 'TTFB'],
    ['full export, every param', ...cells(m.full, `${m.ttfb.firstByteMs.toFixed(0)} ms`)],
    ['last_activity_at 1%', ...cells(m.filtered, `${m.ttfbHot.firstByteMs.toFixed(0)} ms`)],
    ['parse+stringify loop', ...cells(m.loop, '-')],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) =>
    `| ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
  const backend = isPostgresUrl(url) ? 'PostgreSQL' : 'SQLite';
  console.log(`\nexport benchmark: ${n} rows on ${backend}, output ${mb(m.full.bytes).toFixed(0)} MB`);
  console.log(fmt(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(fmt(r));
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(2)}%`;
  // PostgreSQL's target is the issue 13 one (<= 0.75x at 1,000,000 rows); SQLite's <= 0.5x.
  const maxRatio = isPostgresUrl(url) ? 0.75 : 0.5;
  const ratio = m.full.ms / m.loop.ms;
  const rssMb = m.full.peakRssKb / 1024;
  const targets: [string, string, boolean][] = [
    [
      `full / loop <= ${maxRatio}`,
      `${ratio.toFixed(2)} (CPU ${(m.full.cpuMs / m.loop.cpuMs).toFixed(2)})`,
      ratio <= maxRatio,
    ],
    [
      '1% filter / full < 5%',
      `${pct(m.filtered.ms, m.full.ms)} (CPU ${pct(m.filtered.cpuMs, m.full.cpuMs)})`,
      m.filtered.ms / m.full.ms < 0.05,
    ],
    ['peak RSS of the full export < 200 MB', `${rssMb.toFixed(0)} MB`, rssMb < 200],
    [
      'first byte over HTTP (POST /exports/stream, every param) < 200 ms',
      `${m.ttfb.firstByteMs.toFixed(0)} ms (whole stream ${(m.ttfb.totalMs / 1000).toFixed(2)} s, ${mb(m.ttfb.bytes).toFixed(0)} MB)`,
      m.ttfb.firstByteMs < 200,
    ],
  ];
  console.log('\n| target | measured | result |\n| --- | --- | --- |');
  for (const [target, measured, ok] of targets)
    console.log(`| ${target} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`);
}
