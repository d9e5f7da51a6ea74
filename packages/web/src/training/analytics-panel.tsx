/**
 * Analytics of a project through the SDK (`project.stats`, a stats task on the server): the
 * leaderboard with intervals, agreement per question and annotators' position bias, as SVG charts
 * and tables. While the task runs, its progress shows; a failed task shows its reason. The seed
 * and the minimum comparisons live in the URL, so a view can be shared and repeated.
 */
import type { Project, StatsReport } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ProgressBar } from '../ui/progress.tsx';
import { ErrorState, Skeleton } from '../ui/states.tsx';
import { AgreementChart, LeaderboardChart, PositionBiasChart } from './charts.tsx';

const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));
const ci = (c: [number, number] | null, d = 0) => (c ? `${c[0].toFixed(d)} – ${c[1].toFixed(d)}` : '–');

function whole(value: string | null, fallback: number): number {
  const n = Number(value);
  return value !== null && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function AnalyticsPanel({ project }: { project: Project }) {
  const [search, setSearch] = useSearchParams();
  const minComparisons = whole(search.get('min'), 5);
  const seed = whole(search.get('seed'), 1);
  // The running task's completion, by the options it computes (a new view starts at 0).
  const [progress, setProgress] = useState<{ key: string; pct: number } | null>(null);
  const key = `${project.id} ${minComparisons} ${seed}`;
  const stats = useQuery({
    queryKey: ['stats', project.id, minComparisons, seed],
    queryFn: () =>
      project.stats({
        minComparisons,
        seed,
        bootstrap: 200,
        pollIntervalSeconds: 1,
        onProgress: (task) => setProgress({ key, pct: task.completionPercentage ?? 0 }),
      }),
    staleTime: 60_000,
    retry: false,
  });
  const pct = progress?.key === key ? progress.pct : 0;
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    next.set(key, value);
    setSearch(next, { replace: true });
  };
  return (
    <section className="card training-section" aria-labelledby="analytics-title">
      <div className="section-head">
        <h2 id="analytics-title">Analytics</h2>
        <label className="inline-field">
          Min. comparisons
          <input
            type="number"
            min={0}
            value={minComparisons}
            onChange={(e) => set('min', e.currentTarget.value)}
          />
        </label>
        <label className="inline-field">
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => set('seed', e.currentTarget.value)} />
        </label>
      </div>
      {stats.isPending ? (
        <div aria-busy="true">
          <div className="conversion-head">
            <span className="name">Computing the analytics</span>
            <span className="muted">{pct}%</span>
          </div>
          <ProgressBar label="Analytics progress" pct={pct} />
          <Skeleton lines={6} />
        </div>
      ) : stats.isError ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : (
        <Report report={stats.data} />
      )}
    </section>
  );
}

function Report({ report }: { report: StatsReport }) {
  return (
    <>
      <p className="muted">
        {report.comparisons} comparisons from {report.items} rows · bootstrap {report.bootstrap}, seed{' '}
        {report.seed}
        {report.displayed_order.note && ` · ${report.displayed_order.note}`}
      </p>
      <h3>Leaderboard (Bradley-Terry, {report.anchor ?? '–'} = 1000, 95% intervals)</h3>
      <LeaderboardChart report={report} />
      <div className="table-scroll">
        <table className="list stack" aria-label="Leaderboard">
          <thead>
            <tr>
              <th>Model</th>
              <th className="num">Rating</th>
              <th className="num">95% interval</th>
              <th className="num">Elo</th>
              <th className="num">Wins</th>
              <th className="num">Ties</th>
              <th className="num">Losses</th>
            </tr>
          </thead>
          <tbody>
            {report.models.map((m) => (
              <tr key={m.model}>
                <td className="name">{m.model}</td>
                <td className="num" data-label="Rating">
                  {m.rating === null ? 'too few comparisons' : m.rating.toFixed(0)}
                </td>
                <td className="num" data-label="95% interval">
                  {ci(m.ci)}
                </td>
                <td className="num" data-label="Elo">
                  {f(m.elo, 0)}
                </td>
                <td className="num" data-label="Wins">
                  {m.wins}
                </td>
                <td className="num" data-label="Ties">
                  {m.ties}
                </td>
                <td className="num" data-label="Losses">
                  {m.losses}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Agreement per question</h3>
      <AgreementChart report={report} />
      <div className="table-scroll">
        <table className="list stack" aria-label="Agreement per question">
          <thead>
            <tr>
              <th>Question</th>
              <th className="num">Items</th>
              <th className="num">Percent</th>
              <th className="num">Fleiss κ</th>
              <th className="num">Krippendorff α</th>
              <th className="num">α 95% interval</th>
            </tr>
          </thead>
          <tbody>
            {report.agreement.map((q) => (
              <tr key={q.question}>
                <td className="name">{q.question}</td>
                <td className="num" data-label="Items">
                  {q.items}
                </td>
                <td className="num" data-label="Percent">
                  {f(q.percent)}
                </td>
                <td className="num" data-label="Fleiss κ">
                  {f(q.fleiss_kappa)}
                </td>
                <td className="num" data-label="Krippendorff α">
                  {f(q.krippendorff_alpha)}
                </td>
                <td className="num" data-label="α 95% interval">
                  {ci(q.ci, 2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Annotators and position bias</h3>
      <PositionBiasChart report={report} />
      <div className="table-scroll">
        <table className="list stack" aria-label="Annotators">
          <thead>
            <tr>
              <th>Annotator</th>
              <th className="num">Labels</th>
              <th className="num">Median s</th>
              <th className="num">Left picks</th>
              <th className="num">Bias p</th>
              <th>Flags</th>
            </tr>
          </thead>
          <tbody>
            {report.annotators.map((a) => (
              <tr key={a.email}>
                <td className="name">{a.email}</td>
                <td className="num" data-label="Labels">
                  {a.labels}
                </td>
                <td className="num" data-label="Median s">
                  {f(a.median_active_seconds, 0)}
                </td>
                <td className="num" data-label="Left picks">
                  {f(a.left_pick_rate)}
                </td>
                <td className="num" data-label="Bias p">
                  {f(a.position_bias_p, 3)}
                </td>
                <td data-label="Flags">{a.flags.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
