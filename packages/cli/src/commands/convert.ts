/**
 * `prefer convert`: a project or a Labelbox export v2 file to a training dataset (TRL, KTO,
 * reward pairs, HelpSteer, Arena battles, or prefer's lossless records), as JSONL on stdout or
 * in a file, or as a Hugging Face `datasets` directory (JSONL or Parquet, with a dataset card).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGGREGATES, FORMATS, type Format, LABEL_POLICIES, type TiePolicy } from '@prefer/training/options';
import { type Command, Option } from 'commander';
import { outputOf } from '../context.ts';
import { UsageError } from '../failure.ts';
import { plural } from '../output.ts';
import { remoteClient, urlOption } from '../remote.ts';
import { convertRemote } from './convert-remote.ts';
import { exportFiltersOf } from './export-request.ts';
import { loadTraining, printMappingNotes, type SourceFlags, withTrainingSource } from './training-source.ts';

interface ConvertFlags extends SourceFlags {
  format: Format;
  labels: (typeof LABEL_POLICIES)[number];
  aggregate: (typeof AGGREGATES)[number];
  ties?: TiePolicy;
  out?: string;
  outDir?: string;
  parquet?: boolean;
  testFraction?: string;
  rankingPairs?: 'all' | 'best';
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The source options `convert` and `stats` share. */
export function sourceOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--project <id>', 'a project of the local database').env('PREFER_PROJECT'))
    .option('--filter <key=value>', 'an export filter for --project; repeat for several (AND)', collect)
    .addOption(new Option('--from-file <file>', 'a Labelbox export v2 NDJSON file').env('PREFER_FROM_FILE'))
    .addOption(
      new Option('--mapping <file>', 'JSON: which answers mean what (default: inferred)').env(
        'PREFER_MAPPING',
      ),
    )
    .addOption(urlOption());
}

export function registerConvertCommand(program: Command): void {
  sourceOptions(program.command('convert').description('turn preference labels into a training dataset'))
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(FORMATS)
        .env('PREFER_FORMAT')
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--labels <which>', 'labels that count')
        .choices(LABEL_POLICIES)
        .default('done')
        .env('PREFER_LABELS'),
    )
    .addOption(
      new Option('--aggregate <how>', 'several labels of a row become one')
        .choices(AGGREGATES)
        .default('majority')
        .env('PREFER_AGGREGATE'),
    )
    .addOption(
      new Option('--ties <policy>', 'ties and both-bad (default: keep for arena and prefer, else drop)')
        .choices(['drop', 'keep'])
        .env('PREFER_TIES'),
    )
    .addOption(new Option('--out <file>', 'write JSONL to this file instead of stdout').env('PREFER_OUT'))
    .addOption(
      new Option('--out-dir <dir>', 'write a dataset directory: data/ and README.md').env('PREFER_OUT_DIR'),
    )
    .addOption(
      new Option('--parquet', 'with --out-dir: Parquet files instead of JSONL').env('PREFER_PARQUET'),
    )
    .addOption(
      new Option('--test-fraction <f>', 'with --out-dir: share of prompts in the test split').env(
        'PREFER_TEST_FRACTION',
      ),
    )
    .addOption(
      new Option(
        '--ranking-pairs <which>',
        'multimodal chat rankings of n replies: all n(n-1)/2 pairs, or the best against each other',
      )
        .choices(['all', 'best'])
        .default('all')
        .env('PREFER_RANKING_PAIRS'),
    )
    .action((opts: ConvertFlags, cmd: Command) => convert(opts, cmd));
}

function testFractionOf(flags: ConvertFlags): number {
  if (flags.testFraction === undefined) return 0;
  const f = Number(flags.testFraction);
  if (!Number.isFinite(f) || f < 0 || f >= 1)
    throw new UsageError(
      `--test-fraction expects a number from 0 to below 1, got ${JSON.stringify(flags.testFraction)}`,
    );
  if (!flags.outDir)
    throw new UsageError('--test-fraction needs --out-dir (the splits are files of a dataset directory)');
  return f;
}

async function convert(flags: ConvertFlags, cmd: Command): Promise<void> {
  if (flags.out && flags.outDir) throw new UsageError('use either --out or --out-dir, not both');
  if (flags.parquet && !flags.outDir)
    throw new UsageError('--parquet needs --out-dir (Parquet goes in a dataset directory)');
  const testFraction = testFractionOf(flags);
  const url = cmd.opts<{ url?: string }>().url;
  if (url && flags.project !== undefined && flags.fromFile === undefined) {
    // Remotely the server converts (its conversion task) and the result is downloaded.
    const out = outputOf(cmd);
    const client = (await remoteClient(url, out.io.env))!;
    return convertRemote(
      client,
      {
        ...flags,
        project: flags.project,
        filters: exportFiltersOf(flags),
        rankingPairs: flags.rankingPairs ?? 'all',
        testFraction,
      },
      out,
    );
  }
  const { COLUMNS, convertRows, datasetCard, jsonlDirSink, jsonlFileSink, parquetDirSink } =
    await loadTraining();
  await withTrainingSource(cmd, flags, async ({ rows, mapping, notes, name, out }) => {
    printMappingNotes(out, notes);
    const sink = flags.outDir
      ? flags.parquet
        ? parquetDirSink(flags.outDir, COLUMNS[flags.format])
        : jsonlDirSink(flags.outDir)
      : jsonlFileSink(flags.out, out.io.stdout);
    const summary = await convertRows(rows(), sink, {
      format: flags.format,
      mapping,
      labels: flags.labels,
      aggregate: flags.aggregate,
      ties: flags.ties,
      testFraction,
      rankingPairs: flags.rankingPairs ?? 'all',
    });
    if (flags.outDir) {
      writeFileSync(join(flags.outDir, 'README.md'), datasetCard(summary, mapping, name, notes));
      summary.files.push('README.md');
    }
    if (summary.displayed_order.assumed > 0) {
      out.error(
        `note: no displayed order was recorded for ${plural(summary.displayed_order.assumed, 'label')}; the order of modelOutputs was taken as displayed`,
      );
    }
    const records = summary.records.train + summary.records.test;
    const where = flags.outDir ?? flags.out;
    const text = `wrote ${plural(records, 'record')} (${summary.records.train} train, ${summary.records.test} test) from ${plural(summary.comparisons, 'comparison')} of ${plural(summary.items, 'row')}`;
    if (where) out.result(`${text} to ${where}`, { ok: true, ...summary, mapping });
    else out.error(text);
  });
}
