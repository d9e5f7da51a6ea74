/** `GET /projects/:projectId`: the project summary (the SDK's `client.getProject`). */
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { getProjectSummary } from './project.summary.ts';

export const projectParams = z.object({ projectId: z.string().min(1).max(64) });

export const projectSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  media_type: z.string(),
  ontology_id: z.string(),
  consensus_expected_label_count: z.number().int(),
  data_row_count: z.number().int(),
  last_activity_at: z.string().nullable(),
});

export function projectRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/projects/:projectId',
    summary: 'Get a project with its data row count and last activity',
    tag: 'projects',
    permission: 'project.read',
    params: projectParams,
    responses: { 200: { description: 'The project', schema: projectSummarySchema } },
    handler: async (c, { actor, params }) =>
      c.json(await getProjectSummary(api.store, actor, params.projectId)),
  });
}
