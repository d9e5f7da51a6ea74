/**
 * Users and project members over HTTP, and privilege escalation (docs/reliability.md no. 5): a non-admin
 * cannot create users, raise their own role, mint a key worth more than themself, or join a
 * project; a manager cannot reach other organizations' users or make anyone an admin.
 */
import { beforeAll, expect, it, onTestFinished, vi } from 'vitest';
import { verifyPassword } from '../src/accounts/password.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import {
  type App,
  adminWithPassword,
  errorOf,
  keyOf,
  login,
  newProject,
  PASSWORD,
  uniqueEmail,
  userWithPassword,
  withKey,
} from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

interface UserWire {
  id: string;
  email: string;
  role: string;
  disabled: boolean;
  has_password: boolean;
}

describeBackends('accounts: users and members', (ctx) => {
  let app: App;
  let admin: Actor;
  let adminKey: string;
  let projectA: string;
  let projectB: string;
  let manager: Actor;
  let managerKey: string;
  let labeler: Actor;
  let labelerKey: string;
  let outsider: Actor;

  beforeAll(async () => {
    app = createApp({ store: ctx.store, logError: () => {} });
    admin = await adminWithPassword(ctx.store, 'Users org');
    adminKey = await keyOf(ctx.store, admin);
    projectA = await newProject(ctx.store, admin, 'A');
    projectB = await newProject(ctx.store, admin, 'B');
    manager = await userWithPassword(ctx.store, admin.orgId, { project: { id: projectA, role: 'manager' } });
    managerKey = await keyOf(ctx.store, manager);
    labeler = await userWithPassword(ctx.store, admin.orgId, { project: { id: projectA, role: 'labeler' } });
    labelerKey = await keyOf(ctx.store, labeler);
    outsider = await adminWithPassword(ctx.store, 'Outside org');
  });

  const userRow = (id: string) =>
    ctx.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const membersOf = (projectId: string) =>
    ctx.store.db
      .selectFrom('project_members')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('user_id')
      .execute();

  it('records the creator of a project as its manager', async () => {
    const members = await membersOf(projectA);
    expect(members.find((m) => m.user_id === admin.userId)?.role).toBe('manager');
  });

  it('lets an admin create a user who can then log in; a password is hashed, never stored', async () => {
    // The production parameters: the test harness lowers PREFER_PASSWORD_COST for every other test.
    vi.stubEnv('PREFER_PASSWORD_COST', undefined);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const email = uniqueEmail('New.Person');
    const res = await withKey(app, adminKey, 'POST', '/api/v1/users', {
      email,
      name: 'New Person',
      role: 'member',
      password: 'a long enough password',
    });
    expect(res.status).toBe(201);
    const user = (await res.json()) as UserWire;
    expect(user).toMatchObject({ email, role: 'member', disabled: false, has_password: true });
    const row = await userRow(user.id);
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(JSON.stringify(row)).not.toContain('a long enough password');
    expect(await verifyPassword('a long enough password', row.password_hash!)).toBe(true);
    await login(app, email.toUpperCase(), 'a long enough password');
    const dup = await withKey(app, adminKey, 'POST', '/api/v1/users', { email: email.toLowerCase() });
    expect(dup.status).toBe(409);
    const otherOrg = await withKey(app, adminKey, 'POST', '/api/v1/users', { email: outsider.email });
    expect(otherOrg.status).toBe(409);
    const short = await withKey(app, adminKey, 'POST', '/api/v1/users', {
      email: uniqueEmail('short'),
      password: 'elevenchars',
    });
    expect(short.status).toBe(422);
    const long = await withKey(app, adminKey, 'POST', '/api/v1/users', {
      email: uniqueEmail('long'),
      password: 'x'.repeat(1025),
    });
    expect(long.status).toBe(422);
    const unknownKey = await withKey(app, adminKey, 'POST', '/api/v1/users', {
      email: uniqueEmail('u'),
      admin: true,
    });
    expect(unknownKey.status).toBe(400);
  });

  it('pages the users with a cursor and answers another organization’s user as missing', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await withKey(
        app,
        managerKey,
        'GET',
        `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: UserWire[]; nextCursor: string | null };
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await ctx.store.db
      .selectFrom('users')
      .select('id')
      .where('org_id', '=', admin.orgId)
      .orderBy('id')
      .execute();
    expect(seen).toEqual(all.map((u) => u.id));
    expect((await withKey(app, adminKey, 'GET', `/api/v1/users/${outsider.userId}`)).status).toBe(404);
    expect(
      (await withKey(app, adminKey, 'PATCH', `/api/v1/users/${outsider.userId}`, { role: 'member' })).status,
    ).toBe(404);
    expect((await withKey(app, adminKey, 'GET', `/api/v1/users/${labeler.userId}`)).status).toBe(200);
  });

  it('keeps one enabled admin: the last admin cannot demote or disable themself', async () => {
    const demote = await withKey(app, adminKey, 'PATCH', `/api/v1/users/${admin.userId}`, { role: 'member' });
    expect(demote.status).toBe(409);
    const disable = await withKey(app, adminKey, 'PATCH', `/api/v1/users/${admin.userId}`, {
      disabled: true,
    });
    expect(disable.status).toBe(409);
    expect((await userRow(admin.userId)).role).toBe('admin');
    const second = await userWithPassword(ctx.store, admin.orgId, { role: 'admin' });
    expect(
      (await withKey(app, adminKey, 'PATCH', `/api/v1/users/${second.userId}`, { role: 'member' })).status,
    ).toBe(200);
  });

  it('refuses privilege escalation by a non-admin (403) and changes nothing', async () => {
    const usersBefore = await ctx.store.db.selectFrom('users').selectAll().orderBy('id').execute();
    const membersBefore = [...(await membersOf(projectA)), ...(await membersOf(projectB))];
    for (const key of [managerKey, labelerKey]) {
      const create = await withKey(app, key, 'POST', '/api/v1/users', {
        email: uniqueEmail('evil'),
        role: 'admin',
      });
      expect(create.status).toBe(403);
      const me = key === managerKey ? manager : labeler;
      const raise = await withKey(app, key, 'PATCH', `/api/v1/users/${me.userId}`, { role: 'admin' });
      expect(raise.status).toBe(403);
      const enable = await withKey(app, key, 'PATCH', `/api/v1/users/${admin.userId}`, { disabled: true });
      expect(enable.status).toBe(403);
    }
    // A labeler cannot add themself as manager of their project; a manager cannot join project B.
    const selfPromote = await withKey(
      app,
      labelerKey,
      'PATCH',
      `/api/v1/projects/${projectA}/members/${labeler.userId}`,
      {
        role: 'manager',
      },
    );
    expect(selfPromote.status).toBe(403);
    const join = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectB}/members`, {
      user_id: manager.userId,
      role: 'manager',
    });
    expect(join.status).toBe(404);
    // No project role is an organization role.
    const asAdmin = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectA}/members`, {
      user_id: labeler.userId,
      role: 'admin',
    });
    expect(asAdmin.status).toBe(400);
    // A labeler lists no users; a key minted by a labeler is still a labeler's.
    expect((await withKey(app, labelerKey, 'GET', '/api/v1/users')).status).toBe(403);
    const minted = (await (
      await withKey(app, labelerKey, 'POST', '/api/v1/keys', { name: 'mine' })
    ).json()) as {
      key: string;
    };
    expect((await withKey(app, minted.key, 'GET', '/api/v1/users')).status).toBe(403);
    expect(
      (await withKey(app, minted.key, 'POST', '/api/v1/users', { email: uniqueEmail('x') })).status,
    ).toBe(403);
    expect(await ctx.store.db.selectFrom('users').selectAll().orderBy('id').execute()).toEqual(usersBefore);
    expect([...(await membersOf(projectA)), ...(await membersOf(projectB))]).toEqual(membersBefore);
  });

  it('applies a role change to existing keys at once: a key acts with the user’s current role', async () => {
    const user = await userWithPassword(ctx.store, admin.orgId);
    const key = await keyOf(ctx.store, user);
    expect((await withKey(app, key, 'GET', '/api/v1/users')).status).toBe(403);
    expect(
      (await withKey(app, adminKey, 'PATCH', `/api/v1/users/${user.userId}`, { role: 'admin' })).status,
    ).toBe(200);
    expect((await withKey(app, key, 'GET', '/api/v1/users')).status).toBe(200);
    expect(
      (await withKey(app, adminKey, 'PATCH', `/api/v1/users/${user.userId}`, { role: 'member' })).status,
    ).toBe(200);
    expect((await withKey(app, key, 'GET', '/api/v1/users')).status).toBe(403);
  });

  it('lets a manager add, list, change and remove members of their project', async () => {
    const newcomer = await userWithPassword(ctx.store, admin.orgId);
    const newcomerKey = await keyOf(ctx.store, newcomer);
    expect((await withKey(app, newcomerKey, 'GET', `/api/v1/projects/${projectA}`)).status).toBe(404);
    const added = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectA}/members`, {
      email: newcomer.email.toUpperCase(),
      role: 'reviewer',
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      user_id: newcomer.userId,
      role: 'reviewer',
      org_role: 'member',
    });
    expect((await withKey(app, newcomerKey, 'GET', `/api/v1/projects/${projectA}`)).status).toBe(200);
    const again = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectA}/members`, {
      user_id: newcomer.userId,
      role: 'labeler',
    });
    expect(again.status).toBe(409);
    const both = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectA}/members`, {
      user_id: newcomer.userId,
      email: newcomer.email,
      role: 'labeler',
    });
    expect(both.status).toBe(400);
    const foreign = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectA}/members`, {
      user_id: outsider.userId,
      role: 'labeler',
    });
    expect(foreign.status).toBe(404);
    const foreignByEmail = await withKey(app, managerKey, 'POST', `/api/v1/projects/${projectA}/members`, {
      email: outsider.email,
      role: 'labeler',
    });
    expect(foreignByEmail.status).toBe(404);
    expect(await errorOf(foreign)).toMatchObject({ code: 'NOT_FOUND' });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await withKey(
        app,
        managerKey,
        'GET',
        `/api/v1/projects/${projectA}/members?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const page = (await res.json()) as { items: { user_id: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((m) => m.user_id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await membersOf(projectA)).map((m) => m.user_id));

    const changed = await withKey(
      app,
      managerKey,
      'PATCH',
      `/api/v1/projects/${projectA}/members/${newcomer.userId}`,
      {
        role: 'labeler',
      },
    );
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { role: string }).role).toBe('labeler');
    const removed = await withKey(
      app,
      managerKey,
      'DELETE',
      `/api/v1/projects/${projectA}/members/${newcomer.userId}`,
    );
    expect(removed.status).toBe(204);
    expect((await withKey(app, newcomerKey, 'GET', `/api/v1/projects/${projectA}`)).status).toBe(404);
    expect(
      (await withKey(app, managerKey, 'DELETE', `/api/v1/projects/${projectA}/members/${newcomer.userId}`))
        .status,
    ).toBe(404);
    // The labeler of the project may not manage members; another org's admin sees no project.
    expect((await withKey(app, labelerKey, 'GET', `/api/v1/projects/${projectA}/members`)).status).toBe(403);
    const outsiderKey = await keyOf(ctx.store, outsider);
    expect((await withKey(app, outsiderKey, 'GET', `/api/v1/projects/${projectA}/members`)).status).toBe(404);
  });

  it('GET /me answers the account with its project roles', async () => {
    const res = await withKey(app, labelerKey, 'GET', '/api/v1/me');
    expect(await res.json()).toMatchObject({
      id: labeler.userId,
      email: labeler.email,
      role: 'member',
      projects: [{ project_id: projectA, role: 'labeler' }],
    });
  });

  it('lets an admin reset a password, which ends the user’s sessions', async () => {
    const user = await userWithPassword(ctx.store, admin.orgId);
    const s = await login(app, user.email, PASSWORD);
    const reset = await withKey(app, adminKey, 'PATCH', `/api/v1/users/${user.userId}`, {
      password: 'reset by the admin',
    });
    expect(reset.status).toBe(200);
    const me = await app.request('/api/v1/me', { headers: { Cookie: s.cookie } });
    expect(me.status).toBe(401);
    await login(app, user.email, 'reset by the admin');
  });

  it('writes every timestamp of users, members, keys and projects in the one +00:00 form', async () => {
    await withKey(app, adminKey, 'PATCH', `/api/v1/users/${labeler.userId}`, { disabled: true });
    const paths = [
      '/api/v1/me',
      '/api/v1/users',
      `/api/v1/users/${labeler.userId}`,
      `/api/v1/projects/${projectA}/members`,
      '/api/v1/keys',
      '/api/v1/projects',
      `/api/v1/projects/${projectA}`,
    ];
    const stamps: string[] = [];
    const walk = (v: unknown, at: string) => {
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) stamps.push(`${at} ${v}`);
      else if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, `${at}[${i}]`);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    };
    for (const path of paths) {
      const res = await withKey(app, adminKey, 'GET', path);
      expect(res.status, path).toBe(200);
      walk(await res.json(), path);
    }
    expect(stamps.some((s) => /\/members\S*\[\d+\]\.created_at/.test(s))).toBe(true);
    expect(stamps.some((s) => s.includes('disabled_at'))).toBe(true);
    expect(stamps.filter((s) => !/T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/.test(s))).toEqual([]);
    await withKey(app, adminKey, 'PATCH', `/api/v1/users/${labeler.userId}`, { disabled: false });
  });
});
