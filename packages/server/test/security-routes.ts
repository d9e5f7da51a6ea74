/**
 * How the security suites call every declared route: the real ids each path parameter needs. A
 * route whose parameters are more than `:projectId` must have an entry in `ROUTE_FIXTURES`, or
 * the suites fail naming it, so a new route cannot slip past the role and cross-tenant tests.
 * A fixture may create a fresh resource per call (for routes that change or delete it).
 */
import { isDeepStrictEqual } from 'node:util';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createBatch } from '../src/batches/batch.service.ts';
import { startExport } from '../src/exports/tasks/export-start.service.ts';
import type { DeclaredRoute } from '../src/http/api-router.ts';
import { apiRouter } from '../src/http/app.ts';
import { deleteTarget } from '../src/lifecycle/lifecycle.service.ts';
import { ensureUser } from '../src/orgs/org.service.ts';
import { addMember } from '../src/projects/member.service.ts';
import { setArchived } from '../src/projects/project.edit.ts';
import { createProject } from '../src/projects/project.service.ts';
import { newId } from '../src/shared/ids.ts';
import type { Store } from '../src/store/store.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import { type Answer, type Member, roleMember, type World } from './security-world.ts';
import { seedDataset } from './support/seed-rows.ts';
import { answers } from './workflow-helpers.ts';

type Params = Record<string, string>;
type Fixture = (w: World, caller: Member) => Promise<Params>;

const once = new WeakMap<World, Map<string, Promise<Params>>>();
/** A fixture made once per world (for resources that read-only routes share). */
function shared(name: string, make: (w: World) => Promise<Params>): Fixture {
  return (w) => {
    const made = once.get(w) ?? new Map<string, Promise<Params>>();
    once.set(w, made);
    const params = made.get(name) ?? make(w);
    made.set(name, params);
    return params;
  };
}

const dataset: Fixture = async (w) => ({ datasetId: w.datasetId });
const exportTask = shared('export task', async (w) => {
  const task = await startExport(w.store, w.a.admin.actor, { projectId: w.projectId });
  return { id: task.id };
});

/** The SDK's result_url names the task's organization too. */
const exportTaskOfOrg: Fixture = async (w, caller) => ({
  ...(await exportTask(w, caller)),
  orgId: w.a.admin.actor.orgId,
});

/** A label of P's labeler (a labeler may read only their own; comments need a row they labeled). */
const labelOfLabeler = shared('label', async (w) => {
  const labeler = w.a.labeler.actor;
  const row = await nextRow(w.store, labeler, { projectId: w.projectId });
  if (!row) throw new Error('the world has no row left to label');
  const label = await submitLabel(w.store, labeler, {
    projectId: w.projectId,
    dataRowId: row.dataRowId,
    idempotencyKey: `fixture-${newId()}`,
    secondsToCreate: 5,
    classifications: answers(),
  });
  return { projectId: w.projectId, labelId: label.labelId, dataRowId: row.dataRowId };
});
/** A fresh labeler of P, for routes that change or remove a membership. */
const freshMember: Fixture = async (w) => {
  const m = await roleMember(w.store, w.a.admin.actor, 'labeler', w.projectId, 'target');
  return { projectId: w.projectId, userId: m.actor.userId };
};
const freshUser: Fixture = async (w) => {
  const user = await w.store.write((tx) =>
    ensureUser(tx, w.a.admin.actor.orgId, `target-${newId().slice(-10)}@example.com`),
  );
  return { userId: user.id };
};

/**
 * A fresh project where the cast holds the roles it holds in P (the outsider none), with a batch
 * of P's rows: for the lifecycle routes that archive, delete or restore what they name.
 */
async function freshProject(w: World): Promise<{ projectId: string; batchId: string }> {
  const admin = w.a.admin.actor;
  const { id: projectId } = await createProject(w.store, admin, {
    name: 'lifecycle',
    ontologyId: w.ontologyId,
  });
  for (const role of ['manager', 'reviewer', 'labeler'] as const) {
    await addMember(w.store, admin, projectId, { userId: w.a[role].actor.userId, role });
  }
  const batch = await createBatch(w.store, admin, { projectId, name: 'b', dataRowIds: w.rowIds.slice(0, 2) });
  return { projectId, batchId: batch.id };
}
const freshLabel = async (w: World) => {
  const { projectId } = await freshProject(w);
  const labeler = w.a.labeler.actor;
  const row = await nextRow(w.store, labeler, { projectId });
  const label = await submitLabel(w.store, labeler, {
    projectId,
    dataRowId: row!.dataRowId,
    idempotencyKey: `fixture-${newId()}`,
    secondsToCreate: 5,
    classifications: answers(),
  });
  return { projectId, labelId: label.labelId };
};
const freshRow = async (w: World) => {
  const { rows } = await seedDataset(w.store, w.a.admin.actor, 1);
  return {
    dataRowId: rows[0]!.id,
    datasetId: (
      await w.store.db
        .selectFrom('data_rows')
        .where('id', '=', rows[0]!.id)
        .select('dataset_id')
        .executeTakeFirstOrThrow()
    ).dataset_id,
  };
};
const lifecycleFixtures: Record<string, Fixture> = {
  'DELETE /projects/:projectId': async (w) => ({ projectId: (await freshProject(w)).projectId }),
  'POST /projects/:projectId/restore': async (w) => {
    const { projectId } = await freshProject(w);
    await deleteTarget(w.store, w.a.admin.actor, { kind: 'project', id: projectId });
    return { projectId };
  },
  'POST /projects/:projectId/archive': async (w) => ({ projectId: (await freshProject(w)).projectId }),
  'POST /projects/:projectId/unarchive': async (w) => {
    const { projectId } = await freshProject(w);
    await setArchived(w.store, w.a.admin.actor, projectId, true);
    return { projectId };
  },
  'PATCH /projects/:projectId/batches/:batchId': async (w) => freshProject(w),
  'DELETE /projects/:projectId/batches/:batchId': async (w) => freshProject(w),
  'POST /projects/:projectId/batches/:batchId/restore': async (w) => {
    const made = await freshProject(w);
    await deleteTarget(w.store, w.a.admin.actor, {
      kind: 'batch',
      id: made.batchId,
      projectId: made.projectId,
      labels: 'keep',
    });
    return made;
  },
  'DELETE /projects/:projectId/labels/:labelId': freshLabel,
  'POST /projects/:projectId/labels/:labelId/restore': async (w) => {
    const made = await freshLabel(w);
    await deleteTarget(w.store, w.a.admin.actor, {
      kind: 'label',
      id: made.labelId,
      projectId: made.projectId,
    });
    return made;
  },
  'PATCH /datasets/:datasetId': dataset,
  'PATCH /ontologies/:ontologyId': async (w) => ({ ontologyId: w.ontologyId }),
  'DELETE /datasets/:datasetId': async (w) => ({ datasetId: (await freshRow(w)).datasetId }),
  'POST /datasets/:datasetId/restore': async (w) => {
    const { datasetId } = await freshRow(w);
    await deleteTarget(w.store, w.a.admin.actor, { kind: 'dataset', id: datasetId });
    return { datasetId };
  },
  'DELETE /data-rows/:dataRowId': async (w) => ({ dataRowId: (await freshRow(w)).dataRowId }),
  'POST /data-rows/:dataRowId/restore': async (w) => {
    const { dataRowId } = await freshRow(w);
    await deleteTarget(w.store, w.a.admin.actor, { kind: 'data_row', id: dataRowId });
    return { dataRowId };
  },
};

export const ROUTE_FIXTURES: Record<string, Fixture> = {
  ...lifecycleFixtures,
  'GET /users/:userId': async (w) => ({ userId: w.a.labeler.actor.userId }),
  'PATCH /users/:userId': freshUser,
  // Each caller revokes a key of their own, made for the call.
  'DELETE /keys/:keyId': async (w, caller) => ({
    keyId: (await createApiKey(w.store, caller.actor, { name: 'to revoke' })).id,
  }),
  'PATCH /projects/:projectId/members/:userId': freshMember,
  'DELETE /projects/:projectId/members/:userId': freshMember,
  'GET /projects/:projectId/labels/:labelId': labelOfLabeler,
  'POST /projects/:projectId/labels/:labelId/review': labelOfLabeler,
  'GET /projects/:projectId/data-rows/:dataRowId/comments': labelOfLabeler,
  'POST /projects/:projectId/data-rows/:dataRowId/comments': labelOfLabeler,
  // A row of P nobody holds: permitted callers get past authorization to 409 LEASE_LOST.
  'POST /projects/:projectId/leases/:dataRowId/renew': async (w) => ({
    projectId: w.projectId,
    dataRowId: w.rowIds.at(-1)!,
  }),
  'GET /datasets/:datasetId': dataset,
  'POST /datasets/:datasetId/data-rows': dataset,
  'GET /datasets/:datasetId/data-rows': dataset,
  'GET /data-rows/:dataRowId': async (w) => ({ dataRowId: w.rowIds[0]! }),
  'GET /ontologies/:ontologyId': async (w) => ({ ontologyId: w.ontologyId }),
  'GET /export-tasks/:id': exportTask,
  'GET /export-tasks/:id/result': exportTask,
  'GET /export-tasks/:id/errors': exportTask,
  'GET /export-results/:id/:orgId': exportTaskOfOrg,
  'GET /export-errors/:id/:orgId': exportTaskOfOrg,
};

/**
 * Routes where a permitted caller with an API key gets a 404 that is no authorization answer,
 * with the reason (the role matrix accepts that 404 there, and only there).
 */
export const NOT_FOUND_BY_DESIGN: Record<string, string> = {
  'GET /auth/session': 'a request made with an API key has no session to describe',
};

/** Reads that a permitted caller may still be refused with these fixtures, and why. */
export const NOT_READ_BY_DESIGN: Record<string, string> = {
  ...NOT_FOUND_BY_DESIGN,
  'GET /export-tasks/:id/result': 'the fixture task is never run (no worker): 409 TASK_NOT_READY',
  'GET /export-tasks/:id/errors': 'the fixture task is never run (no worker): 409 TASK_NOT_READY',
  'GET /export-results/:id/:orgId': 'the fixture task is never run (no worker): 409 TASK_NOT_READY',
  'GET /export-errors/:id/:orgId': 'the fixture task is never run (no worker): 409 TASK_NOT_READY',
  'GET /projects/:projectId/stats':
    "the world's preference options name no model output title: 400 until a mapping says which is which",
};

export const routeKey = (r: Pick<DeclaredRoute, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;
export const paramNames = (path: string) => [...path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);

/** Every declared route but the public ones. */
export function privateRoutes(store: Store): DeclaredRoute[] {
  return apiRouter(store).routes.filter((r) => r.permission !== 'public');
}

/** Routes with parameters the fixtures do not cover (the suites fail when there is one). */
export function uncovered(routes: readonly DeclaredRoute[]): string[] {
  return routes
    .filter((r) => paramNames(r.path).some((n) => n !== 'projectId') && !ROUTE_FIXTURES[routeKey(r)])
    .map(routeKey);
}

/** Real ids for the route's parameters, as `caller` would name them in the world's project. */
export async function paramsFor(route: DeclaredRoute, w: World, caller: Member): Promise<Params> {
  const names = paramNames(route.path);
  const fixture = ROUTE_FIXTURES[routeKey(route)];
  if (fixture) return fixture(w, caller);
  if (names.some((n) => n !== 'projectId')) throw new Error(`no fixture for ${routeKey(route)}`);
  return names.length > 0 ? { projectId: w.projectId } : {};
}

export function fillPath(path: string, params: Params): string {
  return `/api/v1${path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))}`;
}

/** A body the route accepts the shape of (validation may still refuse it, after authorization). */
export function minimalBody(route: DeclaredRoute): { body?: string; contentType?: string } {
  if (route.body) return { body: '{}' };
  if (route.rawBody) return { body: '', contentType: route.rawBody.contentType };
  return {};
}

/**
 * Why a successful answer does not match the response the route declares (null when it does): a
 * status the route does not declare, or a JSON body its schema refuses or would change (a key
 * the schema does not know is dropped by zod, so a body that parses to something else has keys
 * or values the OpenAPI document does not describe).
 */
export function undeclaredAnswer(route: DeclaredRoute, answer: Answer): string | null {
  if (answer.status < 200 || answer.status >= 300) return null;
  const declared = route.responses[answer.status];
  if (!declared) return `status ${answer.status} is not among the declared ${Object.keys(route.responses)}`;
  if (!declared.schema) return null;
  if (answer.json === undefined) return `declares a JSON body, got ${answer.text.slice(0, 100)}`;
  const parsed = declared.schema.safeParse(answer.json);
  if (!parsed.success) return `body does not match its schema: ${parsed.error.message.slice(0, 300)}`;
  if (!isDeepStrictEqual(parsed.data, answer.json))
    return `body has what its schema does not declare: ${answer.text.slice(0, 200)}`;
  return null;
}
