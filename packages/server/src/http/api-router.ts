/**
 * Every `/api/v1` route is declared here as a spec: its method and path, its permission from the
 * one matrix (auth/permissions.ts), and zod schemas for params, query, body and responses. The
 * router authenticates, authorizes, validates, then calls the handler; the same specs generate
 * the OpenAPI document (http/openapi.ts) and drive the route-coverage and role tests.
 *
 * Order of checks, so a caller learns nothing they may not know: 401 without credentials; 404
 * for a project (or a resource's project) outside their access; 403 for a role not allowed;
 * then 400/413/422 for the request itself.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { AUDIT_FIELDS, actionOf, auditWrites } from '../audit/audit.record.ts';
import { type OriginPolicy, originPolicy } from '../auth/csrf.ts';
import {
  authorizeOrg,
  authorizeProject,
  PERMISSIONS,
  type Permission,
  type ProjectAccess,
} from '../auth/permissions.ts';
import { type AuthEnv, requireActor } from '../auth/require-actor.ts';
import type { Actor } from '../orgs/actor.ts';
import { refuseArchived, refuseIfArchived } from '../projects/project.edit.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import type { AppEnv } from './context.ts';
import { jsonBodyLimit, readJsonBody, rejectUnknownKeys } from './json-body.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject;

export interface ResponseSpec {
  description: string;
  /** A JSON body; omit for empty answers or with `contentType` for files and streams. */
  schema?: z.ZodType;
  contentType?: string;
}

interface BaseSpec<P extends AnyObject, Q extends AnyObject, B extends AnyObject> {
  method: Method;
  /** The path under `/api/v1`, hono style (`/projects/:projectId`). */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  /** A JSON object body, read strictly (json-body.ts). */
  body?: B;
  /** Request headers the route reads, by their canonical names (validated, and documented). */
  headers?: z.ZodObject;
  /** A body the handler streams itself (NDJSON uploads): limited here, documented by type. */
  rawBody?: { contentType: string; description: string; maxBytes: number };
  responses: Record<number, ResponseSpec>;
}

export interface Input<P extends AnyObject, Q extends AnyObject, B extends AnyObject> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  /** The declared headers, checked; keyed by the names the spec gives. */
  headers: Record<string, string>;
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends AnyObject>
  extends BaseSpec<P, Q, B> {
  permission: Permission;
  /**
   * For project permissions on paths without `:projectId`: the project of the resource the path
   * names, looked up inside the caller's organization (404 otherwise).
   */
  projectOf?: (store: Store, actor: Actor, params: z.output<P>) => Promise<string>;
  /** The route acts on a deleted project (its restore): only deleted projects resolve. */
  deletedProject?: true;
  /**
   * Writes to an archived project are refused (409) except by exports, member changes and the
   * routes that declare `archived: 'allow'` (unarchive, delete).
   */
  archived?: 'allow';
  /**
   * The hot write routes: the audit entry goes into the request's write transaction (the handler
   * hands `auditHookOf(c)` to its service's `writeWith`), with the route's lowest success
   * status, and is corrected after the answer if that differs (audit/audit.record.ts `auditWrites`).
   */
  auditInWrite?: true;
  handler: (
    c: Context<AuthEnv>,
    input: Input<P, Q, B> & { actor: Actor; access: ProjectAccess | undefined },
  ) => Response | Promise<Response>;
}

export interface PublicRouteSpec<P extends AnyObject, Q extends AnyObject, B extends AnyObject>
  extends BaseSpec<P, Q, B> {
  handler: (c: Context<AppEnv>, input: Input<P, Q, B>) => Response | Promise<Response>;
}

/** What the OpenAPI generator and the coverage tests read. */
export type DeclaredRoute = BaseSpec<AnyObject, AnyObject, AnyObject> & {
  permission: Permission | 'public';
  resolvesProject: boolean;
};

const EMPTY = z.strictObject({});

/** Writes an archived project still takes: exports (reads that make files) and who may read it. */
const ARCHIVE_EXEMPT = new Set<Permission>(['export', 'project.members']);

/** `params`: a project route's path parameters, parsed once before the project lookup. */
type RouterEnv = { Variables: AuthEnv['Variables'] & { params?: Record<string, unknown> } };

export class ApiRouter {
  readonly routes: DeclaredRoute[] = [];
  readonly #public = new Hono<AppEnv>();
  readonly #private = new Hono<RouterEnv>();

  /** Where cookie requests may come from (auth/csrf.ts). */
  readonly origins: OriginPolicy;
  /** PREFER_PUBLIC_URL, for links the server hands out; undefined: the request's origin. */
  readonly publicUrl: string | undefined;
  /** The clock that authentication judges keys and sessions by. */
  readonly now: () => number;

  /** `publicUrl`: PREFER_PUBLIC_URL, the origin browsers reach the server at. */
  constructor(
    readonly store: Store,
    options: { publicUrl?: string | undefined; now?: (() => number) | undefined } = {},
  ) {
    this.origins = originPolicy(options.publicUrl);
    this.publicUrl = options.publicUrl;
    this.now = options.now ?? Date.now;
  }

  publicRoute<
    P extends AnyObject = typeof EMPTY,
    Q extends AnyObject = typeof EMPTY,
    B extends AnyObject = typeof EMPTY,
  >(spec: PublicRouteSpec<P, Q, B>): void {
    this.#declare(spec, 'public', false);
    const handler: MiddlewareHandler<AppEnv> = async (c) => spec.handler(c, await readInput(c, spec));
    this.#public.on(spec.method.toUpperCase(), [spec.path], ...this.#bodyGuard(spec), handler);
  }

  route<
    P extends AnyObject = typeof EMPTY,
    Q extends AnyObject = typeof EMPTY,
    B extends AnyObject = typeof EMPTY,
  >(spec: RouteSpec<P, Q, B>): void {
    const { permission } = spec;
    const scope = PERMISSIONS[permission].scope;
    if (scope === 'project' && !spec.projectOf && !spec.path.includes(':projectId')) {
      throw new Error(`${spec.method} ${spec.path}: a project permission needs :projectId or projectOf`);
    }
    this.#declare(spec, permission, spec.projectOf !== undefined);
    const store = this.store;
    const authorize: MiddlewareHandler<RouterEnv> = async (c, next) => {
      const actor = c.get('actor');
      if (scope === 'org') {
        await authorizeOrg(store.db, actor, permission);
      } else {
        const params = parseParams(c, spec.params);
        c.set('params', params);
        const { projectOf } = spec;
        if (projectOf) {
          // A resource whose project the caller has no role in answers exactly as a missing one: the
          // message must not say that it exists or which project holds it.
          const access = await projectOf(store, actor, params as z.output<P>)
            .then((projectId) => authorizeProject(store.db, actor, projectId, permission))
            .catch((err: unknown) => {
              if (err instanceof AppError && err.code === 'NOT_FOUND')
                throw new AppError('NOT_FOUND', `no resource at ${c.req.path}`);
              throw err;
            });
          c.set('access', access);
        } else {
          const projectId = (params as Record<string, string>).projectId!;
          const options = { deleted: spec.deletedProject === true };
          const known = c.get('keyAccess');
          c.set('access', await authorizeProject(store.db, actor, projectId, permission, options, known));
        }
        const writes = spec.method !== 'get' && spec.archived !== 'allow';
        if (writes && !ARCHIVE_EXEMPT.has(permission)) {
          const access = c.get('access')!;
          if (access.archivedAt === undefined) await refuseArchived(store, access.projectId);
          else refuseIfArchived(access.projectId, access.archivedAt);
        }
      }
      await next();
    };
    const handler: MiddlewareHandler<RouterEnv> = async (c) => {
      const input = await readInput(c, spec, c.get('params'));
      (c.set as (key: string, value: unknown) => void)(AUDIT_FIELDS, Object.keys(input.body ?? {}).sort());
      return spec.handler(c, { ...input, actor: c.get('actor'), access: c.get('access') });
    };
    // Every write is audited (audit/audit.record.ts), whatever its outcome, authorization included.
    const inWriteStatus = spec.auditInWrite
      ? Math.min(
          ...Object.keys(spec.responses)
            .map(Number)
            .filter((s) => s >= 200 && s < 300),
        )
      : undefined;
    const audit =
      spec.method === 'get'
        ? []
        : [auditWrites(store, { ...spec, action: actionOf(spec), inWriteStatus }, this.now)];
    this.#private.on(
      spec.method.toUpperCase(),
      [spec.path],
      ...audit,
      authorize,
      ...this.#bodyGuard(spec),
      handler,
    );
  }

  /** The hono app to mount at `/api/v1`: public routes, then authentication, then the rest. */
  build(): Hono<AppEnv> {
    const app = new Hono<AppEnv>();
    app.route('/', this.#public);
    // Unknown paths answer 401 before 404 too, so they do not reveal which routes exist.
    app.use('*', requireActor(this.store, this.origins, this.now));
    app.route('/', this.#private as unknown as Hono<AppEnv>);
    return app;
  }

  #declare(
    spec: BaseSpec<AnyObject, AnyObject, AnyObject>,
    permission: Permission | 'public',
    resolves: boolean,
  ) {
    const twin = this.routes.find((r) => r.method === spec.method && r.path === spec.path);
    if (twin) throw new Error(`route ${spec.method} ${spec.path} is declared twice`);
    this.routes.push({ ...spec, permission, resolvesProject: resolves });
  }

  #bodyGuard(spec: BaseSpec<AnyObject, AnyObject, AnyObject>): MiddlewareHandler[] {
    if (spec.body) return [jsonBodyLimit];
    const raw = spec.rawBody;
    if (!raw) return [];
    return [rawBodyLimit(raw.maxBytes)];
  }
}

/**
 * Limits a streamed upload without buffering it (hono's bodyLimit holds a chunked body in memory
 * until its end): a Content-Length over the limit is refused before reading; a chunked body is
 * counted as the handler reads it and fails with 413 at the first byte past the limit.
 */
function rawBodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = () =>
    new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${maxBytes} bytes`);
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const length = c.req.header('content-length');
    if (length !== undefined && !c.req.raw.headers.has('transfer-encoding')) {
      if (Number(length) > maxBytes) throw tooLarge();
      return next();
    }
    let size = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > maxBytes) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    return next();
  };
}

/** The request's input; `parsed`: the path parameters when authorization already parsed them. */
async function readInput<P extends AnyObject, Q extends AnyObject, B extends AnyObject>(
  c: Context,
  spec: BaseSpec<P, Q, B>,
  parsed: Record<string, unknown> = parseParams(c, spec.params),
): Promise<Input<P, Q, B>> {
  const params = parsed as z.output<P>;
  const query = parseQuery(c, spec.query) as z.output<Q>;
  const body = (spec.body ? await readJsonBody(c, spec.body) : {}) as z.output<B>;
  return { params, query, body, headers: parseHeaders(c, spec.headers) };
}

function parseHeaders(c: Context, schema: AnyObject | undefined): Record<string, string> {
  if (!schema) return {};
  const raw: Record<string, string | undefined> = Object.create(null);
  for (const name of Object.keys(schema.shape)) raw[name] = c.req.header(name);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as Record<string, string>;
  const first = parsed.error.issues[0];
  throw new AppError('BAD_REQUEST', `the ${String(first?.path[0])} header ${first?.message ?? 'is invalid'}`);
}

/**
 * NUL: SQLite stores it, PostgreSQL text refuses it with an error. Refused here, at the edge, so
 * both backends answer alike (and no query ever sees one).
 */
const hasNul = (value: string) => value.includes('\u0000');

function parseParams(c: Context, schema: AnyObject | undefined): Record<string, unknown> {
  const raw = c.req.param() as Record<string, string>;
  // A malformed id names nothing that exists.
  if (Object.values(raw).some(hasNul)) throw new AppError('NOT_FOUND', `no resource at ${c.req.path}`);
  if (!schema) return raw;
  const parsed = schema.safeParse(raw);
  // A malformed id names nothing that exists.
  if (!parsed.success) throw new AppError('NOT_FOUND', `no resource at ${c.req.path}`);
  return parsed.data;
}

/**
 * Query strings: each key at most once, unknown keys refused with the valid ones listed, values
 * checked by the route's schema (which coerces numbers and booleans).
 */
function parseQuery(c: Context, schema: AnyObject | undefined): Record<string, unknown> {
  const all = c.req.queries();
  const names = Object.keys(all);
  const shape = schema ?? EMPTY;
  rejectUnknownKeys(names, shape, 'in the query string');
  const single: Record<string, string> = Object.create(null);
  for (const name of names) {
    const values = all[name]!;
    if (values.length > 1)
      throw new AppError('BAD_REQUEST', `the query parameter ${name} is given more than once`);
    if (hasNul(values[0]!))
      throw new AppError('BAD_REQUEST', `query parameter ${name}: must not contain NUL (\\u0000)`);
    single[name] = values[0]!;
  }
  const parsed = shape.safeParse(single);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `query parameter ${first.path.join('.')}: ` : '';
  throw new AppError('BAD_REQUEST', `${where}${first?.message ?? 'invalid query string'}`);
}
