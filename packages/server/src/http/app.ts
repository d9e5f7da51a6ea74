/**
 * The HTTP application: common middleware, the error mapping, and each capability's routes under
 * `/api/v1`. Tests drive it in-process with `app.request()`; `startServer` puts it on a port.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { accountRoutes } from '../accounts/account.routes.ts';
import { auditRoutes } from '../audit/audit.routes.ts';
import { batchRoutes } from '../batches/batch.routes.ts';
import { dataRowRoutes } from '../data-rows/data-row.routes.ts';
import { datasetRoutes } from '../datasets/dataset.routes.ts';
import { exportRoutes } from '../exports/tasks/export.routes.ts';
import { exportTaskRoutes } from '../exports/tasks/export-task.routes.ts';
import { DEFAULT_STREAM_LIMITS, StreamGate, type StreamLimits } from '../exports/tasks/stream-gate.ts';
import { type GraphqlOptions, graphqlRoutes } from '../graphql/graphql.routes.ts';
import { PUBLIC_URL_ENV, parsePublicUrl } from '../graphql/public-url.ts';
import { migrationRoutes } from '../labelbox-import/migration.routes.ts';
import { labelRoutes } from '../labels/label-import.routes.ts';
import { lifecycleRoutes } from '../lifecycle/lifecycle.routes.ts';
import { ontologyRoutes } from '../ontologies/ontology.routes.ts';
import { consoleRoutes } from '../projects/console.routes.ts';
import { projectRoutes } from '../projects/project.routes.ts';
import type { Store } from '../store/store.ts';
import { trainingRoutes } from '../training/training.routes.ts';
import { workflowRoutes } from '../workflow/workflow.routes.ts';
import { ApiRouter } from './api-router.ts';
import type { AppEnv } from './context.ts';
import { type ErrorLogger, errorHandler, notFoundHandler } from './errors.ts';
import { responseHeaders } from './headers.ts';
import { healthRoutes } from './health.routes.ts';
import { createLogger, type Logger, logUnexpected, requestLog } from './log.ts';
import { type WebAppOptions, webAppRoutes } from './web-app.ts';

export interface AppOptions {
  store: Store;
  /** Request, security and error logs (default: JSON lines on stdout at `PREFER_LOG_LEVEL`). */
  logger?: Logger;
  /** Where unexpected errors are logged (default: the logger). */
  logError?: ErrorLogger;
  /**
   * The URL browsers and clients reach the server at (PREFER_PUBLIC_URL, checked by
   * parsePublicUrl; default: that variable): cookie requests must come from its origin, and
   * `/graphql` builds its links on it. Unset: the request's own origin (its Host header).
   */
  publicUrl?: string | undefined;
  /** `/graphql` (the Labelbox SDK's endpoint): the link-signing secret, public URL, chunk size. */
  graphql?: GraphqlOptions;
  /** Caps and idle timeout of streamed exports (default `DEFAULT_STREAM_LIMITS`). */
  streams?: StreamLimits;
  /** The clock requests are judged by (key expiry, session idleness); tests pass their own. */
  now?: () => number;
  /** The built web app to serve at `/` (with history fallback); none: the API only. */
  web?: WebAppOptions;
  /** Labelled rows up to which GET /projects/:id/stats answers in the request (default 20,000). */
  statsSyncMaxRows?: number | undefined;
}

export function createApp(options: AppOptions): Hono<AppEnv> {
  const { store } = options;
  const logger = options.logger ?? createLogger();
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(requestLog(logger));
  app.use(responseHeaders);
  app.onError(errorHandler(options.logError ?? ((entry) => logUnexpected(logger, entry))));
  app.notFound(notFoundHandler);

  const publicUrl = 'publicUrl' in options ? options.publicUrl : parsePublicUrl(process.env[PUBLIC_URL_ENV]);
  const now = options.now ?? Date.now;
  app.route(
    '/api/v1',
    apiRouter(store, {
      publicUrl,
      streamLimits: options.streams,
      now,
      statsSyncMaxRows: options.statsSyncMaxRows,
    }).build(),
  );
  graphqlRoutes(app, store, {
    logError: options.logError ?? ((e) => logUnexpected(logger, e)),
    publicUrl,
    now,
    ...options.graphql,
  });
  if (options.web) webAppRoutes(app, options.web);
  return app;
}

/** Every capability's routes, declared on one router (the OpenAPI document is made from it). */
export function apiRouter(
  store: Store,
  options: {
    publicUrl?: string | undefined;
    streamLimits?: StreamLimits | undefined;
    now?: (() => number) | undefined;
    statsSyncMaxRows?: number | undefined;
  } = {},
): ApiRouter {
  const api = new ApiRouter(store, { publicUrl: options.publicUrl, now: options.now });
  // One gate for the process's streamed exports, which /health reports.
  const streams = new StreamGate(options.streamLimits ?? DEFAULT_STREAM_LIMITS);
  healthRoutes(api, streams);
  accountRoutes(api);
  datasetRoutes(api);
  dataRowRoutes(api);
  ontologyRoutes(api);
  projectRoutes(api);
  consoleRoutes(api);
  batchRoutes(api);
  labelRoutes(api);
  migrationRoutes(api);
  workflowRoutes(api);
  exportRoutes(api, streams);
  exportTaskRoutes(api);
  trainingRoutes(api, { statsSyncMaxRows: options.statsSyncMaxRows });
  lifecycleRoutes(api);
  auditRoutes(api);
  return api;
}
