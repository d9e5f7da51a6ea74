/**
 * Invite links over HTTP on both backends: an admin's invite answers a link once; the link sets
 * the first password and signs the person in, once; an expired, used, withdrawn or made-up link
 * gets one answer that names nobody; only the token's hash is stored; the audit never holds it.
 */
import { beforeAll, expect, it } from 'vitest';
import { INVITE_TTL_MS } from '../src/accounts/invite.service.ts';
import { SESSION_COOKIE } from '../src/auth/require-actor.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import {
  type App,
  adminWithPassword,
  errorOf,
  keyOf,
  login,
  OWN_ORIGIN,
  uniqueEmail,
  userWithPassword,
  withKey,
} from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

interface Invited {
  id: string;
  email: string;
  role: string;
  has_password: boolean;
  invite_url: string;
  invite_expires_at: string;
}

const NEW_PASSWORD = 'a long enough invite password';

describeBackends('accounts: invite links', (ctx) => {
  let clock = Date.parse('2026-03-01T10:00:00Z');
  let app: App;
  let admin: Actor;
  let adminKey: string;

  beforeAll(async () => {
    app = createApp({ store: ctx.store, logError: () => {}, now: () => clock, publicUrl: undefined });
    admin = await adminWithPassword(ctx.store, 'Invites org');
    adminKey = await keyOf(ctx.store, admin);
  });

  const invite = async (email: string, extra: Record<string, unknown> = {}) => {
    const res = await withKey(app, adminKey, 'POST', '/api/v1/users/invites', { email, ...extra });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as Invited;
  };
  const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  const publicPost = (path: string, body: unknown, origin = OWN_ORIGIN) =>
    app.request(`/api/v1${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify(body),
    });
  const accept = (token: string, password = NEW_PASSWORD) => publicPost('/auth/invite', { token, password });

  it('answers a one-time link on the request origin; the user has no password until it is used', async () => {
    const email = uniqueEmail('invitee');
    const made = await invite(email, { role: 'member', name: 'Invitee' });
    expect(made).toMatchObject({ email, role: 'member', has_password: false });
    expect(made.invite_url).toMatch(/^http:\/\/localhost\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(made.invite_expires_at)).toBe(clock + INVITE_TTL_MS);

    const lookup = await publicPost('/auth/invite/lookup', { token: tokenOf(made.invite_url) });
    expect(lookup.status).toBe(200);
    expect(await lookup.json()).toMatchObject({ email });

    const res = await accept(tokenOf(made.invite_url));
    expect(res.status, await res.clone().text()).toBe(200);
    const cookie = new RegExp(`^${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    const body = (await res.json()) as { user: { email: string; has_password: boolean } };
    expect(body.user).toMatchObject({ email, has_password: true });
    // Signed in by the answer's cookie, and the password works for a normal login too.
    const me = await app.request('/api/v1/me', { headers: { Cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(((await me.json()) as { email: string }).email).toBe(email);
    await login(app, email, NEW_PASSWORD);

    // Single use: the same link again, and its lookup, get the one answer for every bad link.
    const again = await accept(tokenOf(made.invite_url), 'another long password here');
    expect(again.status).toBe(404);
    const unknown = await accept('A'.repeat(43));
    expect(await errorOf(again)).toEqual(await errorOf(unknown));
    expect((await publicPost('/auth/invite/lookup', { token: tokenOf(made.invite_url) })).status).toBe(404);
  });

  it('stores only a hash of the token, and the audit names the invite without the token', async () => {
    const made = await invite(uniqueEmail('hashed'));
    const token = tokenOf(made.invite_url);
    const rows = await ctx.store.db.selectFrom('user_invites').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(rows.some((r) => r.user_id === made.id)).toBe(true);
    expect(dump).not.toContain(token);
    await accept(token);
    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('org_id', '=', admin.orgId)
      .execute();
    const entries = audit.filter((a) => a.target_id === made.id);
    expect(entries.map((a) => a.action).sort()).toEqual(['post_auth_invite', 'post_users_invites']);
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  });

  it('refuses an expired link with the same answer, changing nothing', async () => {
    const made = await invite(uniqueEmail('late'));
    clock += INVITE_TTL_MS + 1;
    const res = await accept(tokenOf(made.invite_url));
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toMatch(/not valid/);
    expect(res.headers.get('set-cookie')).toBeNull();
    const user = await ctx.store.db
      .selectFrom('users')
      .where('id', '=', made.id)
      .select('password_hash')
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
  });

  it('replaces the link on a second invite, and withdraws it when the user is disabled', async () => {
    const email = uniqueEmail('twice');
    const first = await invite(email);
    const second = await invite(email, { role: 'admin' });
    expect(second.id).toBe(first.id);
    expect(second.role).toBe('admin');
    expect((await accept(tokenOf(first.invite_url))).status).toBe(404);

    const res = await withKey(app, adminKey, 'PATCH', `/api/v1/users/${second.id}`, { disabled: true });
    expect(res.status).toBe(200);
    expect((await accept(tokenOf(second.invite_url))).status).toBe(404);
    const conflict = await withKey(app, adminKey, 'POST', '/api/v1/users/invites', { email });
    expect(conflict.status).toBe(409);
  });

  it('refuses a short password (422 naming the field) and keeps the link usable', async () => {
    const made = await invite(uniqueEmail('short'));
    const res = await accept(tokenOf(made.invite_url), 'short');
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('$.password');
    expect((await accept(tokenOf(made.invite_url))).status).toBe(200);
  });

  it('refuses a link used from another origin, an invite of a user with a password, and non-admins', async () => {
    const made = await invite(uniqueEmail('evil'));
    const evil = await publicPost(
      '/auth/invite',
      { token: tokenOf(made.invite_url), password: NEW_PASSWORD },
      'https://evil.example',
    );
    expect(evil.status).toBe(403);
    const member = await userWithPassword(ctx.store, admin.orgId);
    const taken = await withKey(app, adminKey, 'POST', '/api/v1/users/invites', { email: member.email });
    expect(taken.status).toBe(409);
    const refused = await withKey(app, await keyOf(ctx.store, member), 'POST', '/api/v1/users/invites', {
      email: uniqueEmail('nope'),
    });
    expect(refused.status).toBe(403);
    const unknownKey = await withKey(app, adminKey, 'POST', '/api/v1/users/invites', {
      email: uniqueEmail('k'),
      password: 'x',
    });
    // An unknown key (a password set by the admin) is refused, naming the valid ones.
    expect(unknownKey.status).toBe(400);
    expect((await errorOf(unknownKey)).message).toMatch(/password/);
    expect((await accept(tokenOf(made.invite_url))).status).toBe(200);
  });

  it('builds the link on PREFER_PUBLIC_URL when set', async () => {
    const behindProxy = createApp({
      store: ctx.store,
      logError: () => {},
      publicUrl: 'https://prefer.example.org/base',
    });
    const res = await withKey(behindProxy, adminKey, 'POST', '/api/v1/users/invites', {
      email: uniqueEmail('proxied'),
    });
    const made = (await res.json()) as Invited;
    expect(made.invite_url).toMatch(/^https:\/\/prefer\.example\.org\/base\/invite\/[A-Za-z0-9_-]{43}$/);
  });
});
