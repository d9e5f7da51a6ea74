/**
 * Browser sessions (docs/reliability.md no. 10) and login abuse (docs/reliability.md no. 11), in-process over HTTP on both
 * backends: cookie attributes, a new id per login, logout and replay, password change ending the
 * other sessions, disabled users, idle and absolute expiry, the rate limit with an injected clock.
 */
import { beforeAll, expect, it } from 'vitest';
import { loginLimiter } from '../src/accounts/login-limit.ts';
import {
  hashSessionToken,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  sessionActor,
} from '../src/auth/session.service.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import {
  type App,
  adminWithPassword,
  errorOf,
  keyOf,
  login,
  PASSWORD,
  uniqueEmail,
  userWithPassword,
  withKey,
  withSession,
} from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('accounts: sessions', (ctx) => {
  let app: App;
  let admin: Actor;

  beforeAll(async () => {
    app = createApp({ store: ctx.store, logError: () => {} });
    admin = await adminWithPassword(ctx.store, 'Session org');
  });

  it('logs in with a __Host- cookie (Secure, HttpOnly, SameSite=Lax, Path=/) and stores only its hash', async () => {
    const s = await login(app, admin.email);
    expect(s.setCookie).toMatch(/^__Host-prefer_session=[A-Za-z0-9_-]{43};/);
    const attributes = s.setCookie.split(';').map((a) => a.trim());
    expect(attributes).toContain('Secure');
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Lax');
    expect(attributes).toContain('Path=/');
    expect(attributes.some((a) => /^Domain=/i.test(a))).toBe(false);
    const rows = await ctx.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', admin.userId)
      .execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(s.value);
    expect(rows.map((r) => r.id_hash)).toContain(hashSessionToken(s.value));
    const me = await withSession(app, s, 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(admin.email);
    const session = await withSession(app, s, 'GET', '/api/v1/auth/session');
    expect(await session.json()).toMatchObject({ user: { id: admin.userId }, csrfToken: s.csrf });
  });

  it('makes a new session id and CSRF token at every login', async () => {
    const a = await login(app, admin.email);
    const b = await login(app, admin.email);
    expect(a.value).not.toBe(b.value);
    expect(a.csrf).not.toBe(b.csrf);
  });

  it('ends the session at logout: replaying the cookie is 401', async () => {
    const s = await login(app, admin.email);
    const out = await withSession(app, s, 'POST', '/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-prefer_session=; .*Max-Age=0/);
    const replay = await withSession(app, s, 'GET', '/api/v1/me');
    expect(replay.status).toBe(401);
    const replayPost = await withSession(app, s, 'POST', '/api/v1/keys', { name: 'x' });
    expect(replayPost.status).toBe(401);
  });

  it('a password change ends the other sessions, keeps this one, and only the new password logs in', async () => {
    const user = await userWithPassword(ctx.store, admin.orgId);
    const here = await login(app, user.email);
    const elsewhere = await login(app, user.email);
    const wrong = await withSession(app, here, 'POST', '/api/v1/me/password', {
      current_password: 'not my password at all',
      new_password: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(403);
    expect((await withSession(app, elsewhere, 'GET', '/api/v1/me')).status).toBe(200);
    const short = await withSession(app, here, 'POST', '/api/v1/me/password', {
      current_password: PASSWORD,
      new_password: 'too short',
    });
    expect(short.status).toBe(422);
    const changed = await withSession(app, here, 'POST', '/api/v1/me/password', {
      current_password: PASSWORD,
      new_password: 'a brand new passphrase',
    });
    expect(changed.status).toBe(204);
    expect((await withSession(app, elsewhere, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await withSession(app, here, 'GET', '/api/v1/me')).status).toBe(200);
    const old = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(old.status).toBe(401);
    await login(app, user.email, 'a brand new passphrase');
  });

  it('disabling a user ends their sessions and keys at once; login is then refused like a wrong password', async () => {
    const user = await userWithPassword(ctx.store, admin.orgId);
    const s = await login(app, user.email);
    const key = await keyOf(ctx.store, user);
    expect((await withKey(app, key, 'GET', '/api/v1/me')).status).toBe(200);
    const adminSession = await login(app, admin.email);
    const off = await withSession(app, adminSession, 'PATCH', `/api/v1/users/${user.userId}`, {
      disabled: true,
    });
    expect(off.status).toBe(200);
    expect((await withSession(app, s, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await withKey(app, key, 'GET', '/api/v1/me')).status).toBe(401);
    const refused = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: PASSWORD }),
    });
    expect(refused.status).toBe(401);
    expect((await errorOf(refused)).message).toBe('the email or the password is wrong');
  });

  it('ends a session 12 hours after its last request and 7 days after login', async () => {
    const s = await login(app, admin.email);
    const row = await ctx.store.db
      .selectFrom('sessions')
      .select(['created_at', 'expires_at'])
      .where('id_hash', '=', hashSessionToken(s.value))
      .executeTakeFirstOrThrow();
    expect(row.expires_at - row.created_at).toBe(SESSION_ABSOLUTE_MS);
    // Seen every 11 hours, it lives until the absolute end.
    let at = row.created_at;
    while (at + 11 * 3_600_000 < row.expires_at) {
      at += 11 * 3_600_000;
      expect(
        await sessionActor(ctx.store, s.value, at),
        `at +${(at - row.created_at) / 3_600_000} h`,
      ).toBeDefined();
    }
    expect(await sessionActor(ctx.store, s.value, row.expires_at)).toBeUndefined();
    const idle = await login(app, admin.email);
    expect(await sessionActor(ctx.store, idle.value, Date.now() + SESSION_IDLE_MS + 1000)).toBeUndefined();
    // An ended session is deleted, not only refused.
    expect((await withSession(app, idle, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('GET /auth/session with an API key answers 404 (no session), and a bad cookie 401', async () => {
    const key = await keyOf(ctx.store, admin);
    expect((await withKey(app, key, 'GET', '/api/v1/auth/session')).status).toBe(404);
    const forged = await app.request('/api/v1/me', {
      headers: { Cookie: `__Host-prefer_session=${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
  });
});

describeBackends('accounts: login rate limit', (ctx) => {
  let app: App;
  let known: Actor;
  let clock = Date.now();

  beforeAll(async () => {
    app = createApp({ store: ctx.store, logError: () => {} });
    known = await adminWithPassword(ctx.store, 'Limit org');
    loginLimiter(ctx.store).now = () => clock;
  });

  const attempt = (email: string, password: string) =>
    app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('answers 429 with Retry-After after 10 failures per account, the same for known and unknown emails', async () => {
    const unknown = uniqueEmail('nobody');
    const answers: Record<
      string,
      { status: number; body: { code: string; message: string }; retry: string | null }[]
    > = {};
    for (const email of [known.email, unknown]) {
      answers[email] = [];
      for (let i = 0; i < 50; i++) {
        const res = await attempt(email, `wrong password ${i}`);
        answers[email]!.push({
          status: res.status,
          body: await errorOf(res),
          retry: res.headers.get('retry-after'),
        });
      }
    }
    const [k, u] = [answers[known.email]!, answers[unknown]!];
    expect(k.slice(0, 10).every((a) => a.status === 401)).toBe(true);
    expect(k.slice(10).every((a) => a.status === 429)).toBe(true);
    for (const a of k.slice(10)) {
      expect(Number(a.retry)).toBeGreaterThan(0);
      expect(Number(a.retry)).toBeLessThanOrEqual(15 * 60);
    }
    expect(u.map((a) => [a.status, a.body])).toEqual(k.map((a) => [a.status, a.body]));
    // The right password does not get through while the account is limited.
    expect((await attempt(known.email, PASSWORD)).status).toBe(429);
    // Other accounts from the same address are not locked by it (20 failures < 50).
    const other = await userWithPassword(ctx.store, known.orgId);
    expect((await attempt(other.email, PASSWORD)).status).toBe(200);
    // A hundred scrypt hashes (unknown emails are hashed too): CPU-bound, slow on a busy machine.
  }, 120_000);

  it('lets the account in again once the window has passed (no permanent lockout)', async () => {
    clock += 15 * 60_000 + 1000;
    expect((await attempt(known.email, PASSWORD)).status).toBe(200);
    expect((await attempt(known.email, 'wrong again')).status).toBe(401);
  });

  it('limits one address whatever the emails (50 failures by default; 20 here to keep the test short)', async () => {
    expect(loginLimiter(ctx.store).limits.perAddress).toBe(50);
    loginLimiter(ctx.store).limits = { ...loginLimiter(ctx.store).limits, perAddress: 20 };
    clock += 15 * 60_000 + 1000;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await attempt(uniqueEmail(`spray${i}`), 'wrong password')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const res = await attempt(known.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    clock += 15 * 60_000 + 1000;
    expect((await attempt(known.email, PASSWORD)).status).toBe(200);
  }, 120_000);
});
