/**
 * `/graphql`: the Labelbox Python SDK's endpoint (docs/labelbox-graphql.md), a thin adapter over
 * the services the REST API uses. `POST /graphql` answers GraphQL over HTTP; the signed file
 * links it hands out are served by graphql.files.ts.
 *
 * HTTP status: 401 for a missing or bad key, 400 for a request that cannot run (not JSON, parse
 * or validation failure, over the limits of graphql.limits.ts, a subscription, bad variables), 413 for an oversized body, 429 when too many exports
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
import { z } from 'zod';
import { peerAddress } from '../audit/audit.record.ts';
import { authenticate } from '../auth/api-key.service.ts';
import { type AuthEnv, bearerToken } from '../auth/require-actor.ts';
import type { AppEnv } from '../http/context.ts';
import type { ErrorLogger } from '../http/errors.ts';
import { checkInstallSecret } from '../http/install-secret.ts';
import { MAX_JSON_BODY_BYTES, readJsonBody } from '../http/json-body.ts';
import { securityLog } from '../http/log.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { type GraphqlContext, makeLinks } from './graphql.context.ts';
import { API_LIMIT_PREFIX, errorOf, formatError, type GraphqlErrorBody } from './graphql.errors.ts';
import { graphqlFileRoutes } from './graphql.files.ts';
import { checkLimits, MAX_FILE_READS, nulFault, ReadBudget } from './graphql.limits.ts';
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
  /** The clock API keys are judged by (createApp passes its own). */
  now?: () => number;
}

const MAX_TOKENS = 5000;
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_LINK_TTL_SECONDS = 15 * 60;
/** As the REST API's 429: exports of a few thousand rows take about this long. */
const RETRY_AFTER_SECONDS = 10;

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
  const now = options.now ?? Date.now;

  app.post(
    '/graphql',
    bodyLimit({
      maxSize: MAX_JSON_BODY_BYTES,
      onError: (c) =>
        reply(c, 413, [
          errorOf('MALFORMED_REQUEST', `the request body is larger than ${MAX_JSON_BODY_BYTES} bytes`),
        ]),
    }),
    async (c) => {
      let actor: Actor;
      try {
        // API keys only: a browser session cookie is never accepted here, so no CSRF surface.
        const header = c.req.header('authorization');
        actor = await authenticate(store, header === undefined ? undefined : bearerToken(header), now());
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'UNAUTHENTICATED') throw err;
        // The request log records this 401 as `authn.failed` (http/log-events.ts): once.
        c.header('WWW-Authenticate', 'Bearer');
        return reply(c, 401, [errorOf('AUTHENTICATION_ERROR', err.message)]);
      }
      // For the request log, as on the REST routes.
      (c as unknown as Context<AuthEnv>).set('actor', actor);
      let body: z.output<typeof graphqlBody>;
      try {
        body = await readJsonBody(c, graphqlBody);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return reply(c, 400, [errorOf('MALFORMED_REQUEST', err.message)]);
      }

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
          invalid.map((e) => errorOf('GRAPHQL_VALIDATION_FAILED', withHint(e.message))),
        );
      }
      const tooBig = checkLimits(schema, document, body.variables) ?? nulFault(document);
      if (tooBig) return reply(c, 400, [errorOf('GRAPHQL_VALIDATION_FAILED', tooBig)]);

      const requestId = c.get('requestId');
      const contextValue: GraphqlContext = {
        store,
        actor,
        links: makeLinks(links, c.req.url),
        budget: new ReadBudget(MAX_FILE_READS * links.chunkBytes),
        audit: { address: peerAddress(c), now },
      };
      const result = await execute({
        schema,
        document,
        rootValue,
        contextValue,
        variableValues: body.variables ?? undefined,
        operationName: body.operationName ?? undefined,
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

/** GraphQL over HTTP's JSON body; `extensions` is accepted and ignored. */
const graphqlBody = z.strictObject({
  query: z.string().trim().min(1, 'must be a GraphQL document'),
  variables: z.record(z.string(), z.unknown()).nullable().optional(),
  operationName: z.string().nullable().optional(),
  extensions: z.unknown().optional(),
});

function reply(c: Context<AppEnv>, status: 400 | 401 | 405 | 413, errors: GraphQLFormattedError[]) {
  const body: GraphqlErrorBody = { errors };
  return c.json(body, status);
}

/**
 * A field, argument or type prefer lacks is an SDK call it cannot answer yet: graphql-js names
 * it ("Cannot query field "x" on type "Query"."), and the SDK raises InvalidQueryError with this.
 */
const MISSING = /^(Cannot query field|Unknown argument|Unknown type) /;
function withHint(message: string): string {
  if (!MISSING.test(message)) return message;
  return `${message} prefer answers only the Labelbox SDK operations listed in docs/labelbox-graphql.md; please report the SDK call that sent this.`;
}
