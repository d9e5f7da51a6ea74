/** Types of the HTTP API as the SDK sees them (snake_case on the wire, camelCase in the SDK). */

/** Export v2 params: every one defaults to false. */
export interface ExportParams {
  attachments?: boolean;
  metadata_fields?: boolean;
  data_row_details?: boolean;
  project_details?: boolean;
  label_details?: boolean;
  performance_details?: boolean;
  embeddings?: boolean;
}

/** A date range; either bound may be null (open). Dates: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` or ISO. */
export type DateRange = [string | null, string | null];

/** Export v2 filters, combined with AND. */
export interface ExportFilters {
  last_activity_at?: DateRange;
  label_created_at?: DateRange;
  data_row_ids?: string[];
  global_keys?: string[];
  batch_ids?: string[];
  workflow_status?: 'ToLabel' | 'InReview' | 'InRework' | 'Done';
}

export type TaskStatus = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
/** Which of a task's two NDJSON streams to read. */
export type StreamType = 'result' | 'errors';

/** One line of an export v2 result: a data row with its labels per project. */
export interface ExportV2Row {
  data_row: {
    id: string;
    global_key?: string;
    external_id?: string;
    row_data: string;
    details?: Record<string, unknown>;
  };
  media_attributes: { mime_type: string; labelable_ids: string[]; message_count: number };
  projects: Record<string, { name: string; labels: Record<string, unknown>[]; project_details?: unknown }>;
  [key: string]: unknown;
}

/** One line of an export's errors stream. */
export interface ExportErrorRow {
  data_row_id: string;
  message: string;
  code: string;
}

/** One object of a V1 (`exportLabels`) result: one per label. */
export type ExportV1Label = Record<string, unknown> & { ID: string; 'DataRow ID': string };
