import type { RequestIdVariables } from 'hono/request-id';

/** The hono environment of every prefer route: the request id is set before any handler runs. */
export type AppEnv = { Variables: RequestIdVariables };
