/**
 * The export v2 param and filter names, without zod: the CLI's `--all-params` needs the list at
 * start, and loading the schemas (about 200 modules) for it would slow every command down.
 */
export const EXPORT_PARAM_KEYS = [
  'attachments',
  'metadata_fields',
  'data_row_details',
  'project_details',
  'label_details',
  'performance_details',
  'embeddings',
] as const;

export const EXPORT_FILTER_KEYS = [
  'last_activity_at',
  'label_created_at',
  'data_row_ids',
  'global_keys',
  'batch_ids',
  'workflow_status',
] as const;

/** The SDK accepts ToLabel too, although its message lists only three. */
export const WORKFLOW_STATUS_FILTERS = ['ToLabel', 'InReview', 'InRework', 'Done'] as const;

/** The date forms the range filters accept (EXPORT_DATE_PATTERN in export.ts is their grammar). */
export const EXPORT_DATE_FORMS = [
  'YYYY-MM-DD',
  'YYYY-MM-DD hh:mm:ss',
  'YYYY-MM-DDThh:mm:ss[.fff]Z',
  'YYYY-MM-DDThh:mm:ss[.fff]±hh:mm',
  'YYYY-MM-DDThh:mm:ss[.fff]±hhmm',
] as const;
