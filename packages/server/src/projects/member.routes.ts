/** `/projects/:projectId/members`: who holds which role in a project (admins and its managers). */
import { memberSchema, projectRoleSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { addMember, changeMemberRole, listMembers, removeMember } from './member.service.ts';

const projectParams = z.object({ projectId: z.string().min(1).max(64) });
const memberParams = projectParams.extend({ userId: z.string().min(1).max(64) });

export function memberRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'get',
    path: '/projects/:projectId/members',
    summary: "List the project's members and their roles (cursor pages)",
    tag: 'members',
    permission: 'project.members',
    params: projectParams,
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of members', schema: pageOf(memberSchema) } },
    handler: async (c, { actor, params, query }) =>
      c.json(await listMembers(store, actor, params.projectId, query)),
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/members',
    summary: 'Give a user of the organization a role in the project (by user_id or email)',
    tag: 'members',
    permission: 'project.members',
    params: projectParams,
    body: z
      .strictObject({
        user_id: z.string().min(1).max(64).optional(),
        email: z.string().min(3).max(320).optional(),
        role: projectRoleSchema,
      })
      .refine((b) => (b.user_id === undefined) !== (b.email === undefined), {
        message: 'name the user by exactly one of user_id and email',
      }),
    responses: {
      201: { description: 'The new member', schema: memberSchema },
      404: { description: 'No such user in the organization' },
      409: { description: 'Already a member (change the role with PATCH)' },
    },
    handler: async (c, { actor, params, body }) =>
      c.json(
        await addMember(store, actor, params.projectId, {
          userId: body.user_id,
          email: body.email,
          role: body.role,
        }),
        201,
      ),
  });
  api.route({
    method: 'patch',
    path: '/projects/:projectId/members/:userId',
    summary: "Change a member's project role",
    tag: 'members',
    permission: 'project.members',
    params: memberParams,
    body: z.strictObject({ role: projectRoleSchema }),
    responses: { 200: { description: 'The member', schema: memberSchema } },
    handler: async (c, { actor, params, body }) =>
      c.json(await changeMemberRole(store, actor, params.projectId, params.userId, body.role)),
  });
  api.route({
    method: 'delete',
    path: '/projects/:projectId/members/:userId',
    summary: 'Remove a member from the project',
    tag: 'members',
    permission: 'project.members',
    params: memberParams,
    responses: { 204: { description: 'Removed' } },
    handler: async (c, { actor, params }) => {
      await removeMember(store, actor, params.projectId, params.userId);
      return c.body(null, 204);
    },
  });
}
