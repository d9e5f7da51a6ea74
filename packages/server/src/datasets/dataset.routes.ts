/** Routes of datasets. */
import type { ApiRouter } from '../http/api-router.ts';

export function datasetRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
