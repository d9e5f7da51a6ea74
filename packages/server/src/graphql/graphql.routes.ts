/**
 * `/graphql`: the Labelbox Python SDK's endpoint (docs/labelbox-graphql.md), a thin adapter over
 * the services the REST API uses. `POST /graphql` answers GraphQL over HTTP; the signed file
 * links it hands out are served by graphql.files.ts.
 *
 * HTTP status: 401 for a missing or bad key, 400 for a request that cannot run (not JSON, parse
 * or validation failure, bad variables), 413 for an oversized body, 429 when too many exports
 * run, else 200 with `data` and any field `errors`. The SDK reads the JSON body of every status
 * below 500 and maps `extensions.code`; it retries 5xx, so 5xx is only for real server faults.
 */
import { randomBytes } from 'node:crypto';
import {
  type DocumentNode,
  execute,
  GraphQLError,
  type GraphQLFormattedError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { authenticate } from '../auth/api-key.service.ts';
import type { AuthEnv } from '../auth/require-actor.ts';
import type { AppEnv } from '../http/context.ts';
import type { ErrorLogger } from '../http/errors.ts';
import { checkInstallSecret } from '../http/install-secret.ts';
import { securityLog } from '../http/log.ts';
import { parseStrictJson } from '../ingest/strict-json.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { type GraphqlContext, makeLinks } from './graphql.context.ts';
import { API_LIMIT_PREFIX, errorOf, formatError, type GraphqlErrorBody } from './graphql.errors.ts';
import { graphqlFileRoutes } from './graphql.files.ts';
import { checkLimits } from './graphql.limits.ts';
import { rootValue } from './graphql.resolvers.ts';
import { buildGraphqlSchema } from './graphql.schema.ts';

export interface GraphqlOptions {
  /** The per-install secret signing file links (http/install-secret.ts); random per app if absent. */
  secret?: Buffer;
  /** The origin clients reach this server at (`PREFER_PUBLIC_URL`); else the request's own. */
  publicUrl?: string;
  /** Largest export chunk in bytes (default 4 MiB; a longer line comes whole). */
  chunkBytes?: number;
  /** Life of a chunk link in seconds (default 15 minutes). */
  linkTtlSeconds?: number;
  /** Where unexpected resolver failures are logged (createApp passes its own). */
  logError?: ErrorLogger;
}

export const MAX_GRAPHQL_BODY_BYTES = 1024 * 1024;
const MAX_TOKENS = 5000;
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_LINK_TTL_SECONDS = 15 * 60;
/** As the REST API's 429: exports of a few thousand rows take about this long. */
const RETRY_AFTER_SECONDS = 10;

const BODY_KEYS = ['query', 'variables', 'operationName', 'extensions'];

export function graphqlRoutes(app: Hono<AppEnv>, store: Store, options: GraphqlOptions = {}): void {
  const schema = buildGraphqlSchema();
  const links = {
    secret: checkInstallSecret(options.secret ?? randomBytes(32)),
    publicUrl: options.publicUrl,
    chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    ttlSeconds: options.linkTtlSeconds ?? DEFAULT_LINK_TTL_SECONDS,
  };
  const logError: ErrorLogger =
    options.logError ??
    (({ requestId, error }) => console.error(`[prefer] ${requestId} POST /graphql failed:`, error));
  const rules = [...specifiedRules, NoSchemaIntrospectionCustomRule];

  app.post(
    '/graphql',
    bodyLimit({
      maxSize: MAX_GRAPHQL_BODY_BYTES,
      onError: (c) =>
        reply(c, 413, [
          errorOf('MALFORMED_REQUEST', `the request body is larger than ${MAX_GRAPHQL_BODY_BYTES} bytes`),
        ]),
    }),
    async (c) => {
      let actor: Actor;
      try {
        actor = await authenticate(store, bearer(c.req.header('authorization')));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'UNAUTHENTICATED') throw err;
        securityLog(c, 'authn.failed');
        c.header('WWW-Authenticate', 'Bearer');
        return reply(c, 401, [errorOf('AUTHENTICATION_ERROR', err.message)]);
      }
      // For the request log, as on the REST routes.
      (c as unknown as Context<AuthEnv>).set('actor', actor);
      const body = await readBody(c);
      if ('fault' in body) return reply(c, 400, [errorOf('MALFORMED_REQUEST', body.fault)]);

      let document: DocumentNode;
      try {
        document = parse(body.query, { maxTokens: MAX_TOKENS, noLocation: false });
      } catch (err) {
        if (!(err instanceof GraphQLError)) throw err;
        return reply(c, 400, [errorOf('GRAPHQL_PARSE_FAILED', err.message)]);
      }
      const invalid = validate(schema, document, rules, { maxErrors: 20 });
      if (invalid.length > 0) {
        return reply(
          c,
          400,
          invalid.map((e) => errorOf('GRAPHQL_VALIDATION_FAILED', e.message)),
        );
      }
      const tooBig = checkLimits(document);
      if (tooBig) return reply(c, 400, [errorOf('GRAPHQL_VALIDATION_FAILED', tooBig)]);

      const requestId = c.get('requestId');
      const contextValue: GraphqlContext = { store, actor, links: makeLinks(links, c.req.url) };
      const result = await execute({
        schema,
        document,
        rootValue,
        contextValue,
        variableValues: body.variables,
        operationName: body.operationName,
      });
      for (const e of result.errors ?? []) {
        if (e.originalError instanceof AppError && e.originalError.code === 'FORBIDDEN') {
          securityLog(c, 'authz.denied', { reason: e.originalError.message });
        }
      }
      const errors = (result.errors ?? []).map((e) =>
        formatError(e, requestId, (error) =>
          logError({ requestId, method: 'POST', path: '/graphql', error }),
        ),
      );
      // No `data` at all: the variables did not fit, or no operation could be chosen.
      if (!('data' in result) || result.data === undefined) return reply(c, 400, errors);
      const limited = errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
      if (limited) {
        c.header('Retry-After', String(RETRY_AFTER_SECONDS));
        return c.json(
          { data: result.data, errors, message: `${API_LIMIT_PREFIX} a limit: ${limited.message}` },
          429,
        );
      }
      return c.json(errors.length > 0 ? { data: result.data, errors } : { data: result.data }, 200);
    },
  );
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/graphql', (c) => {
    c.header('Allow', 'POST');
    return reply(c, 405, [errorOf('MALFORMED_REQUEST', 'send GraphQL requests with POST')]);
  });
  graphqlFileRoutes(app, store, links.secret);
}

type Body =
  | { query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined }
  | { fault: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** `{query, variables?, operationName?, extensions?}` as JSON; anything else is a fault. */
async function readBody(c: Context<AppEnv>): Promise<Body> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(graphql-response\+)?json\s*(;|$)/i.test(type)) {
    return { fault: 'send the request as JSON (Content-Type: application/json)' };
  }
  let value: unknown;
  try {
    value = parseStrictJson(decoder.decode(await c.req.arrayBuffer()));
  } catch {
    return { fault: 'the request body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { fault: 'the request body must be a JSON object {"query": ..., "variables": ...}' };
  }
  const body = value as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !BODY_KEYS.includes(k));
  if (unknown.length > 0) {
    return {
      fault: `unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; valid keys are: ${BODY_KEYS.join(', ')}`,
    };
  }
  const { query, variables, operationName } = body;
  if (typeof query !== 'string' || query.trim() === '')
    return { fault: '"query" must be a GraphQL document' };
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { fault: '"variables" must be an object or null' };
  }
  if (operationName != null && typeof operationName !== 'string') {
    return { fault: '"operationName" must be a string or null' };
  }
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: operationName ?? undefined,
  };
}

function bearer(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

function reply(c: Context<AppEnv>, status: 400 | 401 | 405 | 413, errors: GraphQLFormattedError[]) {
  const body: GraphqlErrorBody = { errors };
  return c.json(body, status);
}
