/**
 * The HTTP application: common middleware, the error mapping, and each capability's routes under
 * `/api/v1`. Tests drive it in-process with `app.request()`; `startServer` puts it on a port.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { requireActor } from '../auth/require-actor.ts';
import { exportRoutes } from '../exports/export.routes.ts';
import { exportTaskRoutes } from '../exports/export-task.routes.ts';
import { projectRoutes } from '../projects/project.routes.ts';
import type { Store } from '../store/store.ts';
import type { AppEnv } from './context.ts';
import { type ErrorLogger, errorHandler, notFoundHandler } from './errors.ts';
import { responseHeaders } from './headers.ts';
import { healthRoutes } from './health.routes.ts';

export interface AppOptions {
  store: Store;
  /** Where unexpected errors are logged (default: stderr). */
  logError?: ErrorLogger;
}

export function createApp(options: AppOptions): Hono<AppEnv> {
  const { store } = options;
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(responseHeaders);
  app.onError(errorHandler(options.logError));
  app.notFound(notFoundHandler);

  const api = new Hono<AppEnv>();
  api.route('/', healthRoutes(store));
  // Everything after health needs an API key (unknown paths too: 401 before 404 hides routes).
  api.use('*', requireActor(store));
  api.route('/', projectRoutes(store));
  api.route('/', exportRoutes(store));
  api.route('/', exportTaskRoutes(store));
  // Capability routes mount here: api.route('/', <capability>Routes(store)).
  app.route('/api/v1', api);
  return app;
}
