/** Routes of data rows (NDJSON import, list, read). */
import type { ApiRouter } from '../http/api-router.ts';

export function dataRowRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
