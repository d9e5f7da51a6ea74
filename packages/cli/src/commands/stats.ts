/**
 * `prefer stats`: agreement per question, annotator figures and a model leaderboard of a project
 * or a Labelbox export file; a table, `--json`, and SVG charts with `--charts DIR`. A project is
 * computed here (local mode), or with `--url` by the server as a stats task the SDK waits for
 * (`project.stats`): the bootstrap of a large project takes minutes, which no request survives.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@prefer/server/settings';
import type { StatsReport } from '@prefer/training';
import { type Command, Option } from 'commander';
import { outputOf } from '../context.ts';
import { UsageError } from '../failure.ts';
import { readTextFile } from '../input.ts';
import type { Output } from '../output.ts';
import { remoteClient, withRemoteErrors } from '../remote.ts';
import { sourceOptions } from './convert.ts';
import { exportFiltersOf } from './export-request.ts';
import { loadTraining, printMappingNotes, type SourceFlags, withTrainingSource } from './training-source.ts';

interface StatsFlags extends SourceFlags {
  charts?: string;
  anchor?: string;
  bootstrap: string;
  seed?: string;
  minComparisons: string;
}

export function registerStatsCommand(program: Command): void {
  sourceOptions(
    program.command('stats').description('agreement, annotators and model ratings of preference labels'),
  )
    .addOption(
      new Option('--charts <dir>', 'write leaderboard, win-rate and agreement SVGs here').env(
        'PREFER_CHARTS',
      ),
    )
    .addOption(
      new Option('--anchor <model>', 'the model rated 1000 (default: the most compared)').env(
        'PREFER_ANCHOR',
      ),
    )
    .addOption(
      new Option('--bootstrap <n>', 'bootstrap resamples for the 95% intervals')
        .default('200')
        .env('PREFER_BOOTSTRAP'),
    )
    .addOption(new Option('--seed <s>', 'seed of the bootstrap (default: random)').env('PREFER_SEED'))
    .addOption(
      new Option('--min-comparisons <n>', 'comparisons a model needs before its rating is shown')
        .default('5')
        .env('PREFER_MIN_COMPARISONS'),
    )
    .action((opts: StatsFlags, cmd: Command) => stats(opts, cmd));
}

function int(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${name} expects a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  return n;
}

async function stats(flags: StatsFlags, cmd: Command): Promise<void> {
  const bootstrap = int('--bootstrap', flags.bootstrap, 0);
  const minComparisons = int('--min-comparisons', flags.minComparisons, 0);
  const url = cmd.opts<{ url?: string }>().url;
  if (url && flags.project !== undefined && flags.fromFile === undefined) {
    const given = flags.seed === undefined ? undefined : int('--seed', flags.seed, 0);
    return remoteStats(cmd, url, flags, { bootstrap, minComparisons, seed: given });
  }
  const seed = flags.seed === undefined ? randomInt(2 ** 31) : int('--seed', flags.seed, 0);
  const { computeStats } = await loadTraining();
  await withTrainingSource(cmd, flags, async ({ rows, mapping, notes, out }) => {
    printMappingNotes(out, notes);
    // A bad answer in a row (TrainingInputError) is reported by withTrainingSource.
    const report = await computeStats(rows(), mapping, {
      bootstrap,
      seed,
      anchor: flags.anchor,
      minComparisons,
    });
    await present(report, flags, out);
  });
}

/** `--url`: the server computes the report as a stats task (its own rows, extras included). */
async function remoteStats(
  cmd: Command,
  url: string,
  flags: StatsFlags,
  options: { bootstrap: number; minComparisons: number; seed: number | undefined },
): Promise<void> {
  const out = outputOf(cmd);
  const { parseMappingFile, TrainingInputError } = await loadTraining();
  let mapping: Record<string, unknown> | undefined;
  if (flags.mapping) {
    const text = await readTextFile(flags.mapping);
    try {
      parseMappingFile(text, flags.mapping);
    } catch (err) {
      if (err instanceof TrainingInputError) throw new UsageError(err.message);
      throw err;
    }
    mapping = JSON.parse(text) as Record<string, unknown>;
  }
  const filters = exportFiltersOf(flags);
  const client = (await remoteClient(url, out.io.env))!;
  const { ExportTaskError } = await import('@prefer/sdk');
  const report = await withRemoteErrors(async () => {
    const project = await client.getProject(flags.project!);
    try {
      return await project.stats({
        anchor: flags.anchor,
        bootstrap: options.bootstrap,
        minComparisons: options.minComparisons,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(mapping === undefined ? {} : { mapping }),
        ...(Object.keys(filters).length === 0 ? {} : { filters }),
      });
    } catch (err) {
      // The task's failure reason is the message (an anchor that is no model, say).
      if (err instanceof ExportTaskError) throw new AppError('TASK_FAILED', err.message);
      throw err;
    }
  });
  await present(report, flags, out);
}

async function present(report: StatsReport, flags: StatsFlags, out: Output): Promise<void> {
  if (report.displayed_order.note) out.error(`note: ${report.displayed_order.note}`);
  if (flags.charts) {
    const { renderCharts } = await loadTraining();
    mkdirSync(flags.charts, { recursive: true });
    for (const [name, svg] of Object.entries(renderCharts(report)))
      writeFileSync(join(flags.charts, name), svg);
  }
  out.result(table(report), report);
}

const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '-' : v.toFixed(d));
const ci = (c: [number, number] | null | undefined, d = 3) => (c ? `[${f(c[0], d)}, ${f(c[1], d)}]` : '-');

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function table(r: StatsReport): string {
  const parts = [
    `${r.comparisons} comparisons from ${r.items} rows (bootstrap ${r.bootstrap}, seed ${r.seed})`,
  ];
  parts.push(
    `\nModels (Bradley-Terry, ${r.anchor ?? '-'} = 1000)\n${columns([
      ['model', 'rating', '95% CI', 'elo', 'wins', 'ties', 'losses'],
      ...r.models.map((m) => [
        m.model,
        f(m.rating, 0),
        ci(m.ci, 0),
        f(m.elo, 0),
        `${m.wins}`,
        `${m.ties}`,
        `${m.losses}`,
      ]),
    ])}`,
  );
  const pl = r.plackett_luce;
  if (pl) {
    parts.push(
      `\nModels (Plackett-Luce over ${pl.observations} rankings of up to ${pl.largest}, ${r.anchor ?? '-'} = 1000)\n${columns(
        [['model', 'rating', '95% CI'], ...pl.models.map((m) => [m.model, f(m.rating, 0), ci(m.ci, 0)])],
      )}`,
    );
  }
  parts.push(
    `\nAgreement\n${columns([
      ['question', 'items', 'percent', 'cohen', 'fleiss', 'alpha', 'alpha 95% CI'],
      ...r.agreement.map((q) => [
        q.question,
        `${q.items}`,
        f(q.percent),
        f(q.cohen_kappa),
        f(q.fleiss_kappa),
        f(q.krippendorff_alpha),
        ci(q.ci),
      ]),
    ])}`,
  );
  parts.push(
    `\nAnnotators\n${columns([
      ['email', 'labels', 'skip', 'median s', 'vs consensus', 'vs reviewer', 'left picks', 'bias p', 'flags'],
      ...r.annotators.map((a) => [
        a.email,
        `${a.labels}`,
        f(a.skip_rate, 2),
        f(a.median_active_seconds, 0),
        f(a.agreement_with_consensus, 2),
        f(a.agreement_with_reviewer, 2),
        f(a.left_pick_rate, 2),
        f(a.position_bias_p, 3),
        a.flags.join('; '),
      ]),
    ])}`,
  );
  const { annotators, percent } = r.pairwise;
  // The matrix is for a glance: past a dozen annotators it only fits in --json.
  if (annotators.length > 1 && annotators.length <= 12) {
    parts.push(
      `\nPairwise agreement on the preference (share of shared items answered alike)\n${columns([
        ['', ...annotators.map((_, i) => `#${i + 1}`)],
        ...annotators.map((a, i) => [
          `#${i + 1} ${a}`,
          ...percent[i]!.map((p, j) => (i === j ? '' : f(p, 2))),
        ]),
      ])}`,
    );
  }
  return parts.join('\n');
}
