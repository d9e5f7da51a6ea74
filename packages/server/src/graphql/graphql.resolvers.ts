/**
 * The root fields, each a translation onto the service the REST API calls for the same thing:
 * no export logic lives here. Permissions are those of the REST routes (`project.read` for the
 * project, `export` for exports and tasks).
 */
import { authorizeProject } from '../auth/permissions.ts';
import { startExport } from '../exports/export-start.service.ts';
import { getProjectSummary } from '../projects/project.summary.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { GraphqlContext } from './graphql.context.ts';
import { readableTask, taskObject } from './graphql.tasks.ts';
import { type ExportLabelsInput, exportLabels } from './graphql.v1.ts';
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
  project: (async (args: { where: Where }, ctx) => {
    await authorizeProject(ctx.store.db, ctx.actor, args.where.id, 'project.read');
    const p = await getProjectSummary(ctx.store, ctx.actor, args.where.id);
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
      editorTaskType: null,
      uploadType: null,
      autoAuditNumberOfLabels: p.consensus_expected_label_count,
      autoAuditPercentage: 1,
      isBenchmarkEnabled: false,
      isConsensusEnabled: p.consensus_expected_label_count > 1,
      modelSetupComplete: false,
    };
  }) satisfies Resolver<{ where: Where }>,

  user: (async (args: { where?: Where | null }, ctx) => {
    const { actor, store } = ctx;
    // Only the key's own user: another id answers as a missing one.
    if (args.where && args.where.id !== actor.userId) throw notFound('user', args.where.id);
    const user = await store.db
      .selectFrom('users')
      .where('id', '=', actor.userId)
      .where('org_id', '=', actor.orgId)
      .select(['id', 'email', 'name', 'created_at'])
      .executeTakeFirstOrThrow();
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      nickname: null,
      picture: null,
      intercomHash: null,
      isExternalUser: false,
      isViewer: true,
      // prefer keeps no per-user zone: null reads as UTC in the SDK.
      timezone: null,
      createdAt: user.created_at,
      updatedAt: user.created_at,
      createdTasks: (a: { where?: Where | null; skip?: number | null; first?: number | null }) =>
        createdTasks(ctx, a),
    };
  }) satisfies Resolver<{ where?: Where | null }>,

  task: (async (args: { where?: Where | null }, ctx) => {
    if (!args.where) throw new AppError('BAD_REQUEST', 'task needs where: {id: "<task id>"}');
    return taskObject(await readableTask(ctx, args.where.id));
  }) satisfies Resolver<{ where?: Where | null }>,

  organization: (async (_args: Record<string, never>, ctx) => {
    const org = await ctx.store.db
      .selectFrom('organizations')
      .where('id', '=', ctx.actor.orgId)
      .select(['id', 'name', 'created_at'])
      .executeTakeFirstOrThrow();
    return { id: org.id, name: org.name, createdAt: org.created_at, updatedAt: org.created_at };
  }) satisfies Resolver<Record<string, never>>,

  exportDataRowsInProject: (async (args: { input: ExportInput }, ctx) => {
    const { filters, params, taskName } = args.input;
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
  }) satisfies Resolver<{ input: ExportInput }>,

  exportLabels: ((args: { data: ExportLabelsInput }, ctx) =>
    exportLabels(ctx, args.data)) satisfies Resolver<{ data: ExportLabelsInput }>,
};

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

async function createdTasks(
  ctx: GraphqlContext,
  args: { where?: Where | null; skip?: number | null; first?: number | null },
) {
  const { actor, store } = ctx;
  const first = Math.min(Math.max(args.first ?? 100, 0), 100);
  let query = store.db
    .selectFrom('export_tasks')
    .where('org_id', '=', actor.orgId)
    .where('created_by', '=', actor.userId);
  if (args.where) query = query.where('id', '=', args.where.id);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(Math.max(args.skip ?? 0, 0))
    .limit(first)
    .selectAll()
    .execute();
  const readable = [];
  for (const row of rows) {
    // A task stays the user's, but reading it needs export rights in its project today.
    const ok = await authorizeProject(store.db, actor, row.project_id, 'export').then(
      () => true,
      () => false,
    );
    if (ok) readable.push(taskObject(row));
  }
  return readable;
}
