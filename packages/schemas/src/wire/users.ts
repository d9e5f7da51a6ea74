/**
 * Answers of the accounts routes (`/users`, `/me`) as JSON: the server validates and documents
 * them with these schemas (OpenAPI), the SDK checks what it receives against the same ones.
 */
import { z } from 'zod';

export const orgRoleSchema = z.enum(['admin', 'member']);
export const projectRoleSchema = z.enum(['manager', 'reviewer', 'labeler']);

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: orgRoleSchema,
  disabled: z.boolean(),
  has_password: z.boolean(),
  created_at: z.string(),
  disabled_at: z.string().nullable(),
});
export type UserWire = z.infer<typeof userSchema>;

/** `GET /me`: the caller with their project roles. */
export const meSchema = userSchema.extend({
  projects: z.array(z.object({ project_id: z.string(), role: projectRoleSchema })),
});
export type MeWire = z.infer<typeof meSchema>;

/** `POST /auth/login`: the new session (its cookie is set by the answer's Set-Cookie). */
export const sessionSchema = z.object({
  user: userSchema,
  csrfToken: z.string(),
  expires_at: z.string(),
});
export type SessionWire = z.infer<typeof sessionSchema>;

/** `GET /auth/session`: the session of the cookie sent, without its end. */
export const currentSessionSchema = sessionSchema.omit({ expires_at: true });
export type CurrentSessionWire = z.infer<typeof currentSessionSchema>;

/** `POST /users/invites`: the invited user and their one-time link, answered this once. */
export const invitedUserSchema = userSchema.extend({
  invite_url: z.string(),
  invite_expires_at: z.string(),
});
export type InvitedUserWire = z.infer<typeof invitedUserSchema>;

/** `POST /auth/invite/lookup`: whom a live invite link is for. */
export const inviteInfoSchema = z.object({ email: z.string(), expires_at: z.string() });
export type InviteInfoWire = z.infer<typeof inviteInfoSchema>;
