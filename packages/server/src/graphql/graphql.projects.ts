/**
 * `Project` objects (client.get_project, client.get_projects) from the project summary the REST
 * API answers `GET /projects` and `GET /projects/:id` with, under the same visibility: an
 * organization admin sees every project, anyone else the projects they hold a role in.
 */
import { authorizeProject } from '../auth/permissions.ts';
import { getProjectSummary, listProjectPage, type ProjectSummary } from '../projects/project.summary.ts';
import { AppError } from '../shared/errors.ts';
import type { GraphqlContext } from './graphql.context.ts';

export interface ProjectWhere {
  id?: string | null;
  name?: string | null;
  description?: string | null;
  deleted?: boolean | null;
  AND?: ProjectWhere[] | null;
}

/** As the SDK pages (`_PAGE_SIZE`): it stops at the first page shorter than this. */
const MAX_FIRST = 100;

export async function projectById(ctx: GraphqlContext, id: string) {
  await authorizeProject(ctx.store.db, ctx.actor, id, 'project.read');
  return projectObject(await getProjectSummary(ctx.store, ctx.actor, id));
}

export async function projectList(
  ctx: GraphqlContext,
  args: { where?: ProjectWhere | null; skip?: number | null; first?: number | null },
) {
  const where = flatten(args.where ?? {});
  const first = args.first ?? MAX_FIRST;
  const skip = args.skip ?? 0;
  if (first < 0 || first > MAX_FIRST || skip < 0) {
    throw new AppError('BAD_REQUEST', `projects takes skip >= 0 and first from 0 to ${MAX_FIRST}`);
  }
  // prefer keeps no deleted projects.
  if (where.deleted === true || first === 0) return [];
  const page = await listProjectPage(
    ctx.store,
    ctx.actor,
    { limit: first },
    {
      offset: skip,
      ...(where.id != null ? { id: where.id } : {}),
      ...(where.name != null ? { name: where.name } : {}),
      ...(where.description != null ? { description: where.description } : {}),
    },
  );
  return page.items.map(projectObject);
}

/** `{AND: [a, {AND: [b, c]}]}` as one object; the same field twice must agree. */
function flatten(where: ProjectWhere): Omit<ProjectWhere, 'AND'> {
  const out: Record<string, unknown> = {};
  const visit = (w: ProjectWhere) => {
    for (const [key, value] of Object.entries(w)) {
      if (key === 'AND') {
        for (const inner of (value as ProjectWhere[] | null) ?? []) visit(inner);
      } else if (value !== null && value !== undefined) {
        if (key in out && out[key] !== value) {
          throw new AppError('BAD_REQUEST', `projects: where compares ${key} twice with different values`);
        }
        out[key] = value;
      }
    }
  };
  visit(where);
  return out;
}

function projectObject(p: ProjectSummary) {
  const createdAt = Date.parse(p.created_at);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    createdAt,
    updatedAt: Date.parse(p.updated_at),
    // Projects are ready to label once made (the ontology is set at creation).
    setupComplete: createdAt,
    lastActivityTime: p.last_activity_at === null ? null : Date.parse(p.last_activity_at),
    dataRowCount: p.data_row_count,
    allowedMediaType: p.media_type,
    queueMode: 'BATCH',
    editorTaskType: p.editor_task_type,
    uploadType: null,
    autoAuditNumberOfLabels: p.consensus_expected_label_count,
    autoAuditPercentage: 1,
    isBenchmarkEnabled: false,
    isConsensusEnabled: p.consensus_expected_label_count > 1,
    modelSetupComplete: false,
  };
}
