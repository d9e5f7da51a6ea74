/**
 * A project team for the workflow HTTP and SDK suites: the organization's admin, a manager, two
 * labelers and a reviewer of one project, each with an API key.
 */
import { createApiKey } from '../src/auth/api-key.service.ts';
import type { Actor } from '../src/orgs/actor.ts';
import type { ProjectRole } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import { colleague, type WorkflowProject, workflowProject } from './workflow-helpers.ts';

export interface Member {
  actor: Actor;
  key: string;
}

export interface Team extends WorkflowProject {
  admin: Member;
  manager: Member;
  labeler: Member;
  labeler2: Member;
  reviewer: Member;
}

export async function addMember(
  store: Store,
  projectId: string,
  actor: Actor,
  role: ProjectRole,
): Promise<void> {
  await store.db
    .insertInto('project_members')
    .values({
      project_id: projectId,
      user_id: actor.userId,
      org_id: actor.orgId,
      role,
      created_at: Date.now(),
    })
    .execute();
}

export async function member(
  store: Store,
  p: WorkflowProject,
  role: ProjectRole,
  name: string = role,
): Promise<Member> {
  const actor = await colleague(store, p.owner, name);
  await addMember(store, p.projectId, actor, role);
  return { actor, key: (await createApiKey(store, actor, { name })).key };
}

export async function team(store: Store, rows = 3): Promise<Team> {
  const p = await workflowProject(store, rows);
  const admin = { actor: p.owner, key: (await createApiKey(store, p.owner, { name: 'admin' })).key };
  return {
    ...p,
    admin,
    manager: await member(store, p, 'manager'),
    labeler: await member(store, p, 'labeler'),
    labeler2: await member(store, p, 'labeler', 'labeler2'),
    reviewer: await member(store, p, 'reviewer'),
  };
}

/** An in-process client of the API (`app.request`), acting with one key. */
export function caller(app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> }) {
  return (key: string) => {
    const send = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const h = new Headers({ Authorization: `Bearer ${key}`, ...headers });
      if (body !== undefined) h.set('Content-Type', 'application/json');
      const res = await app.request(`/api/v1${path}`, {
        method,
        headers: h,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      // biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely
      const json: any = text === '' ? null : JSON.parse(text);
      return { status: res.status, json, headers: res.headers };
    };
    return {
      get: (path: string) => send('GET', path),
      post: (path: string, body: unknown = {}, headers?: Record<string, string>) =>
        send('POST', path, body, headers),
    };
  };
}
