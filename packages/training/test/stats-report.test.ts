/** `computeStats` end to end on export rows, and the charts it draws. */
import { describe, expect, it } from 'vitest';
import { renderCharts } from '../src/charts/charts.ts';
import { esc } from '../src/charts/svg.ts';
import { surveyRows } from '../src/convert.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import { parseExportLine } from '../src/source/export-row.ts';
import { computeStats } from '../src/stats/report.ts';
import { exportRow, label, type RowSpec } from './support/export-rows.ts';

const rowsOf = (specs: RowSpec[]) =>
  specs.flatMap((s, i) => parseExportLine(JSON.stringify(exportRow(s)), i + 1));

async function stats(specs: RowSpec[], opts: { anchor?: string; minComparisons?: number } = {}) {
  const rows = rowsOf(specs);
  const { mapping } = resolveMapping({}, await surveyRows(rows));
  return computeStats(rows, mapping, { bootstrap: 50, seed: 1, minComparisons: 0, ...opts });
}

/** 10 rows where ann1 and ann2 agree on 8; model-a wins 12 votes, loses 6, ties 2. */
function agreementRows(): RowSpec[] {
  const answers: [string, string][] = [
    ['Response A', 'Response A'],
    ['Response A', 'Response A'],
    ['Response A', 'Response A'],
    ['Response B', 'Response B'],
    ['Response A', 'Response A'],
    ['Response B', 'Response B'],
    ['Response A', 'Response A'],
    ['Tie', 'Tie'],
    ['Response A', 'Response B'],
    ['Response B', 'Response A'],
  ];
  return answers.map(([x, y], i) => ({
    id: `r${i}`,
    labels: [
      label(x, { by: 'ann1@example.com', seconds: 30 + i }),
      label(y, { by: 'ann2@example.com', seconds: 20 }),
    ],
  }));
}

describe('computeStats', () => {
  it('agreement per question, with Cohen for two annotators', async () => {
    const r = await stats(agreementRows());
    const pref = r.agreement.find((q) => q.question === 'Choose the best response')!;
    expect(pref.items).toBe(10);
    expect(pref.percent).toBeCloseTo(0.8, 12);
    // Marginals: each rater A 6, B 3, Tie 1 of 10 -> pe = .36 + .09 + .01 = .46.
    expect(pref.cohen_kappa).toBeCloseTo((0.8 - 0.46) / (1 - 0.46), 12);
    expect(pref.ci![0]).toBeLessThanOrEqual(pref.krippendorff_alpha!);
    expect(pref.ci![1]).toBeGreaterThanOrEqual(pref.krippendorff_alpha!);
    expect(r.pairwise.percent[0]![1]).toBeCloseTo(0.8, 12);
  });

  it('the same seed gives the same intervals', async () => {
    const a = await stats(agreementRows());
    const b = await stats(agreementRows());
    expect(a.agreement).toEqual(b.agreement);
    // (Elo depends on label times, which the row builder numbers afresh on each call.)
    expect(a.models.map((m) => [m.rating, m.ci])).toEqual(b.models.map((m) => [m.rating, m.ci]));
  });

  it('models: wins, ties and losses, anchored ratings, online Elo', async () => {
    const r = await stats(agreementRows(), { anchor: 'model-b' });
    const a = r.models.find((m) => m.model === 'model-a')!;
    const b = r.models.find((m) => m.model === 'model-b')!;
    expect([a.wins, a.ties, a.losses]).toEqual([12, 2, 6]);
    expect(b.rating).toBe(1000);
    // 13 (half-)wins of 20 against b: p_a / p_b = 13 / 7 (the pseudo-count moves it a little).
    expect(a.rating! - 1000).toBeCloseTo(400 * Math.log10(13 / 7), 0);
    expect(r.models[0]!.model).toBe('model-a');
    expect(a.elo).toBeGreaterThan(1000);
  });

  it('hides ratings below the minimum number of comparisons', async () => {
    const r = await stats(agreementRows(), { minComparisons: 100 });
    expect(r.models.every((m) => m.rating === null && m.ci === null)).toBe(true);
  });

  it('annotators: left-pick rate, binomial p, skip rate; the assumed order is said', async () => {
    const specs = Array.from({ length: 12 }, (_, i) => ({
      id: `p${i}`,
      labels: [
        label('Response A', { by: 'lefty@example.com', seconds: 10 }),
        label(undefined, { by: 'skipper@example.com', skipped: true, seconds: 1 }),
      ],
    }));
    const r = await stats(specs);
    const lefty = r.annotators.find((a) => a.email === 'lefty@example.com')!;
    expect(lefty.left_pick_rate).toBe(1);
    expect(lefty.position_bias_p).toBeCloseTo(2 / 2 ** 12, 12);
    expect(lefty.flags[0]).toMatch(/position bias/);
    const skipper = r.annotators.find((a) => a.email === 'skipper@example.com')!;
    expect(skipper.skip_rate).toBe(1);
    expect(skipper.flags.some((f) => f.startsWith('skips'))).toBe(true);
    expect(r.displayed_order.note).toMatch(/order of modelOutputs was taken as displayed/);
  });

  it('an unknown anchor is an error naming the models', async () => {
    await expect(stats(agreementRows(), { anchor: 'gpt-9' })).rejects.toThrow(
      /"gpt-9" is not a model.*"model-a"/,
    );
  });
});

describe('charts', () => {
  it('escapes every user string', async () => {
    const specs: RowSpec[] = [
      {
        id: 'x',
        outputs: [
          ['Response A', '<script>alert(1)</script>', 'a'],
          ['Response B', 'b"&\'', 'b'],
        ],
        labels: [label('Response A')],
      },
    ];
    const charts = renderCharts(await stats(specs));
    for (const text of Object.values(charts)) {
      expect(text).not.toContain('<script>');
      expect(text.startsWith('<svg')).toBe(true);
    }
    expect(charts['leaderboard.svg']).toContain('&lt;script&gt;');
    expect(esc(`a<b>"c"&'d'`)).toBe('a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;');
  });
});
