/** The organization's users (`/users`, admins create and change them) and the caller (`GET /me`). */
import { meSchema, userSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { createUser, getMe, getUser, listUsers, updateUser } from './user.service.ts';

const userParams = z.object({ userId: z.string().min(1).max(64) });
const email = z.string().trim().min(3).max(320);
const password = z.string().max(4096).describe('12 to 1,024 characters');

export function userRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'get',
    path: '/me',
    summary: 'The caller: account, organization role and project roles',
    tag: 'accounts',
    permission: 'self',
    responses: { 200: { description: 'The caller', schema: meSchema } },
    handler: async (c, { actor }) => c.json(await getMe(store, actor)),
  });
  api.route({
    method: 'post',
    path: '/users',
    summary: 'Create a user of the organization (without a password they cannot log in)',
    tag: 'accounts',
    permission: 'users.manage',
    body: z.strictObject({
      email,
      name: z.string().max(200).optional(),
      role: z.enum(['admin', 'member']).optional(),
      password: password.optional(),
    }),
    responses: {
      201: { description: 'The user', schema: userSchema },
      409: { description: 'The email is taken (emails are unique across organizations)' },
    },
    handler: async (c, { actor, body }) => c.json(await createUser(store, actor, body), 201),
  });
  api.route({
    method: 'get',
    path: '/users',
    summary: "List the organization's users (cursor pages)",
    tag: 'accounts',
    permission: 'users.read',
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of users', schema: pageOf(userSchema) } },
    handler: async (c, { actor, query }) => c.json(await listUsers(store, actor, query)),
  });
  api.route({
    method: 'get',
    path: '/users/:userId',
    summary: 'Get a user of the organization',
    tag: 'accounts',
    permission: 'users.read',
    params: userParams,
    responses: { 200: { description: 'The user', schema: userSchema } },
    handler: async (c, { actor, params }) => c.json(await getUser(store, actor, params.userId)),
  });
  api.route({
    method: 'patch',
    path: '/users/:userId',
    summary: "Change a user's organization role, name, password or disabled state",
    tag: 'accounts',
    permission: 'users.manage',
    params: userParams,
    body: z.strictObject({
      role: z.enum(['admin', 'member']).optional(),
      disabled: z.boolean().optional(),
      name: z.string().max(200).optional(),
      password: password.optional(),
    }),
    responses: {
      200: { description: 'The user as changed', schema: userSchema },
      409: { description: 'The change would leave the organization without an enabled admin' },
    },
    handler: async (c, { actor, params, body }) =>
      c.json(await updateUser(store, actor, params.userId, body)),
  });
}
