/**
 * Project settings: name, description, the labelers' instructions (markdown, rendered as text by
 * the editor's safe markdown), consensus; archive and unarchive. A changed consensus count applies
 * to rows still being labeled: rows already in review or done stay where they are.
 */
import type { Actor } from '../orgs/actor.ts';
import { AppError, type Fault, notFound } from '../shared/errors.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { renderClearedLabels } from './consensus-count.ts';
import { MAX_CONSENSUS_LABELS } from './project.service.ts';

export const MAX_NAME = 200;
export const MAX_DESCRIPTION = 10_000;
export const MAX_INSTRUCTIONS = 100_000;

export interface ProjectEdit {
  name?: string | undefined;
  description?: string | null | undefined;
  instructions?: string | null | undefined;
  consensusLabels?: number | undefined;
}

export async function editProject(
  store: Store,
  actor: Actor,
  projectId: string,
  edit: ProjectEdit,
  now = Date.now(),
): Promise<void> {
  const faults: Fault[] = [];
  const set: { name?: string; description?: string | null; instructions?: string | null } & {
    consensus_expected_label_count?: number;
  } = {};
  if (edit.name !== undefined) {
    const name = edit.name.trim();
    if (name === '' || name.length > MAX_NAME) {
      faults.push({
        path: '$.name',
        message: `must be a non-empty string of at most ${MAX_NAME} characters`,
      });
    } else set.name = name;
  }
  if (edit.description !== undefined) {
    if (edit.description !== null && edit.description.length > MAX_DESCRIPTION) {
      faults.push({ path: '$.description', message: `must be at most ${MAX_DESCRIPTION} characters` });
    } else set.description = edit.description;
  }
  if (edit.instructions !== undefined) {
    if (edit.instructions !== null && edit.instructions.length > MAX_INSTRUCTIONS) {
      faults.push({ path: '$.instructions', message: `must be at most ${MAX_INSTRUCTIONS} characters` });
    } else set.instructions = edit.instructions;
  }
  if (edit.consensusLabels !== undefined) {
    const n = edit.consensusLabels;
    if (!Number.isInteger(n) || n < 1 || n > MAX_CONSENSUS_LABELS) {
      faults.push({
        path: '$.consensus_expected_label_count',
        message: `must be an integer from 1 to ${MAX_CONSENSUS_LABELS}`,
      });
    } else set.consensus_expected_label_count = n;
  }
  if (faults.length === 0 && Object.keys(set).length === 0) {
    faults.push({
      path: '$',
      message: 'nothing to change: give name, description, instructions or consensus_expected_label_count',
    });
  }
  if (faults.length > 0) {
    throw new AppError('VALIDATION_FAILED', faults.map((f) => `${f.path}: ${f.message}`).join('; '), faults);
  }
  await store.write(async (tx) => {
    const done = await tx
      .updateTable('projects')
      .set({ ...set, updated_at: now })
      .where('id', '=', projectId)
      .where('org_id', '=', actor.orgId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw notFound('project', projectId);
    if (set.consensus_expected_label_count !== undefined) {
      // Rendered label fragments hold the consensus count: the update's trigger cleared them.
      await renderClearedLabels(tx, projectId);
    }
  });
}

/** Archives (read-only, out of the queues) or brings back a project; idempotent. */
export async function setArchived(
  store: Store,
  actor: Actor,
  projectId: string,
  archived: boolean,
  now = Date.now(),
): Promise<void> {
  await store.write(async (tx) => {
    const row = await tx
      .selectFrom('projects')
      .where('id', '=', projectId)
      .where('org_id', '=', actor.orgId)
      .where('deleted_at', 'is', null)
      .select('archived_at')
      .executeTakeFirst();
    if (!row) throw notFound('project', projectId);
    if ((row.archived_at != null) === archived) return;
    await tx
      .updateTable('projects')
      .set({ archived_at: archived ? now : null, updated_at: now })
      .where('id', '=', projectId)
      .execute();
    // Leases on an archived project's rows end now: nobody may submit into it.
    if (archived) {
      await tx
        .updateTable('project_data_rows')
        .set({ lease_user_id: null, lease_expires_at: null })
        .where('project_id', '=', projectId)
        .where('lease_user_id', 'is not', null)
        .execute();
    }
  });
}

/** An archived project is read-only: a write answers 409 naming the way back. */
export async function refuseArchived(store: Store | { db: Db | Tx }, projectId: string): Promise<void> {
  const row = await store.db
    .selectFrom('projects')
    .where('id', '=', projectId)
    .select('archived_at')
    .executeTakeFirst();
  refuseIfArchived(projectId, row?.archived_at ?? null);
}

/** `refuseArchived` when the caller read `archived_at` already (with the caller's role). */
export function refuseIfArchived(projectId: string, archivedAt: number | null): void {
  if (archivedAt !== null) {
    throw new AppError(
      'CONFLICT',
      `project ${projectId} is archived (read-only): unarchive it (POST /api/v1/projects/${projectId}/unarchive) to change it`,
    );
  }
}
