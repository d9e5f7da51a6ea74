/**
 * The data lifecycle: edit projects, batches and datasets; archive projects; delete (restorable
 * within the server's retention window, or erased at once by an admin) and restore projects,
 * datasets, batches, data rows and labels. Reached through the `Client` methods.
 */
import {
  batchSchema,
  type DeletionWire,
  datasetSchema,
  deletionSchema,
  projectSchema,
  type RestorationWire,
  restorationSchema,
  type TrashKindWire,
} from '@prefer/schemas';
import { Batch } from './batch.ts';
import type { Client } from './client.ts';
import { Dataset } from './dataset.ts';
import { Project } from './project.ts';

export type DeletedKind = TrashKindWire;

/** What a delete answers. */
export interface Deletion {
  kind: DeletedKind;
  id: string;
  /** `deleted`: restorable until the purge; `erased`: gone for good. */
  state: 'deleted' | 'erased';
  deletedAt: Date;
  /** Rows taken out of the live tables. */
  rows: number;
}

/** What a restore answers. */
export interface Restoration {
  kind: DeletedKind;
  id: string;
  restored: number;
  /** Rows not put back: live again already, or their project, batch or dataset is gone. */
  skipped: number;
}

export interface DeleteOptions {
  /** Erase at once (organization admins only): nothing kept to restore, the erasure recorded. */
  erase?: boolean;
}

export interface ProjectEdit {
  name?: string;
  description?: string | null;
  /** Markdown guideline shown to labelers in the editor. */
  instructions?: string | null;
  consensusExpectedLabelCount?: number;
}

export interface BatchEdit {
  name?: string;
  /** 1 (highest) to 5. */
  priority?: number;
  /** null: the project's count. */
  consensusExpectedLabelCount?: number | null;
}

export interface DatasetEdit {
  name?: string;
  description?: string | null;
}

const enc = encodeURIComponent;
const deletion = (w: DeletionWire): Deletion => ({
  kind: w.kind,
  id: w.id,
  state: w.state,
  deletedAt: new Date(w.deleted_at),
  rows: w.rows,
});
const restoration = (w: RestorationWire): Restoration => ({ ...w });
const eraseQuery = (options: DeleteOptions | undefined, first = '?') =>
  options?.erase ? `${first}erase=true` : '';

/** Only the fields given are sent: a missing one is left as it is, a null clears it. */
function defined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export async function updateProject(client: Client, id: string, edit: ProjectEdit): Promise<Project> {
  const body = defined({
    name: edit.name,
    description: edit.description,
    instructions: edit.instructions,
    consensus_expected_label_count: edit.consensusExpectedLabelCount,
  });
  return new Project(
    client,
    await client.requestJson('PATCH', `/projects/${enc(id)}`, projectSchema, { body }),
  );
}

export async function setProjectArchived(client: Client, id: string, archived: boolean): Promise<Project> {
  const verb = archived ? 'archive' : 'unarchive';
  return new Project(client, await client.requestJson('POST', `/projects/${enc(id)}/${verb}`, projectSchema));
}

export async function updateBatch(
  client: Client,
  projectId: string,
  batchId: string,
  edit: BatchEdit,
): Promise<Batch> {
  const body = defined({
    name: edit.name,
    priority: edit.priority,
    consensus_expected_label_count: edit.consensusExpectedLabelCount,
  });
  const path = `/projects/${enc(projectId)}/batches/${enc(batchId)}`;
  return new Batch(projectId, await client.requestJson('PATCH', path, batchSchema, { body }));
}

export async function updateDataset(client: Client, id: string, edit: DatasetEdit): Promise<Dataset> {
  const body = defined({ name: edit.name, description: edit.description });
  return new Dataset(
    client,
    await client.requestJson('PATCH', `/datasets/${enc(id)}`, datasetSchema, { body }),
  );
}

/** The path of a deletable resource. */
export function resourcePath(kind: DeletedKind, id: string, projectId?: string): string {
  switch (kind) {
    case 'project':
      return `/projects/${enc(id)}`;
    case 'dataset':
      return `/datasets/${enc(id)}`;
    case 'data_row':
      return `/data-rows/${enc(id)}`;
    case 'batch':
      return `/projects/${enc(projectId ?? '')}/batches/${enc(id)}`;
    case 'label':
      return `/projects/${enc(projectId ?? '')}/labels/${enc(id)}`;
  }
}

export async function deleteResource(
  client: Client,
  kind: DeletedKind,
  id: string,
  options: DeleteOptions & { projectId?: string; labels?: 'keep' | 'delete' } = {},
): Promise<Deletion> {
  let path = resourcePath(kind, id, options.projectId);
  if (kind === 'batch') path += `?labels=${options.labels ?? ''}${eraseQuery(options, '&')}`;
  else path += eraseQuery(options);
  return deletion(await client.requestJson('DELETE', path, deletionSchema));
}

export async function restoreResource(
  client: Client,
  kind: DeletedKind,
  id: string,
  projectId?: string,
): Promise<Restoration> {
  const path = `${resourcePath(kind, id, projectId)}/restore`;
  return restoration(await client.requestJson('POST', path, restorationSchema));
}
