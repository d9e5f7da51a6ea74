/**
 * Invite links: `POST /users/invites` (admins) answers the link once; the public
 * `POST /auth/invite/lookup` and `POST /auth/invite` let the person holding it see whom it is for,
 * set their password and be signed in. The token travels in bodies, never in an API path, so no
 * request log or audit entry holds it.
 */
import { invitedUserSchema, inviteInfoSchema, sessionSchema } from '@prefer/schemas';
import { z } from 'zod';
import { checkOrigin } from '../auth/csrf.ts';
import { SESSION_ABSOLUTE_MS } from '../auth/session.service.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { formatV2 } from '../shared/time.ts';
import { clientAddress, sessionCookie } from './auth.routes.ts';
import { acceptInvite, describeInvite, INVITE_TTL_MS, inviteUser } from './invite.service.ts';

const token = z.string().max(200);
const INVALID = 'The link is unknown, used, expired or withdrawn (one answer for every case)';

export function inviteRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/users/invites',
    summary: `Invite a user: creates them without a password and answers a one-time link (valid ${INVITE_TTL_MS / 86_400_000} days) to set one`,
    tag: 'accounts',
    permission: 'users.manage',
    body: z.strictObject({
      email: z.string().trim().min(3).max(320),
      name: z.string().max(200).optional(),
      role: z.enum(['admin', 'member']).optional(),
    }),
    responses: {
      201: {
        description: 'The user and the link (shown this once: only its hash is kept)',
        schema: invitedUserSchema,
      },
      409: { description: 'The email cannot be used, or its user already has a password or is disabled' },
    },
    handler: async (c, { actor, body }) => {
      const invite = await inviteUser(store, actor, body, api.now());
      const base = api.publicUrl ?? new URL(c.req.url).origin;
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          ...invite.user,
          invite_url: `${base}/invite/${invite.token}`,
          invite_expires_at: formatV2(invite.expiresAt),
        },
        201,
      );
    },
  });

  api.publicRoute({
    method: 'post',
    path: '/auth/invite/lookup',
    summary: 'Whom a live invite link is for (its email and end)',
    tag: 'accounts',
    body: z.strictObject({ token }),
    responses: {
      200: { description: 'The invite', schema: inviteInfoSchema },
      404: { description: INVALID },
    },
    handler: async (c, { body }) => {
      const info = await describeInvite(store, body.token, api.now());
      c.header('Cache-Control', 'no-store');
      return c.json({ email: info.email, expires_at: formatV2(info.expiresAt) });
    },
  });

  api.publicRoute({
    method: 'post',
    path: '/auth/invite',
    summary: "Use an invite link: sets the user's first password and signs them in (the link works once)",
    tag: 'accounts',
    body: z.strictObject({ token, password: z.string().max(4096).describe('12 to 1,024 characters') }),
    responses: {
      200: { description: 'Signed in: a new session (Set-Cookie)', schema: sessionSchema },
      403: { description: 'The request came from another origin' },
      404: { description: INVALID },
      422: { description: 'password is shorter than 12 or longer than 1,024 characters' },
    },
    handler: async (c, { body }) => {
      checkOrigin(c, api.origins);
      const result = await acceptInvite(
        store,
        { token: body.token, password: body.password, address: clientAddress(c) },
        api.now(),
      );
      c.header('Set-Cookie', sessionCookie(result.session.token, Math.floor(SESSION_ABSOLUTE_MS / 1000)));
      c.header('Cache-Control', 'no-store');
      return c.json({
        user: result.user,
        csrfToken: result.session.csrfToken,
        expires_at: formatV2(result.session.expiresAt),
      });
    },
  });
}
