/**
 * The input of `prefer convert` and `prefer stats`: a Labelbox export v2 file, or a project of
 * the local database, exported by the ordinary export engine (with its filters) to a scratch
 * file and read back, so both go through one reader. For a project, review reasons, comments and
 * displayed orders (in no export) are added from the database a page of rows at a time. With
 * `--url` a prefer server exports the project through the SDK instead (without those extras).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportFilters } from '@prefer/sdk';
import { AppError } from '@prefer/server/settings';
import type { Mapping, MappingFile, RowRecord } from '@prefer/training';
import type { Command } from 'commander';
import { outputOf, withLocalStore } from '../context.ts';
import { UsageError } from '../failure.ts';
import { readTextFile, requireFile } from '../input.ts';
import type { Output } from '../output.ts';
import { remoteClient, withRemoteErrors } from '../remote.ts';
import { copyRemoteTask } from './export-remote.ts';
import { exportFiltersOf } from './export-request.ts';
import { openOutput } from './export-sink.ts';

export interface SourceFlags {
  project?: string;
  fromFile?: string;
  filter?: string[];
  mapping?: string;
}

export interface TrainingSource {
  /** A fresh pass over the rows (the mapping inference reads them once more). */
  rows: () => AsyncIterable<RowRecord>;
  mapping: Mapping;
  notes: string[];
  /** For messages and the dataset card. */
  name: string;
  out: Output;
}

/** The converters, loaded by the commands that run (never by `--help`). */
export const loadTraining = (): Promise<typeof import('@prefer/training')> => import('@prefer/training');

/** What an export must include for the preference model: who, when, reviews, timings, status. */
const PARAMS = { label_details: true, performance_details: true, project_details: true };

export async function withTrainingSource<T>(
  cmd: Command,
  flags: SourceFlags,
  fn: (source: TrainingSource) => Promise<T>,
): Promise<T> {
  // A PREFER_PROJECT left in the environment must not block an explicit --from-file.
  if (flags.fromFile !== undefined && cmd.getOptionValueSource('project') === 'env')
    flags = { ...flags, project: undefined };
  if ((flags.project === undefined) === (flags.fromFile === undefined)) {
    throw new UsageError('give either --project ID or --from-file EXPORT.ndjson');
  }
  if (flags.fromFile !== undefined && cmd.opts<{ url?: string }>().url) {
    throw new UsageError('--url applies to --project only (a file is read here)');
  }
  if (flags.fromFile !== undefined && flags.filter?.length) {
    throw new UsageError('--filter applies to --project only (a file is read whole)');
  }
  const { parseMappingFile, readExportFile, TrainingInputError } = await loadTraining();
  try {
    const file: MappingFile = flags.mapping
      ? parseMappingFile(await readTextFile(flags.mapping), flags.mapping)
      : {};
    if (flags.fromFile !== undefined) {
      const path = flags.fromFile;
      requireFile(path);
      const rows = () => readExportFile(path, file.roles);
      return await fn({ ...(await mapped(file, rows)), rows, name: path, out: outputOf(cmd) });
    }
    const projectId = flags.project!;
    const filters = exportFiltersOf(flags);
    const client = await remoteClient(cmd.opts<{ url?: string }>().url, outputOf(cmd).io.env);
    if (client) {
      // Remotely the export is all there is: review reasons and comments stay on the server.
      return await withRemoteErrors(async () => {
        const task = await (await client.getProject(projectId)).exportV2({
          params: PARAMS,
          filters: filters as ExportFilters,
        });
        return await inScratchFile(async (path) => {
          const out = outputOf(cmd);
          await copyRemoteTask(task, out, await openOutput(path, 'exporting', out));
          const rows = () => readExportFile(path, file.roles);
          return fn({ ...(await mapped(file, rows)), rows, name: `project ${projectId}`, out });
        });
      });
    }
    // The server's own path (as its conversion tasks and stats route): the same rows, the same bytes.
    return await withLocalStore(cmd, (ctx) =>
      ctx.server.withProjectTrainingSource(
        ctx.store,
        ctx.actor,
        projectId,
        { filters, mapping: file },
        (src) => fn({ ...src, out: ctx.out }),
      ),
    );
  } catch (err) {
    if (err instanceof TrainingInputError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  }
}

/** Runs `fn` on a scratch file path, removing it (and its folder) afterwards. */
async function inScratchFile<T>(fn: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'prefer-training-'));
  try {
    return await fn(join(dir, 'export.ndjson'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Infers what the mapping file leaves open, reading the rows once (skipped when it is complete). */
async function mapped(file: MappingFile, rows: () => AsyncIterable<RowRecord>) {
  const complete =
    file.preference !== undefined &&
    file.options !== undefined &&
    file.tie !== undefined &&
    file.both_bad !== undefined &&
    file.strength !== undefined &&
    file.rubric !== undefined &&
    file.reason !== undefined;
  const { resolveMapping, surveyRows } = await loadTraining();
  const survey = await surveyRows(complete ? [] : rows());
  return resolveMapping(file, survey);
}

/** Prints the inferred mapping choices on stderr: the user should see (and can pin) each guess. */
export function printMappingNotes(out: Output, notes: string[]): void {
  if (notes.length === 0) return;
  out.error(
    `mapping (inferred; pin any of it with --mapping FILE):\n${notes.map((n) => `  ${n}`).join('\n')}`,
  );
}
