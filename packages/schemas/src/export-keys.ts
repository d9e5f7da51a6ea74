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
