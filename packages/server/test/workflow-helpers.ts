/** Helpers of the labeling workflow suites (workflow*.test.ts). */

import type { Actor } from '../src/orgs/actor.ts';
import { ensureUser } from '../src/orgs/org.service.ts';
import { setConsensusCount } from '../src/projects/consensus-count.ts';
import { newId } from '../src/shared/ids.ts';
import type { Store } from '../src/store/store.ts';
import { labelProject } from './support/seed-rows.ts';

export interface WorkflowProject {
  owner: Actor;
  projectId: string;
  rowIds: string[];
  /** A row of the organization that is not in the project. */
  outsideRowId: string;
}

/** A project of `rows` rows (one batch, priority 5) in a fresh organization. */
export async function workflowProject(store: Store, rows = 3): Promise<WorkflowProject> {
  const p = await labelProject(store, rows);
  return {
    owner: p.actor,
    projectId: p.projectId,
    rowIds: p.rows.map((r) => r.id),
    outsideRowId: p.outside.id,
  };
}

/** Another user of the same organization. */
export async function colleague(store: Store, of: Actor, name = 'user'): Promise<Actor> {
  const email = `${name}-${newId().slice(-10)}@example.com`;
  const user = await store.write((tx) => ensureUser(tx, of.orgId, email));
  return { orgId: of.orgId, userId: user.id, email: user.email, role: 'member' };
}

/** A valid answer set of the label test ontology (the required question answered). */
export const answers = (choice = 'Response A', evaluations: string[] = ['Relevance']) => [
  { name: 'Choose the best response', answer: { name: choice } },
  { name: 'Evaluations done', answers: evaluations.map((name) => ({ name })) },
  { name: 'Provide a reason for your choice', answer: 'clearer' },
];

export async function projectRow(store: Store, projectId: string, dataRowId: string) {
  return store.db
    .selectFrom('project_data_rows')
    .where('project_id', '=', projectId)
    .where('data_row_id', '=', dataRowId)
    .selectAll()
    .executeTakeFirstOrThrow();
}

export async function historyOf(store: Store, projectId: string, dataRowId: string) {
  return store.db
    .selectFrom('workflow_history')
    .where('project_id', '=', projectId)
    .where('data_row_id', '=', dataRowId)
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Sets the project's consensus: `k` labels wanted per data row before review. */
export async function setConsensusLabels(store: Store, projectId: string, k: number): Promise<void> {
  await store.write((tx) => setConsensusCount(tx, projectId, k));
}
