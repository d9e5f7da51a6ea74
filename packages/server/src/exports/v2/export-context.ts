/**
 * What an export knows beyond one page: the project, its tasks, and caches of the few things
 * many rows share (users' emails, datasets, batches, metadata schemas, embeddings). The caches
 * are filled in bulk for each page's unknown ids, so they grow with distinct ids, not rows.
 */
import type { ExportParams } from '@prefer/schemas';
import type { Actor } from '../../orgs/actor.ts';
import { notFound } from '../../shared/errors.ts';
import type { Db } from '../../store/store.ts';
import type { Scope } from './export.query.ts';

export interface BatchInfo {
  name: string;
  consensusCount: number | null;
}

export interface ExportContext {
  db: Db;
  scope: Scope;
  params: ExportParams;
  project: { id: string; name: string; ontologyId: string; consensusCount: number };
  tasks: Map<string, string>;
  batches: Map<string, BatchInfo>;
  /** Dataset names and users' emails by id, as JSON text ready to splice into a line. */
  datasets: Map<string, string>;
  users: Map<string, string>;
  metadataSchemas: Map<string, MetadataSchemaInfo>;
  embeddings: Map<string, { name: string; dimensions: number; isCustom: boolean }>;
}

/** Loads the project of the actor's organization; another organization's id is NOT_FOUND. */
export async function loadExportContext(
  db: Db,
  actor: Pick<Actor, 'orgId'>,
  projectId: string,
  params: ExportParams,
): Promise<ExportContext> {
  const project = await db
    .selectFrom('projects')
    .where('id', '=', projectId)
    .where('org_id', '=', actor.orgId)
    .where('deleted_at', 'is', null)
    .select(['id', 'name', 'ontology_id', 'consensus_expected_label_count'])
    .executeTakeFirst();
  if (!project) throw notFound('project', projectId);
  const tasks = await db
    .selectFrom('workflow_tasks')
    .where('project_id', '=', projectId)
    .select(['id', 'name'])
    .execute();
  const ctx: ExportContext = {
    db,
    scope: { orgId: actor.orgId, projectId },
    params,
    project: {
      id: project.id,
      name: project.name,
      ontologyId: project.ontology_id,
      consensusCount: project.consensus_expected_label_count,
    },
    tasks: new Map(tasks.map((t) => [t.id, t.name])),
    batches: new Map(),
    datasets: new Map(),
    users: new Map(),
    metadataSchemas: new Map(),
    embeddings: new Map(),
  };
  if (params.metadata_fields) {
    const schemas = await db
      .selectFrom('metadata_schemas')
      .where('org_id', '=', actor.orgId)
      .select(['id', 'name', 'kind', 'options'])
      .execute();
    for (const s of schemas) ctx.metadataSchemas.set(s.id, metadataSchemaInfo(s));
  }
  if (params.embeddings) {
    const embeddings = await db
      .selectFrom('embeddings')
      .where('org_id', '=', actor.orgId)
      .select(['id', 'name', 'dimensions', 'is_custom'])
      .execute();
    for (const e of embeddings) {
      ctx.embeddings.set(e.id, { name: e.name, dimensions: e.dimensions, isCustom: e.is_custom === 1 });
    }
  }
  return ctx;
}

/** Fills the caches with the ids of a page not seen yet: one query per kind, not per row. */
export async function warmCaches(
  ctx: ExportContext,
  ids: { users: Iterable<string>; datasets: Iterable<string>; batches: Iterable<string> },
): Promise<void> {
  const { db, scope } = ctx;
  await fillCache(ctx.users, ids.users, async (users) =>
    (await readUsers(db, scope.orgId, users)).map((r) => [r.id, JSON.stringify(r.email)]),
  );
  await fillCache(ctx.datasets, ids.datasets, async (datasets) =>
    (await readDatasets(db, scope.orgId, datasets)).map((r) => [r.id, JSON.stringify(r.name)]),
  );
  await fillCache(ctx.batches, ids.batches, async (batches) =>
    (
      await db
        .selectFrom('batches')
        .where('org_id', '=', scope.orgId)
        .where('id', 'in', batches)
        .select(['id', 'name', 'consensus_label_count'])
        .execute()
    ).map((r) => [r.id, { name: r.name, consensusCount: r.consensus_label_count }]),
  );
}

/** Adds to `cache` the ids it does not hold yet, all read by one call of `read`. */
export async function fillCache<V>(
  cache: Map<string, V>,
  ids: Iterable<string>,
  read: (ids: string[]) => Promise<(readonly [string, V])[]>,
): Promise<void> {
  const todo = new Set<string>();
  for (const id of ids) if (!cache.has(id)) todo.add(id);
  if (todo.size === 0) return;
  for (const [id, value] of await read([...todo])) cache.set(id, value);
}

export const readUsers = (db: Db, orgId: string, ids: string[]) =>
  db.selectFrom('users').where('org_id', '=', orgId).where('id', 'in', ids).select(['id', 'email']).execute();

export const readDatasets = (db: Db, orgId: string, ids: string[]) =>
  db
    .selectFrom('datasets')
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .select(['id', 'name'])
    .execute();

export interface MetadataSchemaInfo {
  name: string;
  kind: string;
  /** Enum option names by option id. */
  options: Map<string, string>;
}

/** A `metadata_schemas` row as the exports use it. */
export function metadataSchemaInfo(s: {
  name: string;
  kind: string;
  options: string | null;
}): MetadataSchemaInfo {
  const options = s.options ? (JSON.parse(s.options) as { id: string; name: string }[]) : [];
  return { name: s.name, kind: s.kind, options: new Map(options.map((o) => [o.id, o.name])) };
}

/**
 * A stored metadata value as exported (v2 and V1 alike): numbers as numbers, strings and
 * datetimes (stored ISO) as strings, an enum as its option's name.
 */
export function metadataValue(schema: MetadataSchemaInfo, value: string): string | number {
  if (schema.kind === 'number') return Number(value);
  if (schema.kind === 'enum') return schema.options.get(value) ?? value;
  return value;
}
