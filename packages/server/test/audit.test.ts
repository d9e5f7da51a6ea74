/**
 * The audit log: every write route of the route matrix leaves an entry (whatever its answer),
 * no entry holds a secret (keys, passwords, session or CSRF tokens), and `GET /audit` pages and
 * filters the organization's own entries for admins only; `GET /audit/export` streams them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { actionOf } from '../src/audit/audit.record.ts';
import { createApp } from '../src/http/app.ts';
import { adminWithPassword, login, PASSWORD, withKey, withSession } from './accounts-support.ts';
import { fillPath, minimalBody, paramsFor, privateRoutes, routeKey } from './security-routes.ts';
import { buildWorld, call, type World } from './security-world.ts';
import { describeBackends } from './support/backends.ts';

type App = ReturnType<typeof createApp>;
interface Entry {
  id: string;
  at: string;
  actor_id: string;
  actor_email: string;
  via: string;
  action: string;
  path: string;
  target_type: string | null;
  target_id: string | null;
  summary: string;
  status: number;
  address: string;
}

async function entries(
  app: App,
  key: string,
  query = '',
): Promise<{ items: Entry[]; nextCursor: string | null }> {
  const res = await withKey(app, key, 'GET', `/api/v1/audit${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { items: Entry[]; nextCursor: string | null };
}

describeBackends('audit log', (ctx) => {
  let world: World;
  let app: App;

  beforeAll(async () => {
    world = await buildWorld(ctx.store);
    app = createApp({ store: ctx.store, logError: () => {} });
  });

  it('records every write route of the matrix, with no secret in any entry', async () => {
    const writes = privateRoutes(ctx.store).filter((r) => r.method !== 'get');
    expect(writes.length).toBeGreaterThan(15);
    const admin = world.a.admin;
    const missing: string[] = [];
    for (const route of writes) {
      const params = await paramsFor(route, world, admin);
      const before = await ctx.store.db
        .selectFrom('audit_log')
        .where('action', '=', actionOf(route))
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const answer = await call(app, fillPath(route.path, params), {
        method: route.method.toUpperCase(),
        key: admin.key,
        ...minimalBody(route),
      });
      const rows = await ctx.store.db
        .selectFrom('audit_log')
        .where('action', '=', actionOf(route))
        .where('actor_id', '=', admin.actor.userId)
        .selectAll()
        .orderBy('at', 'desc')
        .execute();
      if (rows.length !== Number(before.n) + 1) {
        missing.push(`${routeKey(route)} (answered ${answer.status})`);
        continue;
      }
      const row = rows[0]!;
      expect(row.status, routeKey(route)).toBe(answer.status);
      expect(row.path).toBe(route.path);
      expect(row.via).toBe('key');
    }
    expect(missing, 'write routes without an audit entry').toEqual([]);

    // No secret of any member (their API keys) anywhere in the log.
    const dump = JSON.stringify(await ctx.store.db.selectFrom('audit_log').selectAll().execute());
    for (const m of Object.values(world.a)) expect(dump).not.toContain(m.key);
  });

  it('keeps passwords, new keys, session and CSRF tokens out of the log', async () => {
    const admin = await adminWithPassword(ctx.store);
    const session = await login(app, admin.email);
    const secret = 'a brand new password 12345';
    const created = await withSession(app, session, 'POST', '/api/v1/users', {
      email: `audited-${Date.now()}@example.com`,
      password: secret,
      name: 'Audited',
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const changed = await withSession(app, session, 'PATCH', `/api/v1/users/${user.id}`, {
      password: PASSWORD,
    });
    expect(changed.status).toBe(200);
    const keyRes = await withSession(app, session, 'POST', '/api/v1/keys', { name: 'audited key' });
    expect(keyRes.status).toBe(201);
    const { key } = (await keyRes.json()) as { key: string };

    const rows = await ctx.store.db
      .selectFrom('audit_log')
      .where('org_id', '=', admin.orgId)
      .selectAll()
      .execute();
    const dump = JSON.stringify(rows);
    for (const s of [secret, PASSWORD, key, session.value, session.csrf]) expect(dump).not.toContain(s);

    const page = await entries(app, key, `?actor=${encodeURIComponent(admin.email.toUpperCase())}`);
    const create = page.items.find((e) => e.action === 'post_users');
    expect(create).toMatchObject({
      actor_id: admin.userId,
      actor_email: admin.email,
      via: 'session',
      method: 'POST',
      path: '/users',
      target_type: 'user',
      target_id: user.id,
      summary: 'body fields: email, name, password',
      status: 201,
    });
    expect(create?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    // In-process requests have no socket: the address says so rather than inventing one.
    expect(create?.address).toBe('unknown');
    const patch = page.items.find((e) => e.action === 'patch_users_userId');
    expect(patch).toMatchObject({ target_type: 'user', target_id: user.id, status: 200 });
  });

  describe('GET /audit', () => {
    it('pages newest first and filters by action, target and dates', async () => {
      const key = world.a.admin.key;
      const all: Entry[] = [];
      let cursor: string | null = null;
      do {
        const page = await entries(app, key, `?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(7);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const count = await ctx.store.db
        .selectFrom('audit_log')
        .where('org_id', '=', world.a.admin.actor.orgId)
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(all.length).toBe(Number(count.n));
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
      const times = all.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const members = await entries(app, key, '?action=post_projects_projectId_members');
      expect(members.items.length).toBeGreaterThan(0);
      expect(members.items.every((e) => e.action === 'post_projects_projectId_members')).toBe(true);
      const target = await entries(app, key, `?target_type=project&target_id=${world.projectId}`);
      expect(target.items.length).toBeGreaterThan(0);
      expect(target.items.every((e) => e.target_id === world.projectId)).toBe(true);

      const future = await entries(app, key, '?from=2999-01-01');
      expect(future.items).toEqual([]);
      const today = new Date().toISOString().slice(0, 10);
      const upToToday = await entries(app, key, `?from=2000-01-01T00:00:00Z&to=${today}`);
      expect(upToToday.items.length).toBe(Math.min(50, all.length));
    });

    it('refuses a bad date naming the parameter, and every caller but an admin', async () => {
      const bad = await withKey(app, world.a.admin.key, 'GET', '/api/v1/audit?from=yesterday');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('from');
      for (const who of ['manager', 'reviewer', 'labeler'] as const) {
        const res = await withKey(app, world.a[who].key, 'GET', '/api/v1/audit');
        expect(res.status, who).toBe(403);
      }
      // Another organization's admin sees none of A's entries.
      const other = await entries(app, world.b.admin.key);
      expect(other.items.every((e) => e.actor_id !== world.a.admin.actor.userId)).toBe(true);
    });

    it('exports the filtered log as NDJSON, oldest first', async () => {
      const res = await withKey(app, world.a.admin.key, 'GET', '/api/v1/audit/export?action=post_users');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/x-ndjson');
      const lines = (await res.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Entry);
      const listed = await entries(app, world.a.admin.key, '?action=post_users&limit=500');
      expect(lines.map((e) => e.id)).toEqual(listed.items.map((e) => e.id).reverse());
    });
  });
});
