/**
 * The root fields, each a translation onto the service the REST API calls for the same thing:
 * no export logic lives here. Permissions are those of the REST routes (`project.read` for the
 * project, `export` for exports and tasks).
 */
import { type AuditedCall, audited } from '../audit/audit.write.ts';
import { authorizeProject } from '../auth/permissions.ts';
import { startExport } from '../exports/tasks/export-start.service.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { GraphqlContext } from './graphql.context.ts';
import { organizationObject, readableTask, taskObject, userObject } from './graphql.objects.ts';
import { type ProjectWhere, projectById, projectList } from './graphql.projects.ts';
import { type ExportLabelsInput, exportLabels, type V1Answer } from './graphql.v1.ts';
import { mapSearchQuery } from './search-query.ts';

interface Where {
  id: string;
}

interface ExportInput {
  taskName?: string | null;
  isStreamableReady?: boolean | null;
  streamable?: boolean | null;
  filters: { projectId: string; searchQuery?: { scope?: unknown; query?: unknown[] | null } | null };
  params?: Record<string, boolean | string | null> | null;
}

/** The SDK's `include*` params and prefer's names for them. */
const PARAMS: Record<string, string> = {
  includeAttachments: 'attachments',
  includeEmbeddings: 'embeddings',
  includeMetadata: 'metadata_fields',
  includeDataRowDetails: 'data_row_details',
  includeProjectDetails: 'project_details',
  includePerformanceDetails: 'performance_details',
  includeLabelDetails: 'label_details',
};

type Resolver<A> = (args: A, ctx: GraphqlContext) => unknown;

export const rootValue: Record<string, Resolver<never>> = {
  project: ((args: { where: Where }, ctx) => projectById(ctx, args.where.id)) satisfies Resolver<{
    where: Where;
  }>,

  projects: ((args: { where?: ProjectWhere | null; skip?: number | null; first?: number | null }, ctx) =>
    projectList(ctx, args)) satisfies Resolver<{ where?: ProjectWhere | null }>,

  user: (async (args: { where?: Where | null }, ctx) => {
    // Only the key's own user: another id answers as a missing one.
    if (args.where && args.where.id !== ctx.actor.userId) throw notFound('user', args.where.id);
    return userObject(ctx, ctx.actor.userId);
  }) satisfies Resolver<{ where?: Where | null }>,

  task: (async (args: { where?: Where | null }, ctx) => {
    if (!args.where) throw new AppError('BAD_REQUEST', 'task needs where: {id: "<task id>"}');
    return taskObject(await readableTask(ctx, args.where.id));
  }) satisfies Resolver<{ where?: Where | null }>,

  organization: ((_args: Record<string, never>, ctx) =>
    organizationObject(ctx.store, ctx.actor.orgId)) satisfies Resolver<Record<string, never>>,

  exportDataRowsInProject: (async (args: { input: ExportInput }, ctx) => {
    const { filters, params, taskName } = args.input;
    const call = mutation(ctx, 'exportDataRowsInProject', args.input, {
      route: 'POST /projects/:projectId/exports',
      params: { projectId: filters.projectId },
      status: 202,
      created: (r: { taskId: string }) => r.taskId,
    });
    return audited(ctx.store, call, async () => {
      await authorizeProject(ctx.store.db, ctx.actor, filters.projectId, 'export');
      if (filters.searchQuery?.scope != null) {
        throw new AppError('BAD_REQUEST', 'searchQuery.scope is not supported; send null');
      }
      const mapped = mapSearchQuery(filters.searchQuery?.query ?? []);
      const task = await startExport(ctx.store, ctx.actor, {
        projectId: filters.projectId,
        params: exportParams(params ?? {}),
        filters: mapped.filters,
        timezone: mapped.timezone,
        taskName: taskName ?? null,
      });
      return { taskId: task.id, isStreamable: true };
    });
  }) satisfies Resolver<{ input: ExportInput }>,

  // The SDK sends this again every 2 s until done: only the call that starts a task (or fails) is
  // a write, the polls that follow are reads and leave no entry.
  exportLabels: ((args: { data: ExportLabelsInput }, ctx) =>
    audited(
      ctx.store,
      mutation(ctx, 'exportLabels', args.data, {
        route: 'POST /projects/:projectId/label-exports',
        params: { projectId: args.data.projectId },
        status: 202,
        created: (r: V1Answer) => r.startedTaskId,
        wrote: (r: V1Answer) => r.startedTaskId !== undefined,
      }),
      () => exportLabels(ctx, args.data),
    )) satisfies Resolver<{ data: ExportLabelsInput }>,
};

/**
 * A mutation's audit entry: the REST equivalent's action and target, path `/graphql`, the key's
 * user, and the names of the input's fields (never their values).
 */
function mutation<T>(
  ctx: GraphqlContext,
  field: string,
  input: object,
  rest: {
    route: string;
    params: Record<string, string>;
    status: number;
    created: (r: T) => string | undefined;
    wrote?: (r: T) => boolean;
  },
): AuditedCall<T> {
  return {
    ...rest,
    actor: ctx.actor,
    via: 'key',
    address: ctx.audit.address,
    path: '/graphql',
    summary: `mutation ${field}; input fields: ${Object.keys(input).sort().join(', ')}`,
    now: ctx.audit.now,
  };
}

function exportParams(given: Record<string, boolean | string | null>): Record<string, boolean> {
  const media = given.mediaTypeOverride;
  if (media != null && media !== 'CONVERSATIONAL') {
    throw new AppError(
      'BAD_REQUEST',
      `mediaTypeOverride ${JSON.stringify(media)}: prefer exports CONVERSATIONAL only`,
    );
  }
  // includeInterpolatedFrames is about video frames: nothing to include for conversations.
  const params: Record<string, boolean> = {};
  for (const [sdk, ours] of Object.entries(PARAMS)) params[ours] = given[sdk] === true;
  return params;
}
