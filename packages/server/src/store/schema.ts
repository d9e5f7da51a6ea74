/**
 * The Kysely schema shared by both backends. Conventions that keep SQLite and PostgreSQL alike:
 * times are integer milliseconds (UTC), booleans are 0/1 integers, JSON is stored as text
 * (already serialized, so the exporter can splice it into rows without parsing it).
 */
import type { Generated } from 'kysely';

export type WorkflowStatus = 'TO_LABEL' | 'IN_REVIEW' | 'IN_REWORK' | 'DONE';
export type TaskKind = 'LABEL' | 'REVIEW' | 'REWORK' | 'DONE';
export type ExportTaskStatus = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
export type OrgRole = 'admin' | 'member';
export type ProjectRole = 'manager' | 'reviewer' | 'labeler';
export type MetadataKind = 'string' | 'number' | 'datetime' | 'enum';

export interface OrganizationTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UserTable {
  id: string;
  org_id: string;
  email: string;
  /** Lower-cased email: emails are unique case-insensitively. */
  email_lower: string;
  name: string;
  created_at: number;
  /** `admin` or `member`; project roles live in `project_members`. */
  role: Generated<OrgRole>;
  /** scrypt hash (`scrypt$N$r$p$salt$hash`), or null for users who cannot log in. */
  password_hash: string | null;
  password_changed_at: number | null;
  /** A disabled user's sessions and keys stop working at once. */
  disabled_at: number | null;
}

/** A user's role in one project (an organization admin holds every role everywhere). */
export interface ProjectMemberTable {
  project_id: string;
  user_id: string;
  org_id: string;
  role: ProjectRole;
  created_at: number;
}

/** A browser session: only a SHA-256 hash of the cookie value is kept. */
export interface SessionTable {
  id_hash: string;
  user_id: string;
  org_id: string;
  /** Sent back by the client in `X-CSRF-Token` on every state-changing request. */
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

/** A one-time link to set a first password: only a SHA-256 hash of the token is kept. */
export interface UserInviteTable {
  token_hash: string;
  user_id: string;
  org_id: string;
  /** The admin who made the invite. */
  created_by: string;
  created_at: number;
  expires_at: number;
}

/** An API key: only a SHA-256 hash of the key is kept; `prefix` finds the row without it. */
export interface ApiKeyTable {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  prefix: string;
  /** Hex SHA-256 of the whole key. */
  hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface DatasetTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
  created_by: string;
  /** Soft-deleted (its rows are in the trash entry that restores them). */
  deleted_at: Generated<number | null>;
}

export interface DataRowTable {
  id: string;
  org_id: string;
  dataset_id: string;
  global_key: string | null;
  /** Lower-cased global key: keys are unique per organization, case-insensitively. */
  global_key_lower: string | null;
  external_id: string | null;
  /** An https URL, or the inline conversation serialized as JSON: exactly the export's `row_data`. */
  row_data: string;
  media_type: string;
  mime_type: string;
  /** JSON array of the message ids that take message-scoped answers. */
  labelable_ids: string;
  message_count: number;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  created_by: string;
}

export interface AttachmentTable {
  id: string;
  data_row_id: string;
  type: string;
  value: string;
  name: string | null;
  position: number;
}

export interface MetadataSchemaTable {
  id: string;
  org_id: string;
  name: string;
  kind: MetadataKind;
  /** JSON array of `{ id, name }` for enum options, else null. */
  options: string | null;
}

export interface MetadataValueTable {
  data_row_id: string;
  schema_id: string;
  /** Strings as they are; numbers as decimal text; datetimes as ISO text; enum as the option id. */
  value: string;
  position: number;
}

export interface EmbeddingTable {
  id: string;
  org_id: string;
  name: string;
  dimensions: number;
  is_custom: number;
}

export interface EmbeddingVectorTable {
  data_row_id: string;
  embedding_id: string;
  /** JSON array of numbers. */
  vector: string;
}

export interface OntologyTable {
  id: string;
  org_id: string;
  name: string;
  /** The normalized ontology JSON, every node carrying its featureSchemaId. */
  normalized: string;
  created_at: number;
  updated_at: number;
}

export interface ProjectTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  ontology_id: string;
  media_type: string;
  /** Multimodal chat evaluation projects: Labelbox's editorTaskType; NULL for conversation v1. */
  editor_task_type: Generated<string | null>;
  consensus_expected_label_count: number;
  created_at: number;
  updated_at: number;
  created_by: string;
  /** The labelers' guideline, markdown (migration 0013). */
  instructions: Generated<string | null>;
  /** Archived: read-only, out of the queues and the labelers' lists, still exportable. */
  archived_at: Generated<number | null>;
  /** Soft-deleted: answered as missing everywhere; its `trash` entry restores or purges it. */
  deleted_at: Generated<number | null>;
}

export interface WorkflowTaskTable {
  id: string;
  project_id: string;
  name: string;
  kind: TaskKind;
  position: number;
}

export interface BatchTable {
  id: string;
  org_id: string;
  project_id: string;
  name: string;
  priority: number;
  /** Labels wanted per row; null means the project's `consensus_expected_label_count`. */
  consensus_label_count: number | null;
  created_at: number;
  created_by: string;
}

/** The state of one data row inside one project. */
export interface ProjectDataRowTable {
  project_id: string;
  data_row_id: string;
  org_id: string;
  batch_id: string;
  task_id: string;
  workflow_status: WorkflowStatus;
  priority: number;
  added_at: number;
  updated_at: number;
  lease_user_id: string | null;
  lease_expires_at: number | null;
  /** 1 when the lease is the labeler's row ahead (prefetched), 0 for the row they work on. */
  lease_ahead: Generated<number>;
  /**
   * Export v2 text kept ready (exports/v2/fragments.ts): the row's `labels` entries rendered with
   * label_details and performance_details, and its `workflow_history` entries, each without the
   * brackets. NULL until rendered, and again after any write to its labels, reviews or history.
   */
  x_labels: Generated<string | null>;
  x_history: Generated<string | null>;
  /** The line's start up to its `row_data` (escaped); NULL again when the data row's content changes. */
  x_head: Generated<string | null>;
  /** The line's `"media_attributes":{…}` member; NULL again when the data row's media fields change. */
  x_media: Generated<string | null>;
  /** The `attachments` and `metadata_fields` entries; NULL again when the data row's change. */
  x_attachments: Generated<string | null>;
  x_metadata: Generated<string | null>;
}

/** One entry per move; ids are time-ordered, so `(created_at, id)` orders entries. */
export interface WorkflowHistoryTable {
  id: string;
  project_id: string;
  data_row_id: string;
  action: string;
  created_at: number;
  created_by: string;
  /** Task names are kept as they were when the move happened. */
  previous_task_id: string | null;
  previous_task_name: string | null;
  next_task_id: string;
  next_task_name: string;
}

export interface LabelTable {
  id: string;
  org_id: string;
  project_id: string;
  data_row_id: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  content_last_updated_at: number;
  label_kind: string;
  version: string;
  /** `{"objects":[],"classifications":[...],"relationships":[]}` in the export v2 form. */
  annotations: string;
  seconds_to_create: number | null;
  seconds_to_review: number | null;
  skipped: number;
  consensus_score: number | null;
  /** JSON array of the model output titles in the order the labeler saw them; NULL when unknown. */
  displayed_order: string | null;
  /** An imported label's external id (unique in the project); null for labels made in the app. */
  external_id: Generated<string | null>;
  /** An imported label without external id: SHA-256 of its answers (unique per row and labeler). */
  content_hash: Generated<string | null>;
}

/** A model-assisted starting point for a row's labelers; never a label (no export, count or queue). */
export interface PreLabelTable {
  id: string;
  org_id: string;
  project_id: string;
  data_row_id: string;
  created_by: string;
  created_at: number;
  annotations: string;
  external_id: string | null;
  content_hash: string | null;
}

/** One write by a person or key through the API (http/audit.ts); never a secret. */
export interface AuditLogTable {
  id: string;
  org_id: string;
  at: number;
  actor_id: string;
  actor_email: string;
  /** `session`, `key` (REST or GraphQL), `cli` (local mode; audit/audit.write.ts) or `invite` (an invite link used: accounts/invite.service.ts). */
  via: string;
  action: string;
  method: string;
  /** The route pattern (`/projects/:projectId/labels/:labelId`), never the query string. */
  path: string;
  target_type: string | null;
  target_id: string | null;
  summary: string;
  status: number;
  /** The TCP peer (a proxy's, behind one: forwarded headers are not trusted). */
  address: string;
}

export interface ReviewTable {
  id: string;
  org_id: string;
  project_id: string;
  label_id: string;
  data_row_id: string;
  score: number;
  reason: string | null;
  created_at: number;
  created_by: string;
}

export interface CommentTable {
  id: string;
  org_id: string;
  project_id: string;
  data_row_id: string;
  author_id: string;
  text: string;
  created_at: number;
}

/** A label submission by idempotency key (project, user, key): what was sent and answered. */
export interface LabelSubmissionTable {
  project_id: string;
  user_id: string;
  key: string;
  org_id: string;
  label_id: string;
  /** Hex SHA-256 of the canonical JSON of the submitted payload. */
  payload_sha256: string;
  /** JSON of the first response, answered again to a retry. */
  response: string;
  created_at: number;
}

export interface ExportTaskTable {
  id: string;
  org_id: string;
  project_id: string;
  /** `export-data-rows` (v2) or `export-labels` (V1). */
  type: string;
  name: string | null;
  status: ExportTaskStatus;
  /** JSON of the validated params and filters the task runs with. */
  params: string;
  filters: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  completion_percentage: number;
  /** The process running it and its last sign of life: a stale heartbeat means it died. */
  worker_id: string | null;
  heartbeat_at: number | null;
  result_path: string | null;
  result_bytes: number | null;
  result_lines: number | null;
  errors_path: string | null;
  errors_bytes: number | null;
  errors_lines: number | null;
  failure_reason: string | null;
  /** Claims so far; a task whose worker died this many times is failed, not retried forever. */
  attempts: number;
  /** Hex SHA-256 of each final stream file, the manifest a reader can check a download against. */
  result_sha256: string | null;
  errors_sha256: string | null;
  /** When retention removed the files (the row stays, so the task still answers). */
  files_deleted_at: number | null;
  /** V1: the origin of the `View Label` links; null for the worker's own (migration 0012). */
  link_base: string | null;
  /**
   * Hex SHA-256 of a few fixed windows of each final file (exports/files/file-sample.ts), checked
   * before every read so a changed or truncated file is refused; null for tasks completed before.
   */
  result_sample: string | null;
  errors_sample: string | null;
}

/**
 * One login attempt counted against the limit (accounts/login-limit.ts): inserted before the
 * password is checked, removed again when it was right. `key` is a SHA-256 of the account or
 * address, so typed-in emails (or passwords typed into the email field) are not kept.
 */
export interface LoginAttemptTable {
  id: string;
  key: string;
  at: number;
}

/**
 * A soft-deletion (lifecycle/): what was deleted, by whom and when. Projects and datasets keep
 * their row (flagged `deleted_at`); everything else a deletion removed from the live tables is in
 * `trash_rows`, so no read path can see it, until a restore puts it back or the purge drops it.
 */
export interface TrashTable {
  id: string;
  org_id: string;
  kind: 'project' | 'dataset' | 'batch' | 'data_row' | 'label';
  target_id: string;
  project_id: string | null;
  /** JSON: the target's name and the deletion's options (a batch's `labels`). */
  detail: string;
  deleted_at: number;
  deleted_by: string;
}

/** One live row a soft-deletion took out: its table and its columns as JSON. */
export interface TrashRowTable {
  trash_id: string;
  /** Order of removal; restore inserts in reverse (parents first). */
  seq: number;
  tbl: string;
  data: string;
}

/** An erasure (a personal-data request): who erased what and when, without the content. */
export interface ErasureTable {
  id: string;
  org_id: string;
  kind: string;
  target_id: string;
  erased_by: string;
  erased_at: number;
  /** Rows removed from the database. */
  row_count: number;
}

export interface Database {
  organizations: OrganizationTable;
  users: UserTable;
  api_keys: ApiKeyTable;
  datasets: DatasetTable;
  data_rows: DataRowTable;
  attachments: AttachmentTable;
  metadata_schemas: MetadataSchemaTable;
  metadata_values: MetadataValueTable;
  embeddings: EmbeddingTable;
  embedding_vectors: EmbeddingVectorTable;
  ontologies: OntologyTable;
  projects: ProjectTable;
  workflow_tasks: WorkflowTaskTable;
  batches: BatchTable;
  project_data_rows: ProjectDataRowTable;
  workflow_history: WorkflowHistoryTable;
  labels: LabelTable;
  reviews: ReviewTable;
  comments: CommentTable;
  export_tasks: ExportTaskTable;
  label_submissions: LabelSubmissionTable;
  project_members: ProjectMemberTable;
  sessions: SessionTable;
  user_invites: UserInviteTable;
  login_attempts: LoginAttemptTable;
  trash: TrashTable;
  trash_rows: TrashRowTable;
  erasures: ErasureTable;
  pre_labels: PreLabelTable;
  audit_log: AuditLogTable;
}
