/** Shared setup of the resource route suites (api-resources*.test.ts): organizations, keys, a client. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { ensureUser } from '../src/orgs/org.service.ts';
import type { ProjectRole } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import { orgAdmin } from './support/org-admin.ts';

export const EXAMPLES = join(import.meta.dirname, '../../../examples');
export const example = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');
export const exampleOntology = () => JSON.parse(example('ontology.json')) as unknown;

export interface Caller {
  actor: Actor;
  key: string;
}

const tag = () => randomBytes(4).toString('hex');

/** A fresh organization and its admin with an API key. */
export async function adminOf(store: Store, name = 'org'): Promise<Caller> {
  const actor = await orgAdmin(store.db, `${name} ${tag()}`, `admin-${tag()}@example.com`);
  return { actor, key: (await createApiKey(store, actor, { name: 'tests' })).key };
}

/** A member of the admin's organization (no role anywhere yet) with an API key. */
export async function memberOf(store: Store, admin: Actor, name: string): Promise<Caller> {
  const user = await ensureUser(store.db, admin.orgId, `${name}-${tag()}@example.com`);
  const actor: Actor = { orgId: admin.orgId, userId: user.id, email: user.email, role: 'member' };
  return { actor, key: (await createApiKey(store, actor, { name })).key };
}

export async function grant(store: Store, projectId: string, who: Actor, role: ProjectRole): Promise<void> {
  await store.db
    .insertInto('project_members')
    .values({ project_id: projectId, user_id: who.userId, org_id: who.orgId, role, created_at: Date.now() })
    .execute();
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers by path
  body: any;
  headers: Headers;
}

/** An in-process client of `/api/v1` for one key: JSON bodies, or raw uploads with `type`. */
export function apiClient(store: Store) {
  const app = createApp({ store, logError: () => {} });
  return (key: string | null) => {
    const send = async (
      method: string,
      path: string,
      body?: unknown,
      init: { type?: string; headers?: Record<string, string> } = {},
    ): Promise<Answer> => {
      const headers = new Headers(init.headers);
      if (key) headers.set('Authorization', `Bearer ${key}`);
      let payload: NonNullable<RequestInit['body']> | undefined;
      if (init.type !== undefined) {
        headers.set('Content-Type', init.type);
        payload = body as NonNullable<RequestInit['body']>;
      } else if (body !== undefined) {
        headers.set('Content-Type', 'application/json');
        payload = JSON.stringify(body);
      }
      const res = await app.request(`/api/v1${path}`, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        ...(payload instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    };
    return {
      get: (path: string) => send('GET', path),
      post: (path: string, body?: unknown) => send('POST', path, body),
      upload: (
        path: string,
        body: NonNullable<RequestInit['body']>,
        type = 'application/x-ndjson',
        headers?: Record<string, string>,
      ) => send('POST', path, body, { type, ...(headers ? { headers } : {}) }),
    };
  };
}

export type Api = ReturnType<ReturnType<typeof apiClient>>;

/** Every item of a list endpoint, page by page with `limit`; also answers the pages' sizes. */
export async function walk(
  api: Api,
  path: string,
  limit: number,
): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    pages.push(res.body.items.length);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { ids, pages };
}

export const ndjson = (...values: unknown[]) => values.map((v) => `${JSON.stringify(v)}\n`).join('');

/** A minimal two-response conversation data row spec. */
export function rowSpec(
  key: string,
  extra: Record<string, unknown> = {},
): { row_data: unknown; [key: string]: unknown } {
  return {
    global_key: key,
    row_data: {
      type: 'application/vnd.labelbox.conversational',
      version: 1,
      messages: [
        { messageId: 'm1', content: 'Which is better?', user: { userId: 'u1', name: 'Ann' }, canLabel: true },
      ],
      modelOutputs: [
        { title: 'Response A', content: 'A', modelConfigName: 'a' },
        { title: 'Response B', content: 'B', modelConfigName: 'b' },
      ],
    },
    ...extra,
  };
}
