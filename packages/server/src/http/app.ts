/**
 * The HTTP application: common middleware, the error mapping, and each capability's routes under
 * `/api/v1`. Tests drive it in-process with `app.request()`; `startServer` puts it on a port.
 */
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { exportRoutes } from '../exports/export.routes.ts';
import { exportTaskRoutes } from '../exports/export-task.routes.ts';
import { projectRoutes } from '../projects/project.routes.ts';
import type { Store } from '../store/store.ts';
import { ApiRouter } from './api-router.ts';
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

  app.route('/api/v1', apiRouter(store).build());
  return app;
}

/** Every capability's routes, declared on one router (the OpenAPI document is made from it). */
export function apiRouter(store: Store): ApiRouter {
  const api = new ApiRouter(store);
  healthRoutes(api);
  projectRoutes(api);
  exportRoutes(api);
  exportTaskRoutes(api);
  return api;
}
