/** Helpers of the accounts tests: users with passwords, logins, cookie and key requests. */
import { CANONICAL_PREFERENCE_ONTOLOGY } from '@prefer/schemas';
import { expect } from 'vitest';
import { hashPassword } from '../src/accounts/password.ts';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { SESSION_COOKIE } from '../src/auth/require-actor.ts';
import type { createApp } from '../src/http/app.ts';
import { createOntology } from '../src/ontologies/ontology.service.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { ensureUser } from '../src/orgs/org.service.ts';
import { createProject } from '../src/projects/project.service.ts';
import type { OrgRole, ProjectRole } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import { orgAdmin } from './support/org-admin.ts';

export type App = ReturnType<typeof createApp>;
export const PASSWORD = 'correct horse battery staple';
/** The origin of `app.request('/path')`. */
export const OWN_ORIGIN = 'http://localhost';

let counter = 0;
export const uniqueEmail = (who: string) => `${who}-${Date.now().toString(36)}-${counter++}@example.com`;

/** An organization with an admin who has a password. */
export async function adminWithPassword(store: Store, org = 'Org'): Promise<Actor> {
  const hash = await hashPassword(PASSWORD);
  return store.write(async (tx) => {
    const admin = await orgAdmin(tx, org, uniqueEmail('admin'));
    await tx.updateTable('users').set({ password_hash: hash }).where('id', '=', admin.userId).execute();
    return admin;
  });
}

/** A user of `orgId` with a password, an organization role and optionally a project role. */
export async function userWithPassword(
  store: Store,
  orgId: string,
  options: { role?: OrgRole; project?: { id: string; role: ProjectRole }; email?: string } = {},
): Promise<Actor> {
  const hash = await hashPassword(PASSWORD);
  return store.write(async (tx) => {
    const user = await ensureUser(tx, orgId, options.email ?? uniqueEmail('user'));
    const role = options.role ?? 'member';
    await tx.updateTable('users').set({ password_hash: hash, role }).where('id', '=', user.id).execute();
    if (options.project) {
      await tx
        .insertInto('project_members')
        .values({
          project_id: options.project.id,
          user_id: user.id,
          org_id: orgId,
          role: options.project.role,
          created_at: Date.now(),
        })
        .execute();
    }
    return { orgId, userId: user.id, email: user.email, role };
  });
}

export async function newProject(store: Store, actor: Actor, name = 'Prefs'): Promise<string> {
  const ontology = await createOntology(store, actor, {
    name: `${name} ontology`,
    ontology: CANONICAL_PREFERENCE_ONTOLOGY,
  });
  return (await createProject(store, actor, { name, ontologyId: ontology.id })).id;
}

export async function keyOf(store: Store, actor: Actor): Promise<string> {
  return (await createApiKey(store, actor, { name: 'test' })).key;
}

export interface Session {
  /** `__Host-prefer_session=<value>`, ready for a Cookie header. */
  cookie: string;
  value: string;
  csrf: string;
  setCookie: string;
}

export async function login(app: App, email: string, password = PASSWORD): Promise<Session> {
  const res = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const value = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(setCookie)?.[1] ?? '';
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: `${SESSION_COOKIE}=${value}`, value, csrf: body.csrfToken, setCookie };
}

/** A JSON request with a session cookie and its CSRF token (same origin unless told). */
export function withSession(
  app: App,
  session: Session,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  return app.request(path, {
    method,
    headers: {
      Cookie: session.cookie,
      'X-CSRF-Token': session.csrf,
      Origin: OWN_ORIGIN,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...extra,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A JSON request with an API key. */
export function withKey(app: App, key: string, method: string, path: string, body?: unknown) {
  return app.request(path, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** An error answer without its request id, to compare two answers. */
export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { code: body.error.code, message: body.error.message };
}
