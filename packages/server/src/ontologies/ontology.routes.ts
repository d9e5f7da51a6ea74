/** Routes of ontologies. */
import type { ApiRouter } from '../http/api-router.ts';

export function ontologyRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
