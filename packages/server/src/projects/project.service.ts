/** Projects: an ontology, a conversational media type, consensus settings and a 4-task workflow. */
import { MMC_EDITOR_TASK_TYPES, type MmcEditorTaskType } from '@prefer/schemas';
import type { ProjectRef } from '../auth/permissions.ts';
import { readStoredOntology } from '../ontologies/ontology.index.ts';
import { requireOntology } from '../ontologies/ontology.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError, type Fault, notFound } from '../shared/errors.ts';
import { newId, newUuid } from '../shared/ids.ts';
import { prepared } from '../store/prepared.ts';
import type { TaskKind } from '../store/schema.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { DEFAULT_WORKFLOW_TASKS } from '../workflow/workflow-tasks.ts';

export const MAX_CONSENSUS_LABELS = 10;

export interface CreateProjectInput {
  name: string;
  ontologyId: string;
  description?: string | undefined;
  /** Labels wanted per data row: 1 (no consensus) to 10. */
  consensusLabels?: number | undefined;
  /** A multimodal chat evaluation project (conversation v2 rows): Labelbox's editorTaskType. */
  editorTaskType?: MmcEditorTaskType | undefined;
}

export interface WorkflowTask {
  id: string;
  name: string;
  kind: TaskKind;
  position: number;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  ontologyId: string;
  mediaType: string;
  /** `OFFLINE_MODEL_CHAT_EVALUATION` / `MODEL_CHAT_EVALUATION`; null for a conversation-v1 project. */
  editorTaskType: string | null;
  consensusExpectedLabelCount: number;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  instructions: string | null;
  archivedAt: number | null;
  tasks: WorkflowTask[];
}

/** The input names as the REST API spells them, for fault paths (http/field-names.ts). */
export const PROJECT_WIRE_NAMES = {
  ontologyId: 'ontology_id',
  consensusLabels: 'consensus_expected_label_count',
  editorTaskType: 'editor_task_type',
};

export async function createProject(
  store: Store,
  actor: Actor,
  input: CreateProjectInput,
): Promise<{ id: string }> {
  const faults: Fault[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') faults.push({ path: '$.name', message: 'must be a non-empty string' });
  if (typeof input.ontologyId !== 'string' || input.ontologyId === '') {
    faults.push({ path: '$.ontologyId', message: 'must be an ontology id' });
  }
  if (input.description !== undefined && typeof input.description !== 'string') {
    faults.push({ path: '$.description', message: 'must be a string' });
  }
  const consensus = input.consensusLabels ?? 1;
  if (!Number.isInteger(consensus) || consensus < 1 || consensus > MAX_CONSENSUS_LABELS) {
    faults.push({
      path: '$.consensusLabels',
      message: `must be an integer from 1 to ${MAX_CONSENSUS_LABELS}`,
    });
  }
  const editorTaskType = input.editorTaskType ?? null;
  if (editorTaskType !== null && !(MMC_EDITOR_TASK_TYPES as readonly string[]).includes(editorTaskType)) {
    faults.push({ path: '$.editorTaskType', message: `must be one of ${MMC_EDITOR_TASK_TYPES.join(', ')}` });
  }
  if (faults.length > 0) {
    throw new AppError('VALIDATION_FAILED', faults.map((f) => `${f.path}: ${f.message}`).join('; '), faults);
  }
  const now = Date.now();
  const id = newId(now);
  await store.write(async (tx) => {
    const ontology = await requireOntology(tx, actor.orgId, input.ontologyId);
    if (editorTaskType === null) await refuseToolsOnV1(tx, actor.orgId, ontology.id);
    await tx
      .insertInto('projects')
      .values({
        id,
        org_id: actor.orgId,
        name,
        description: input.description ?? null,
        ontology_id: ontology.id,
        media_type: 'CONVERSATIONAL',
        editor_task_type: editorTaskType,
        consensus_expected_label_count: consensus,
        created_at: now,
        updated_at: now,
        created_by: actor.userId,
      })
      .execute();
    await tx
      .insertInto('workflow_tasks')
      .values(
        DEFAULT_WORKFLOW_TASKS.map((t, position) => ({
          id: newUuid(),
          project_id: id,
          name: t.name,
          kind: t.kind,
          position,
        })),
      )
      .execute();
    // The creator manages the project (an org admin already holds every role; the row records it).
    await tx
      .insertInto('project_members')
      .values({
        project_id: id,
        user_id: actor.userId,
        org_id: actor.orgId,
        role: 'manager',
        created_at: now,
      })
      .execute();
  });
  return { id };
}

/** Message tools answer about v2 conversations: a conversation-v1 project cannot use them. */
async function refuseToolsOnV1(tx: Tx, orgId: string, ontologyId: string): Promise<void> {
  const row = await tx
    .selectFrom('ontologies')
    .where('org_id', '=', orgId)
    .where('id', '=', ontologyId)
    .select('normalized')
    .executeTakeFirstOrThrow();
  if (readStoredOntology(row.normalized).tools.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `ontology ${ontologyId} has message tools, which answer about multimodal chat (v2) conversations: create the project with an editor task type (${MMC_EDITOR_TASK_TYPES.join(' or ')})`,
      [{ path: '$.editorTaskType', message: 'required for an ontology with message tools' }],
    );
  }
}

export async function getProject(store: Store, actor: Actor, id: string): Promise<Project> {
  const [project] = await selectProjects(store.db, actor.orgId, id);
  // Another organization's project is answered exactly like a missing one.
  if (!project) throw notFound('project', id);
  return project;
}

/** The organization's projects, oldest first, each with its tasks. */
export async function listProjects(store: Store, actor: Actor): Promise<Project[]> {
  return selectProjects(store.db, actor.orgId);
}

/** The project row of the organization, for services that act inside a project. */
export async function requireProject(
  db: Db | Tx,
  orgId: string,
  id: string,
): Promise<{ id: string; name: string; ontology_id: string }> {
  const row = await liveProject.first(db, { orgId, id });
  if (!row) throw notFound('project', id);
  return row;
}

// Most workflow requests read it: built and compiled once (store/prepared.ts).
const liveProject = prepared((db, p: { orgId: string; id: string }) =>
  db
    .selectFrom('projects')
    .where('org_id', '=', p.orgId)
    .where('id', '=', p.id)
    .where('deleted_at', 'is', null)
    .select(['id', 'name', 'ontology_id']),
);

/**
 * `requireProject`, unless the request's authorization already read this project (`known`, from
 * the same organization-scoped query with the caller's role): one query less per request.
 */
export function knownProject(
  db: Db | Tx,
  orgId: string,
  id: string,
  known: ProjectRef | undefined,
): Promise<ProjectRef> {
  return known?.id === id ? Promise.resolve(known) : requireProject(db, orgId, id);
}

/** The project's task of a kind (each default workflow has exactly one of each). */
export async function taskOfKind(db: Db | Tx, projectId: string, kind: TaskKind): Promise<WorkflowTask> {
  const task = await db
    .selectFrom('workflow_tasks')
    .where('project_id', '=', projectId)
    .where('kind', '=', kind)
    .select(['id', 'name', 'kind', 'position'])
    .orderBy('position')
    .executeTakeFirst();
  if (!task) throw new AppError('INTERNAL', `project ${projectId} has no ${kind} task`);
  return task;
}

async function selectProjects(db: Db, orgId: string, id?: string): Promise<Project[]> {
  let q = db.selectFrom('projects').where('org_id', '=', orgId).where('deleted_at', 'is', null);
  if (id !== undefined) q = q.where('id', '=', id);
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').execute();
  if (rows.length === 0) return [];
  const tasks = await db
    .selectFrom('workflow_tasks')
    .where(
      'project_id',
      'in',
      rows.map((r) => r.id),
    )
    .select(['id', 'project_id', 'name', 'kind', 'position'])
    .orderBy('project_id')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    ontologyId: r.ontology_id,
    mediaType: r.media_type,
    editorTaskType: r.editor_task_type,
    consensusExpectedLabelCount: r.consensus_expected_label_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    instructions: r.instructions,
    archivedAt: r.archived_at,
    tasks: tasks
      .filter((t) => t.project_id === r.id)
      .map((t) => ({ id: t.id, name: t.name, kind: t.kind, position: t.position })),
  }));
}
