/**
 * `prefer export` (export v2, NDJSON) and `prefer export-labels` (V1, one JSON array). Local mode
 * on `--db` by default (the server package's `runExportNow`); remote mode with `--url` and
 * PREFER_API_KEY.
 */
import {
  EXPORT_DATE_FORMS,
  EXPORT_FILTER_KEYS,
  EXPORT_PARAM_KEYS,
  WORKFLOW_STATUS_FILTERS,
} from '@prefer/schemas/export-keys';
import type { ExportFilters, ExportTask, Project } from '@prefer/sdk';
import type { CreateExportTaskInput } from '@prefer/server';
import { PUBLIC_URL_ENV, parsePublicUrl } from '@prefer/server/settings';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import type { Output } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';
import { loadServer, type Server } from '../server.ts';
import { copyRemoteTask } from './export-remote.ts';
import { type ExportFlags, exportFiltersOf, exportParamsOf } from './export-request.ts';
import { failOnRowErrors, openOutput } from './export-sink.ts';

interface CommonOptions {
  project: string;
  out?: string;
  url?: string;
  timezone?: string;
}

type ExportOptions = CommonOptions & ExportFlags & { taskName?: string };
type LabelsOptions = CommonOptions & { start?: string; end?: string; publicUrl?: string };

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
    .addOption(urlOption());
}

const RANGE_KEYS = ['last_activity_at', 'label_created_at'];

// Built from the same lists the parsers use, so the help cannot drift from what is accepted.
const EXPORT_HELP = [
  '',
  `Params (--params a,b): ${EXPORT_PARAM_KEYS.join(', ')}`,
  'Filters (--filter KEY=VALUE, repeat for several):',
  ...EXPORT_FILTER_KEYS.map((key) =>
    RANGE_KEYS.includes(key)
      ? `  ${key}=START,END   dates; either side may be empty (open)`
      : key === 'workflow_status'
        ? `  ${key}=STATUS   one of ${WORKFLOW_STATUS_FILTERS.join(', ')}`
        : `  ${key}=A,B,...`,
  ),
  `Date forms: ${EXPORT_DATE_FORMS.map((f) => `"${f}"`).join(', ')}`,
  '  without an offset a date is wall-clock time in --timezone (default UTC); a date-only END',
  '  covers its whole day.',
].join('\n');

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
    .addOption(
      new Option('--task-name <name>', 'name of the export task (with --url)').env('PREFER_TASK_NAME'),
    )
    .addHelpText('after', EXPORT_HELP)
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
    .addOption(
      new Option(
        '--public-url <url>',
        'local mode: the URL prefer is reached at, for the View Label links (default: http://localhost:7400)',
      ).env(PUBLIC_URL_ENV),
    )
    .action((opts: LabelsOptions, cmd: Command) => exportLabels(opts, cmd));
}

async function exportV2(opts: ExportOptions, cmd: Command): Promise<void> {
  const params = exportParamsOf(opts);
  const filters = exportFiltersOf(opts);
  const { project: projectId, timezone, taskName } = opts;
  await runExport(opts, cmd, 'exporting', {
    route: 'POST /projects/:projectId/exports/stream',
    remote: (project) => project.exportV2({ params, filters: filters as ExportFilters, timezone, taskName }),
    local: (server) => server.exportJob({ projectId, params, filters, timezone, taskName }),
  });
}

async function exportLabels(opts: LabelsOptions, cmd: Command): Promise<void> {
  const { project: projectId, start, end, timezone } = opts;
  // Local mode's View Label links name the server's public URL, as its own exports do.
  const baseUrl = parsePublicUrl(opts.publicUrl);
  await runExport(opts, cmd, 'exporting labels', {
    route: 'POST /projects/:projectId/label-exports',
    remote: (project) => project.startLabelExport({ start, end, timezone }),
    local: (server) => server.labelExportJob({ projectId, start, end, timezone, linkBase: baseUrl }),
  });
}

/**
 * With --url: starts a task on the server, waits for it and copies its result. Locally: runs the
 * export in this process straight into stdout or --out (no task, no file under the data dir).
 */
async function runExport(
  opts: CommonOptions,
  cmd: Command,
  label: string,
  start: {
    /** The REST route a local export is audited as (data leaving is recorded like a write). */
    route: string;
    remote: (project: Project) => Promise<ExportTask>;
    local: (server: Server) => CreateExportTaskInput;
  },
): Promise<void> {
  const remote = await runRemote(cmd, async (client, out) => {
    const project = await client.getProject(opts.project);
    const output = await openOutput(opts.out, label, out);
    const task = await start.remote(project).catch(async (err: unknown) => {
      await output.abort();
      throw err;
    });
    const done = await copyRemoteTask(task, out, output);
    report(out, opts, done, done.taskId);
  });
  if (remote) return;
  // Validated before anything is opened: a bad filter leaves no file behind.
  const job = start.local(await loadServer());
  await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
    const write = { route: start.route, params: { projectId: opts.project } };
    const done = await audited(write, async () =>
      server.runExportNow(store, actor, job, await openOutput(opts.out, label, out)),
    );
    failOnRowErrors(out, done.errorLines, done.errorCount, done.lines);
    report(out, opts, done);
  });
}

/** With --out the summary is the result; without it stdout holds the export itself. */
function report(
  out: Output,
  opts: CommonOptions,
  done: { lines: number; bytes: number },
  taskId?: string,
): void {
  const { lines, bytes } = done;
  const summary = `wrote ${lines} lines (${bytes} bytes)${taskId ? ` of export task ${taskId}` : ''}`;
  const value = { ...(taskId ? { task_id: taskId } : {}), file: opts.out, lines, bytes };
  if (opts.out) out.result(`${summary} to ${opts.out}`, value);
  else out.note(summary);
}
