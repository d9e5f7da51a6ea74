/** Routes of users, sessions (login/logout), the caller's account, API keys and project members. */
import type { ApiRouter } from '../http/api-router.ts';

export function accountRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
