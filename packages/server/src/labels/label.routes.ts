/** Routes of label imports. */
import type { ApiRouter } from '../http/api-router.ts';

export function labelRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
