/**
 * The cast of the security suites (security-*.test.ts): organization A with a project P and one
 * user per role (admin; P's manager, reviewer and labeler; an outsider who manages another project
 * of A but has no role in P), each with an API key; organization B with its admin and a manager,
 * who must never see anything of A. Calls go through the real app (`app.request`), keys in the
 * Authorization header as a client sends them.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { createUser } from '../src/accounts/user.service.ts';
import { createApiKey } from '../src/auth/api-key.service.ts';
import type { Role } from '../src/auth/permissions.ts';
import { flushFragments } from '../src/exports/v2/fragment-refresh.ts';
import { createApp } from '../src/http/app.ts';
import { createLogger } from '../src/http/log.ts';
import { createOntology } from '../src/ontologies/ontology.service.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { addMember } from '../src/projects/member.service.ts';
import { createProject } from '../src/projects/project.service.ts';
import { newId } from '../src/shared/ids.ts';
import type { ProjectRole } from '../src/store/schema.ts';
import type { Store } from '../src/store/store.ts';
import { LABEL_TEST_ONTOLOGY, labelProject, seedActor, seedDataset } from './support/seed-rows.ts';

export type Who = 'admin' | 'manager' | 'reviewer' | 'labeler' | 'outsider';
export const CAST: readonly Who[] = ['admin', 'manager', 'reviewer', 'labeler', 'outsider'];

export interface Member {
  who: string;
  actor: Actor;
  key: string;
  /** Every role the user holds anywhere in the organization (what organization permissions check). */
  held: Role[];
}

export interface World {
  store: Store;
  a: Record<Who, Member>;
  projectId: string;
  ontologyId: string;
  datasetId: string;
  /** Rows of P (in its batch) and a row of A outside P. */
  rowIds: string[];
  outsideRowId: string;
  /** The outsider's project in A. */
  otherProjectId: string;
  b: { admin: Member; manager: Member; projectId: string };
}

export async function buildWorld(store: Store): Promise<World> {
  const p = await labelProject(store, 8);
  const admin = await member(store, p.actor, 'admin', ['admin']);
  const project = await store.db
    .selectFrom('projects')
    .where('id', '=', p.projectId)
    .select('ontology_id')
    .executeTakeFirstOrThrow();
  const datasetId = (
    await store.db
      .selectFrom('data_rows')
      .where('id', '=', p.rows[0]!.id)
      .select('dataset_id')
      .executeTakeFirstOrThrow()
  ).dataset_id;
  const { id: otherProjectId } = await createProject(store, p.actor, {
    name: 'other',
    ontologyId: project.ontology_id,
  });
  const a: Record<Who, Member> = {
    admin,
    manager: await roleMember(store, p.actor, 'manager', p.projectId),
    reviewer: await roleMember(store, p.actor, 'reviewer', p.projectId),
    labeler: await roleMember(store, p.actor, 'labeler', p.projectId),
    outsider: await roleMember(store, p.actor, 'manager', otherProjectId, 'outsider'),
  };
  const bAdminActor = await seedActor(store, `b-admin-${newId().slice(-8)}@b.example`);
  await seedDataset(store, bAdminActor, 2);
  const bOntology = await createOntology(store, bAdminActor, { name: 'b', ontology: LABEL_TEST_ONTOLOGY });
  const { id: bProjectId } = await createProject(store, bAdminActor, {
    name: 'b project',
    ontologyId: bOntology.id,
  });
  const b = {
    admin: await member(store, bAdminActor, 'b admin', ['admin']),
    manager: await roleMember(store, bAdminActor, 'manager', bProjectId, 'b manager'),
    projectId: bProjectId,
  };
  return {
    store,
    a,
    projectId: p.projectId,
    ontologyId: project.ontology_id,
    datasetId,
    rowIds: p.rows.map((r) => r.id),
    outsideRowId: p.outside.id,
    otherProjectId,
    b,
  };
}

async function member(store: Store, actor: Actor, who: string, held: Role[]): Promise<Member> {
  const { key } = await createApiKey(store, actor, { name: `${who} key` });
  return { who, actor, key, held };
}

/**
 * A new user of the organization of `admin` with `role` in `projectId`, made through the accounts
 * services (as `POST /users` and `POST /projects/:id/members` do), with their own API key.
 */
export async function roleMember(
  store: Store,
  admin: Actor,
  role: ProjectRole,
  projectId: string,
  who: string = role,
): Promise<Member> {
  const email = `${who.replace(/\W/g, '-')}-${newId().slice(-10)}@example.com`;
  const user = await createUser(store, admin, { email, name: who });
  await addMember(store, admin, projectId, { userId: user.id, role });
  const actor: Actor = { orgId: admin.orgId, userId: user.id, email: user.email, role: 'member' };
  return member(store, actor, who, [role]);
}

export interface Answer {
  status: number;
  text: string;
  /** The parsed JSON body, or undefined. */
  json: unknown;
  headers: Headers;
}

export interface CallInit {
  method: string;
  key?: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** An app whose log lines are kept in `lines` (at info level). */
export function appWithLog(store: Store): { app: ReturnType<typeof createApp>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = createApp({ store, logger: createLogger({ level: 'info', destination }) });
  return { app, lines };
}

export async function call(app: ReturnType<typeof createApp>, path: string, init: CallInit): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const res = await app.request(path, {
    method: init.method,
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/**
 * A checksum per table of everything stored (for "nothing changed"): every row of every table,
 * sorted, minus the columns that only record use (`last_used_at`, `last_seen_at`) and the audit
 * log, which records every write attempt, refused ones included, by design (audit.test.ts).
 */
export async function tableChecksums(store: Store): Promise<Record<string, string>> {
  // The export fragments that earlier requests left to the background renderer are rendered
  // first: a render landing between two checksums is not a change the request made.
  await flushFragments(store);
  const names =
    store.backend === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
            store.db,
          )
        ).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
            store.db,
          )
        ).rows.map((r) => r.name);
  const { createHash } = await import('node:crypto');
  const sums: Record<string, string> = {};
  for (const name of names.filter((n) => n !== 'audit_log').sort()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.db))
      .rows;
    const lines = rows
      .map((row) => {
        const { last_used_at: _u, last_seen_at: _s, ...rest } = row;
        return JSON.stringify(rest, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
      })
      .sort();
    sums[name] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return sums;
}

/** A nonexistent id of the shape prefer uses (a 25-character cuid). */
export const MISSING_ID = 'cmissingmissingmissing000';

/** An error answer as a client compares it: code and message with the ids named in it masked. */
export function maskedError(
  answer: Answer,
  ids: readonly string[],
): { status: number; code?: string; message?: string } {
  const error = (answer.json as { error?: { code: string; message: string } } | undefined)?.error;
  let message = error?.message;
  for (const id of ids) if (id) message = message?.split(id).join('<id>');
  return { status: answer.status, code: error?.code, message };
}
