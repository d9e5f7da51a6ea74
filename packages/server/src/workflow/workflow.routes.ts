/** Routes of the labeling workflow: queue, labels, reviews, comments, moves. */
import type { ApiRouter } from '../http/api-router.ts';

export function workflowRoutes(_api: ApiRouter): void {
  // Declared with api.route({...}) as the capability's routes land.
}
