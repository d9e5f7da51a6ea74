/**
 * The converters and statistics on a Labelbox export v2 file, in one call each: what
 * `prefer convert --from-file` and `prefer stats --from-file` do, for scripts and notebooks that
 * have a file and no server.
 *
 *   import { convertExportFile, exportFileStats } from '@prefer/training';
 *   await convertExportFile('export.ndjson', { format: 'trl', out: 'dpo.jsonl' });
 *   await convertExportFile('export.ndjson', { format: 'kto', outDir: 'kto', parquet: true, testFraction: 0.05 });
 *   const report = await exportFileStats('export.ndjson', { seed: 7 });
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConvertOptions, type ConvertSummary, convertRows, surveyRows } from './convert.ts';
import { COLUMNS } from './formats/formats.ts';
import { resolveMapping } from './mapping/mapping.infer.ts';
import type { Mapping, MappingFile } from './mapping/mapping.schema.ts';
import { datasetCard } from './output/card.ts';
import { jsonlDirSink, jsonlFileSink } from './output/jsonl-sink.ts';
import { parquetDirSink } from './output/parquet-sink.ts';
import { readExportFile } from './source/export-file.ts';
import { computeStats, type StatsReport } from './stats/report.ts';

export interface FileConvertOptions extends Omit<ConvertOptions, 'mapping'> {
  /** A mapping file's content; what it leaves out is inferred from the answers. */
  mapping?: MappingFile;
  /** One JSONL file (no test split)… */
  out?: string;
  /** …or a Hugging Face dataset directory (data/ and README.md), JSONL or Parquet. */
  outDir?: string;
  parquet?: boolean;
}

/** The mapping, resolved from the file's answers where `file` leaves a choice open. */
export async function exportFileMapping(
  path: string,
  file: MappingFile = {},
): Promise<{ mapping: Mapping; notes: string[] }> {
  return resolveMapping(file, await surveyRows(readExportFile(path, file.roles)));
}

export async function convertExportFile(
  path: string,
  options: FileConvertOptions,
): Promise<ConvertSummary & { mapping: Mapping; notes: string[] }> {
  const { out, outDir, parquet, mapping: file, ...convert } = options;
  if ((out === undefined) === (outDir === undefined)) throw new TypeError('give either out or outDir');
  if (parquet && !outDir) throw new TypeError('parquet needs outDir (Parquet goes in a dataset directory)');
  const { mapping, notes } = await exportFileMapping(path, file);
  const sink = outDir
    ? parquet
      ? parquetDirSink(outDir, COLUMNS[convert.format])
      : jsonlDirSink(outDir)
    : jsonlFileSink(out);
  const summary = await convertRows(readExportFile(path, file?.roles), sink, { ...convert, mapping });
  if (outDir) {
    writeFileSync(join(outDir, 'README.md'), datasetCard(summary, mapping, path, notes));
    summary.files.push('README.md');
  }
  return { ...summary, mapping, notes };
}

export async function exportFileStats(
  path: string,
  options: {
    mapping?: MappingFile;
    bootstrap?: number;
    seed?: number;
    anchor?: string;
    minComparisons?: number;
  } = {},
): Promise<StatsReport> {
  const { mapping } = await exportFileMapping(path, options.mapping);
  return computeStats(readExportFile(path, options.mapping?.roles), mapping, {
    bootstrap: options.bootstrap ?? 200,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
    anchor: options.anchor,
    minComparisons: options.minComparisons ?? 5,
  });
}
