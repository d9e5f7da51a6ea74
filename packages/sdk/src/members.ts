/** Project members: who holds which project role. */
import { type MemberWire, memberSchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';
import type { OrgRole, ProjectRole } from './users.ts';

export interface ProjectMember {
  userId: string;
  email: string;
  name: string;
  role: ProjectRole;
  orgRole: OrgRole;
  createdAt: Date;
}

const memberOf = (w: MemberWire): ProjectMember => ({
  userId: w.user_id,
  email: w.email,
  name: w.name,
  role: w.role,
  orgRole: w.org_role,
  createdAt: new Date(w.created_at),
});

/** Name the user by `userId` or by `email` (one of them). */
export type AddMemberInput = ({ userId: string; email?: never } | { email: string; userId?: never }) & {
  role: ProjectRole;
};

const base = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/members`;

export async function addMember(
  client: Client,
  projectId: string,
  input: AddMemberInput,
): Promise<ProjectMember> {
  const body: Record<string, unknown> = { role: input.role };
  if (input.userId !== undefined) body.user_id = input.userId;
  if (input.email !== undefined) body.email = input.email;
  return memberOf(await client.requestJson('POST', base(projectId), memberSchema, { body }));
}

export async function updateMember(
  client: Client,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<ProjectMember> {
  const path = `${base(projectId)}/${encodeURIComponent(userId)}`;
  return memberOf(await client.requestJson('PATCH', path, memberSchema, { body: { role } }));
}

export async function removeMember(client: Client, projectId: string, userId: string): Promise<void> {
  const res = await client.request('DELETE', `${base(projectId)}/${encodeURIComponent(userId)}`);
  await res.body?.cancel();
}

export function getMembers(
  client: Client,
  projectId: string,
  options?: PageOptions,
): AsyncGenerator<ProjectMember> {
  return paginate(client, base(projectId), memberSchema, memberOf, options);
}
