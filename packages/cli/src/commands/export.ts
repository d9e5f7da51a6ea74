/**
 * `prefer export` (export v2, NDJSON) and `prefer export-labels` (V1, one JSON array). Local mode
 * on `--db` by default; remote mode with `--url` and PREFER_API_KEY.
 */
import type { ExportFilters, ExportTask, Project } from '@prefer/sdk';
import { type Command, Option } from 'commander';
import { type CommandContext, configOf, withLocalStore } from '../context.ts';
import type { Output } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';
import { runLocalExport } from './export-local.ts';
import { copyRemoteTask } from './export-remote.ts';
import { type ExportFlags, exportFiltersOf, exportParamsOf } from './export-request.ts';

interface CommonOptions {
  project: string;
  out?: string;
  url?: string;
  dataDir?: string;
  timezone?: string;
}

type ExportOptions = CommonOptions & ExportFlags & { taskName?: string };
type LabelsOptions = CommonOptions & { start?: string; end?: string };

const collect = (value: string, previous: string[] = []) => [...previous, value];

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--project <id>', 'project id').env('PREFER_PROJECT').makeOptionMandatory())
    .addOption(new Option('--out <file>', 'write to this file instead of stdout').env('PREFER_OUT'))
    .addOption(
      new Option('--timezone <zone>', 'IANA zone of dates without an offset (default UTC)').env(
        'PREFER_TIMEZONE',
      ),
    )
    .addOption(urlOption())
    .addOption(
      new Option('--data-dir <dir>', 'local mode: where export files go (default: ./data)').env(
        'PREFER_DATA_DIR',
      ),
    );
}

export function registerExportCommands(program: Command): void {
  common(
    program
      .command('export')
      .description('export v2 of a project: one NDJSON line per data row, to stdout or --out'),
  )
    .addOption(
      new Option(
        '--params <names>',
        'params to include, comma-separated (e.g. label_details,project_details)',
      ).env('PREFER_EXPORT_PARAMS'),
    )
    .addOption(new Option('--all-params', 'include every param').env('PREFER_EXPORT_ALL_PARAMS'))
    .option('--filter <key=value>', 'a filter; repeat for several (AND)', collect)
    .addOption(new Option('--task-name <name>', 'name of the export task').env('PREFER_TASK_NAME'))
    .action((opts: ExportOptions, cmd: Command) => exportV2(opts, cmd));

  common(
    program
      .command('export-labels')
      .description('legacy V1 export of a project: one JSON array, one object per label'),
  )
    .addOption(
      new Option('--start <date>', 'labels created on or after this date').env('PREFER_EXPORT_START'),
    )
    .addOption(
      new Option('--end <date>', 'labels created on or before this date (a whole day when date-only)').env(
        'PREFER_EXPORT_END',
      ),
    )
    .action((opts: LabelsOptions, cmd: Command) => exportLabels(opts, cmd));
}

async function exportV2(opts: ExportOptions, cmd: Command): Promise<void> {
  const params = exportParamsOf(opts);
  const filters = exportFiltersOf(opts);
  const { project: projectId, timezone, taskName } = opts;
  await runExport(opts, cmd, 'exporting', {
    remote: (project) => project.exportV2({ params, filters: filters as ExportFilters, timezone, taskName }),
    local: ({ store, actor, server }) =>
      server.startExport(store, actor, { projectId, params, filters, timezone, taskName }),
  });
}

async function exportLabels(opts: LabelsOptions, cmd: Command): Promise<void> {
  const { project: projectId, start, end, timezone } = opts;
  await runExport(opts, cmd, 'exporting labels', {
    remote: (project) => project.startLabelExport({ start, end, timezone }),
    local: ({ store, actor, server }) =>
      server.startLabelExport(store, actor, { projectId, start, end, timezone }),
  });
}

/**
 * Starts the task (on the server with --url, else in the local database), waits for it, copies
 * its result to stdout or --out and reports.
 */
async function runExport(
  opts: CommonOptions,
  cmd: Command,
  label: string,
  start: {
    remote: (project: Project) => Promise<ExportTask>;
    local: (ctx: CommandContext) => Promise<{ id: string }>;
  },
): Promise<void> {
  const remote = await runRemote(cmd, async (client, out) => {
    const task = await start.remote(await client.getProject(opts.project));
    report(out, opts, await copyRemoteTask(task, out, { out: opts.out, label }));
  });
  if (remote) return;
  await withLocalStore(cmd, async (ctx) => {
    const task = await start.local(ctx);
    const { dataDir } = configOf(cmd, { dataDir: opts.dataDir });
    report(ctx.out, opts, await runLocalExport(ctx, task.id, { dataDir, out: opts.out, label }));
  });
}

/** With --out the summary is the result; without it stdout holds the export itself. */
function report(
  out: Output,
  opts: CommonOptions,
  done: { taskId: string; lines: number; bytes: number },
): void {
  const summary = `wrote ${done.lines} lines (${done.bytes} bytes) of export task ${done.taskId}`;
  if (opts.out) out.result(`${summary} to ${opts.out}`, { task_id: done.taskId, file: opts.out, ...done });
  else out.note(summary);
}
