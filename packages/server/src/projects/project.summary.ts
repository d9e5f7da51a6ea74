/**
 * The project summary of `GET /api/v1/projects/:id` (and the SDK's `getProject`): the project
 * plus how many data rows it holds and when any of them last saw activity.
 */
import type { Actor } from '../orgs/actor.ts';
import { formatV2 } from '../shared/time.ts';
import type { Store } from '../store/store.ts';
import { getProject } from './project.service.ts';

export interface ProjectSummary {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  media_type: string;
  ontology_id: string;
  consensus_expected_label_count: number;
  data_row_count: number;
  /** The latest `last_activity_at` of the project's data rows; null while it has none. */
  last_activity_at: string | null;
}

export async function getProjectSummary(store: Store, actor: Actor, id: string): Promise<ProjectSummary> {
  const project = await getProject(store, actor, id);
  const stats = await store.db
    .selectFrom('project_data_rows')
    .innerJoin('data_rows', 'data_rows.id', 'project_data_rows.data_row_id')
    .where('project_data_rows.project_id', '=', project.id)
    .where('project_data_rows.org_id', '=', actor.orgId)
    .select((eb) => [
      eb.fn.countAll<number | string>().as('rows'),
      eb.fn.max('data_rows.last_activity_at').as('last'),
    ])
    .executeTakeFirstOrThrow();
  const last = stats.last === null ? null : Number(stats.last);
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    created_at: formatV2(project.createdAt),
    updated_at: formatV2(project.updatedAt),
    media_type: project.mediaType,
    ontology_id: project.ontologyId,
    consensus_expected_label_count: project.consensusExpectedLabelCount,
    data_row_count: Number(stats.rows),
    last_activity_at: last === null ? null : formatV2(last),
  };
}
