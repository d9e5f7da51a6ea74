/**
 * The shared objects an import meets on several lines, each remembered from its first sighting
 * (`line`, `path`) so a clash can name both lines.
 */

import type { TaskKind } from '../store/schema.ts';
import { DEFAULT_WORKFLOW_TASKS } from '../workflow/workflow-tasks.ts';
import type { ParsedMetadata } from './export-row.types.ts';
import type { OntologyBuilder } from './ontology-rebuild.ts';

/** Something first seen on `line`; `isNew` is settled when checked against the store. */
export interface Seen {
  line: number;
  path: string;
  isNew?: boolean;
}
export interface DatasetEntry extends Seen {
  id: string;
  name: string;
  createdAt: number;
}
export interface ProjectEntry extends Seen {
  id: string;
  name: string;
  hasDetails: boolean;
  ontologyId: string;
  /** Labels wanted per row: the first line's; batches that differ keep their own (Labelbox allows it). */
  consensus: number;
  createdAt: number;
  /** Tasks and batch made up for rows exported without project_details. */
  fallback: { batchId: string; labelTaskId: string; doneTaskId: string } | null;
}
export interface BatchEntry extends Seen {
  id: string;
  projectId: string;
  name: string;
  priority: number;
  consensus: number;
  createdAt: number;
}
export interface TaskEntry extends Seen {
  id: string;
  projectId: string;
  name: string;
  kind: TaskKind;
}
export interface OntologyEntry extends Seen {
  id: string;
  name: string;
  builder: OntologyBuilder;
}
export interface MetadataEntry extends Seen {
  id: string;
  name: string;
  /** The kind the file's values show (`enum` for option objects). */
  kind: ParsedMetadata['kind'];
  /** Enum options `id → name` seen in the file. */
  options: Map<string, string>;
  /** An existing enum schema the file gives as plain strings (as prefer exports it): `name → id`. */
  enumByName?: Map<string, string>;
}
export interface EmbeddingEntry extends Seen {
  id: string;
  name: string;
  dimensions: number;
  isCustom: boolean;
}

export const FALLBACK_NAME = 'Imported from Labelbox';

/** Kinds of the default tasks by name, and of the task rows sit in by their status. */
export const KIND_BY_NAME = new Map(DEFAULT_WORKFLOW_TASKS.map((t) => [t.name, t.kind]));
export const KIND_BY_STATUS = new Map(DEFAULT_WORKFLOW_TASKS.map((t) => [t.status, t.kind]));
