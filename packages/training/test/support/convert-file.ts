/** Converts an export file with an inferred (or given) mapping into records kept in memory. */
import { type ConvertOptions, type ConvertSummary, convertRows, surveyRows } from '../../src/convert.ts';
import { resolveMapping } from '../../src/mapping/mapping.infer.ts';
import type { MappingFile } from '../../src/mapping/mapping.schema.ts';
import type { RecordSink } from '../../src/output/sink.ts';
import type { Split } from '../../src/output/split.ts';
import { readExportFile } from '../../src/source/export-file.ts';

export function memorySink() {
  const records: { split: Split; record: Record<string, unknown> }[] = [];
  const sink: RecordSink = {
    async write(split, record) {
      records.push({ split, record: JSON.parse(JSON.stringify(record)) });
    },
    async finish() {
      return [];
    },
    async abort() {},
  };
  return { sink, records };
}

export async function convertFile(
  path: string,
  opts: Omit<ConvertOptions, 'mapping'> & { mappingFile?: MappingFile },
): Promise<{ records: Record<string, unknown>[]; summary: ConvertSummary; notes: string[] }> {
  const file = opts.mappingFile ?? {};
  const { mapping, notes } = resolveMapping(file, await surveyRows(readExportFile(path, file.roles)));
  const { sink, records } = memorySink();
  const summary = await convertRows(readExportFile(path, mapping.roles), sink, { ...opts, mapping });
  return { records: records.map((r) => r.record), summary, notes };
}
