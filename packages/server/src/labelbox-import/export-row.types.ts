/** One Labelbox export v2 line, validated and read into stored forms (times in ms, JSON as text). */
import type { WorkflowStatus } from '../store/schema.ts';

export interface ParsedRow {
  line: number;
  id: string;
  globalKey: string | null;
  externalId: string | null;
  rowData: string;
  details: ParsedRowDetails | null;
  mimeType: string;
  /** JSON array text. */
  labelableIds: string;
  messageCount: number;
  attachments: ParsedAttachment[];
  metadata: ParsedMetadata[];
  embeddings: ParsedEmbedding[];
  projects: ParsedProject[];
}

export interface ParsedRowDetails {
  datasetId: string;
  datasetName: string;
  createdAt: number;
  updatedAt: number;
  lastActivityAt: number | null;
  createdBy: string;
}

export interface ParsedAttachment {
  id: string;
  type: string;
  value: string;
  name: string | null;
}

export interface ParsedMetadata {
  schemaId: string;
  schemaName: string;
  kind: 'string' | 'number' | 'enum';
  /** The stored value: the string, the number as decimal text, or the enum option's id. */
  value: string;
  /** For an enum value, its option `{ id, name }`. */
  option: { id: string; name: string } | null;
}

export interface ParsedEmbedding {
  id: string;
  name: string;
  dimensions: number;
  isCustom: boolean;
  /** JSON array of numbers. */
  vector: string;
}

export interface ParsedProject {
  id: string;
  /** JSON path of this project in the line, for faults. */
  path: string;
  name: string;
  labels: ParsedLabel[];
  details: ParsedProjectDetails | null;
}

export interface ParsedProjectDetails {
  ontologyId: string;
  taskId: string;
  taskName: string;
  batchId: string;
  batchName: string;
  workflowStatus: WorkflowStatus;
  priority: number;
  consensusExpectedLabelCount: number;
  /** Oldest first (the export lists them newest first). */
  history: ParsedHistoryEntry[];
}

export interface ParsedHistoryEntry {
  action: string;
  createdAt: number;
  createdBy: string;
  previousTaskName: string | null;
  previousTaskId: string | null;
  nextTaskName: string;
  nextTaskId: string;
}

export interface ParsedLabel {
  id: string;
  path: string;
  labelKind: string;
  version: string;
  details: ParsedLabelDetails | null;
  performance: ParsedPerformance | null;
  /** The `annotations` object as JSON text, key order kept. */
  annotations: string;
  /** The parsed `annotations.classifications`, for rebuilding or checking the ontology. */
  classifications: unknown[];
}

export interface ParsedLabelDetails {
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  contentLastUpdatedAt: number;
  reviews: ParsedReview[];
}

export interface ParsedReview {
  id: string;
  score: 1 | -1;
  createdAt: number;
  createdBy: string;
}

export interface ParsedPerformance {
  secondsToCreate: number | null;
  secondsToReview: number | null;
  skipped: boolean;
  consensusScore: number | null;
}
