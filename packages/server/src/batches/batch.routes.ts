/** Routes of batches. */
import type { ApiRouter } from '../http/api-router.ts';

export function batchRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
