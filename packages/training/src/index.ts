/** @prefer/training: export v2 rows to training datasets and preference analytics. No server code. */
export { renderCharts } from './charts/charts.ts';
export {
  AGGREGATES,
  type Aggregate,
  type Comparison,
  compare,
  LABEL_POLICIES,
  type LabelPolicy,
} from './comparison/policy.ts';
export { type ConvertOptions, type ConvertSummary, convertRows, surveyRows } from './convert.ts';
export { TrainingInputError } from './errors.ts';
export { convertExportFile, exportFileMapping, exportFileStats, type FileConvertOptions } from './file.ts';
export { COLUMNS, DEFAULT_TIES, FORMATS, type Format, recordsOf, type TiePolicy } from './formats/formats.ts';
export { type ResolvedMapping, resolveMapping } from './mapping/mapping.infer.ts';
export { type Mapping, type MappingFile, parseMappingFile } from './mapping/mapping.schema.ts';
export { emptySurvey, type Survey, surveyRow } from './mapping/survey.ts';
export { datasetCard } from './output/card.ts';
export { jsonlDirSink, jsonlFileSink } from './output/jsonl-sink.ts';
export { parquetDirSink } from './output/parquet-sink.ts';
export type { RecordSink } from './output/sink.ts';
export { splitOf } from './output/split.ts';
export { readExportFile, readExportLines } from './source/export-file.ts';
export { parseExportLine, readOrder } from './source/export-row.ts';
export { computeStats, type StatsOptions, type StatsReport } from './stats/report.ts';
export type * from './types.ts';
