/** Users of the organization and the caller's own account, as the SDK sees them. */
import { invitedUserSchema, meSchema, type UserWire, userSchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';

export type OrgRole = 'admin' | 'member';
export type ProjectRole = 'manager' | 'reviewer' | 'labeler';

export class User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** The organization role: an `admin` holds every role in every project. */
  readonly role: OrgRole;
  readonly disabled: boolean;
  /** False for users who cannot log in (e.g. label authors named by an import). */
  readonly hasPassword: boolean;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  /** The caller's project roles; only on `client.getUser()` without an id. */
  readonly projects: { projectId: string; role: ProjectRole }[] | undefined;

  constructor(wire: UserWire & { projects?: { project_id: string; role: ProjectRole }[] }) {
    this.id = wire.id;
    this.email = wire.email;
    this.name = wire.name;
    this.role = wire.role;
    this.disabled = wire.disabled;
    this.hasPassword = wire.has_password;
    this.createdAt = new Date(wire.created_at);
    this.disabledAt = wire.disabled_at === null ? null : new Date(wire.disabled_at);
    this.projects = wire.projects?.map((p) => ({ projectId: p.project_id, role: p.role }));
  }
}

export interface CreateUserInput {
  email: string;
  name?: string;
  /** Default `member`. */
  role?: OrgRole;
  /** 12 to 1,024 characters; without one the user cannot log in (API keys still work). */
  password?: string;
}

export interface InviteUserInput {
  email: string;
  name?: string;
  /** Default `member`. */
  role?: OrgRole;
}

/** A user invited by a one-time link: the link is in this answer only (the server keeps a hash). */
export interface InvitedUser {
  user: User;
  /** `<server>/invite/<token>`: opening it sets the user's first password; it works once. */
  inviteUrl: string;
  inviteExpiresAt: Date;
}

export interface UpdateUserInput {
  role?: OrgRole;
  disabled?: boolean;
  name?: string;
  /** A new password set by an admin: ends the user's sessions. */
  password?: string;
}

export async function getUser(client: Client, id?: string): Promise<User> {
  if (id === undefined) return new User(await client.requestJson('GET', '/me', meSchema));
  return new User(await client.requestJson('GET', `/users/${encodeURIComponent(id)}`, userSchema));
}

export async function createUser(client: Client, input: CreateUserInput): Promise<User> {
  return new User(await client.requestJson('POST', '/users', userSchema, { body: input }));
}

export async function inviteUser(client: Client, input: InviteUserInput): Promise<InvitedUser> {
  const wire = await client.requestJson('POST', '/users/invites', invitedUserSchema, { body: input });
  const { invite_url, invite_expires_at, ...user } = wire;
  return { user: new User(user), inviteUrl: invite_url, inviteExpiresAt: new Date(invite_expires_at) };
}

export async function updateUser(client: Client, id: string, input: UpdateUserInput): Promise<User> {
  return new User(
    await client.requestJson('PATCH', `/users/${encodeURIComponent(id)}`, userSchema, { body: input }),
  );
}

export function getUsers(client: Client, options?: PageOptions): AsyncGenerator<User> {
  return paginate(client, '/users', userSchema, (w) => new User(w), options);
}
