/**
 * The project summary of `GET /api/v1/projects/:id` (and the SDK's `getProject`): the project
 * plus how many data rows it holds and when any of them last saw activity.
 */
import { projectRole, type Role } from '../auth/permissions.ts';
import type { Actor } from '../orgs/actor.ts';
import { afterKey, decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
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
  /** The caller's role in the project (`admin` for the organization's admins). */
  role: Role;
  instructions: string | null;
  archived_at: string | null;
}

/** Narrowing for the Labelbox SDK's `get_projects(where=...)`: equal fields, and an offset. */
export interface ProjectListFilter {
  id?: string;
  name?: string;
  description?: string;
  /** Projects to pass over first (the SDK pages with skip/first). */
  offset?: number;
}

/**
 * One page of the projects the caller holds a role in (an organization admin: all of them),
 * oldest first, keyset on (`created_at`, id); row counts and activity in one grouped query.
 */
export async function listProjectPage(
  store: Store,
  actor: Actor,
  page: PageRequest,
  filter: ProjectListFilter = {},
): Promise<Page<ProjectSummary>> {
  const admin = actor.role === 'admin';
  let query = store.db
    .selectFrom('projects as p')
    .leftJoin('project_members as m', (j) =>
      j.onRef('m.project_id', '=', 'p.id').on('m.user_id', '=', actor.userId),
    )
    .where('p.org_id', '=', actor.orgId)
    .where('p.deleted_at', 'is', null)
    // A member sees only the projects they hold a role in; an admin sees all, as admin.
    .$if(!admin, (q) => q.where('m.role', 'is not', null))
    // Archived projects leave the lists of those who label and review in them (their home).
    .$if(!admin, (q) => q.where((e) => e.or([e('p.archived_at', 'is', null), e('m.role', '=', 'manager')])))
    .selectAll('p')
    .select('m.role')
    .orderBy('p.created_at')
    .orderBy('p.id')
    .limit(page.limit + 1);
  if (filter.id !== undefined) query = query.where('p.id', '=', filter.id);
  if (filter.name !== undefined) query = query.where('p.name', '=', filter.name);
  if (filter.description !== undefined) query = query.where('p.description', '=', filter.description);
  if (filter.offset) query = query.offset(filter.offset);
  if (page.cursor !== undefined) {
    const [at, id] = decodeCursor(page.cursor, ['number', 'string']) as [number, string];
    query = query.where((e) => afterKey(e, 'p.created_at', 'p.id', [at, id]));
  }
  const rows = await query.execute();
  const ids = rows.slice(0, page.limit).map((r) => r.id);
  const byProject = await rowStats(store, actor.orgId, ids);
  return pageFrom(
    rows,
    page.limit,
    (r) => [Number(r.created_at), r.id],
    (r) => {
      const s = byProject.get(r.id);
      return {
        id: r.id,
        name: r.name,
        description: r.description,
        created_at: formatV2(Number(r.created_at)),
        updated_at: formatV2(Number(r.updated_at)),
        media_type: r.media_type,
        ontology_id: r.ontology_id,
        consensus_expected_label_count: Number(r.consensus_expected_label_count),
        data_row_count: s?.rows ?? 0,
        last_activity_at: s?.last ?? null,
        role: admin ? 'admin' : (r.role as Role),
        instructions: r.instructions,
        archived_at: r.archived_at == null ? null : formatV2(Number(r.archived_at)),
      };
    },
  );
}

export async function getProjectSummary(store: Store, actor: Actor, id: string): Promise<ProjectSummary> {
  const project = await getProject(store, actor, id);
  const role = await projectRole(store.db, actor, project.id);
  const stats = (await rowStats(store, actor.orgId, [project.id])).get(project.id);
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    created_at: formatV2(project.createdAt),
    updated_at: formatV2(project.updatedAt),
    media_type: project.mediaType,
    ontology_id: project.ontologyId,
    consensus_expected_label_count: project.consensusExpectedLabelCount,
    data_row_count: stats?.rows ?? 0,
    last_activity_at: stats?.last ?? null,
    role,
    instructions: project.instructions,
    archived_at: project.archivedAt == null ? null : formatV2(project.archivedAt),
  };
}

/**
 * Per project of `ids`: how many data rows it holds and their latest activity, in one grouped
 * query. A project without rows is absent from the map.
 */
async function rowStats(
  store: Store,
  orgId: string,
  ids: string[],
): Promise<Map<string, { rows: number; last: string | null }>> {
  if (ids.length === 0) return new Map();
  const stats = await store.db
    .selectFrom('project_data_rows')
    .innerJoin('data_rows', 'data_rows.id', 'project_data_rows.data_row_id')
    .where('project_data_rows.project_id', 'in', ids)
    .where('project_data_rows.org_id', '=', orgId)
    .groupBy('project_data_rows.project_id')
    .select((eb) => [
      'project_data_rows.project_id',
      eb.fn.countAll<number | string>().as('rows'),
      eb.fn.max('data_rows.last_activity_at').as('last'),
    ])
    .execute();
  return new Map(
    stats.map((s) => [
      s.project_id,
      { rows: Number(s.rows), last: s.last == null ? null : formatV2(Number(s.last)) },
    ]),
  );
}
