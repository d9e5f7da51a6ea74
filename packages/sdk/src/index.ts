/**
 * prefer's TypeScript SDK: a fetch-only client of the HTTP API with Labelbox-like names.
 *
 * @example
 * import { Client } from '@prefer/sdk';
 * const client = new Client({ endpoint: 'http://localhost:8080' }); // key from PREFER_API_KEY
 * const project = await client.getProject(projectId);
 * const task = await project.exportV2({ params: { label_details: true } });
 * await task.waitTillDone();
 * const rows = await task.result();
 */

/** Multimodal chat evaluation (conversation v2) shapes, for building rows and tool answers. */
export type {
  ContentItem,
  ConversationV2,
  ErrorCode,
  MessageTaskAnswer,
  MessageToolType,
  MmcEditorTaskType,
  MultiSelectionData,
  RankingData,
  SingleSelectionData,
} from '@prefer/schemas';
export {
  MESSAGE_ANNOTATION_KINDS,
  MESSAGE_TOOL_TYPES,
  MMC_EDITOR_TASK_TYPES,
  MMC_MIME_TYPE,
} from '@prefer/schemas';
export type { AuditEntry, AuditFilters } from './audit.ts';
export { Batch, type CreateBatchInput } from './batch.ts';
export {
  Client,
  type ClientOptions,
  type MigrationCounts,
  type RequestOptions,
  type Session,
} from './client.ts';
export type { OverviewOptions, ProjectOverview, ProjectRow, ProjectRowFilters } from './console.ts';
export {
  type DataRow,
  type DataRowDetail,
  type DataRowImportCounts,
  type DataRowSpec,
  Dataset,
} from './dataset.ts';
export {
  ApiLimitError,
  AuthenticationError,
  AuthorizationError,
  ExportTaskError,
  type Fault,
  LeaseLostError,
  NetworkError,
  PreferError,
  ResourceNotFoundError,
  TimeoutError,
  ValidationError,
} from './errors.ts';
export { ExportTask, type WaitOptions } from './export-task.ts';
export { ApiKey, type CreatedApiKey } from './keys.ts';
export type {
  BatchEdit,
  DatasetEdit,
  DeletedKind,
  DeleteOptions,
  Deletion,
  ProjectEdit,
  Restoration,
} from './lifecycle.ts';
export type { AddMemberInput, ProjectMember } from './members.ts';
export type { MyStats, MyStatsOptions, ReworkLabel, WorkRow } from './my-work.ts';
export { Ontology, type OntologyInput } from './ontology.ts';
export type { PageOptions } from './paging.ts';
export {
  type CreateProjectInput,
  type ExportLabelsOptions,
  type ExportV2Options,
  type LabelImportCounts,
  Project,
} from './project.ts';
export type { Lease, LeaseOptions, ReviewRow } from './review-queue.ts';
export {
  Conversion,
  type ConvertOptions,
  readStatsReport,
  type StatsOptions,
  type StatsReport,
  TRAINING_AGGREGATES,
  TRAINING_FORMATS,
  TRAINING_LABEL_POLICIES,
  TRAINING_OUTPUTS,
  TRAINING_TIE_POLICIES,
  type TrainingFormat,
  type TrainingOutput,
} from './training.ts';
export type * from './types.ts';
export type { UploadFile, UploadSource } from './upload.ts';
export {
  type CreateUserInput,
  type InvitedUser,
  type InviteUserInput,
  type OrgRole,
  type ProjectRole,
  type UpdateUserInput,
  User,
} from './users.ts';
export type {
  Comment,
  Label,
  LabelFilters,
  LabelReview,
  LeasedRow,
  MoveTarget,
  NextRowOptions,
  PreLabel,
  QueueStats,
  ReviewResult,
  SubmitLabelInput,
  SubmitOptions,
  SubmitResult,
  WorkflowStatus,
} from './workflow.ts';
