/**
 * Projects: `POST /projects`, `GET /projects` (only those the caller holds a role in) and
 * `GET /projects/:projectId` (the summary the SDK's `client.getProject` reads).
 */
import { MMC_EDITOR_TASK_TYPES, projectSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { withFieldNames } from '../http/field-names.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { createProject, PROJECT_WIRE_NAMES } from './project.service.ts';
import { getProjectSummary, listProjectPage } from './project.summary.ts';

export const projectParams = z.object({ projectId: z.string().min(1).max(64) });

const createBody = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  ontology_id: z.string(),
  /** The one media type prefer labels. */
  media_type: z.literal('CONVERSATIONAL').optional(),
  /** Labels wanted per data row (consensus): 1 (default) to 10. */
  consensus_expected_label_count: z.number().optional(),
  /** A multimodal chat evaluation project (conversation v2 rows, message tools): Labelbox's editorTaskType. */
  editor_task_type: z.enum(MMC_EDITOR_TASK_TYPES).optional(),
});

export function projectRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects',
    summary: 'Create a project on an ontology (the creator becomes its manager)',
    tag: 'projects',
    permission: 'projects.create',
    body: createBody,
    responses: { 201: { description: 'The project', schema: projectSchema } },
    handler: async (c, { actor, body }) => {
      const created = await withFieldNames(PROJECT_WIRE_NAMES, () =>
        createProject(store, actor, {
          name: body.name,
          ontologyId: body.ontology_id,
          description: body.description,
          consensusLabels: body.consensus_expected_label_count,
          editorTaskType: body.editor_task_type,
        }),
      );
      return c.json(await getProjectSummary(store, actor, created.id), 201);
    },
  });
  api.route({
    method: 'get',
    path: '/projects',
    summary: 'List the projects the caller holds a role in (an admin: all), oldest first',
    tag: 'projects',
    permission: 'projects.list',
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of projects', schema: pageOf(projectSchema) } },
    handler: async (c, { actor, query }) => c.json(await listProjectPage(store, actor, query)),
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId',
    summary: 'Get a project with its data row count and last activity',
    tag: 'projects',
    permission: 'project.read',
    params: projectParams,
    responses: { 200: { description: 'The project', schema: projectSchema } },
    handler: async (c, { actor, params }) => c.json(await getProjectSummary(store, actor, params.projectId)),
  });
}
