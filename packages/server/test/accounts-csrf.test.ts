/**
 * CSRF (docs/reliability.md no. 13): cross-origin form posts (urlencoded, multipart, text/plain) carrying the
 * victim's session cookie, to every state-changing route the router declares, are refused; the
 * same requests with the session's token from the server's own origin (or a trusted proxy origin)
 * pass the CSRF check; API-key requests are exempt; GET never mutates.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiRouter, createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import {
  type App,
  adminWithPassword,
  errorOf,
  keyOf,
  login,
  newProject,
  OWN_ORIGIN,
  type Session,
  withSession,
} from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

const EVIL = 'https://evil.example';
const PROXY = 'https://prefer.example.org';

function forms(): { type: string; body: string | FormData; headers: Record<string, string> }[] {
  const multipart = new FormData();
  multipart.set('name', 'pwned');
  return [
    {
      type: 'urlencoded',
      body: 'name=pwned&role=admin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    },
    { type: 'multipart', body: multipart, headers: {} },
    { type: 'text/plain', body: '{"name":"pwned"}', headers: { 'Content-Type': 'text/plain' } },
  ];
}

describeBackends('accounts: CSRF', (ctx) => {
  let app: App;
  let admin: Actor;
  let session: Session;
  let projectId: string;
  let routes: { method: string; path: string; name: string; public: boolean }[];
  const savedEnv = process.env.PREFER_TRUSTED_ORIGINS;

  beforeAll(async () => {
    process.env.PREFER_TRUSTED_ORIGINS = `${PROXY}, https://other-proxy.example:8443`;
    app = createApp({ store: ctx.store, logError: () => {} });
    admin = await adminWithPassword(ctx.store, 'CSRF org');
    projectId = await newProject(ctx.store, admin);
    session = await login(app, admin.email);
    routes = apiRouter(ctx.store)
      .routes.filter((r) => r.method !== 'get')
      .map((r) => ({
        method: r.method.toUpperCase(),
        path: `/api/v1${r.path.replace(':projectId', projectId).replace(/:[A-Za-z_]+/g, 'cmissingmissingmissing0000')}`,
        name: `${r.method.toUpperCase()} ${r.path}`,
        public: r.permission === 'public',
      }))
      // Logout last: it ends the session the other requests use.
      .sort((a, b) => Number(a.name.includes('logout')) - Number(b.name.includes('logout')));
  });
  afterAll(() => {
    if (savedEnv === undefined) delete process.env.PREFER_TRUSTED_ORIGINS;
    else process.env.PREFER_TRUSTED_ORIGINS = savedEnv;
  });

  const counts = async () => {
    const tables = [
      'users',
      'api_keys',
      'project_members',
      'sessions',
      'datasets',
      'projects',
      'batches',
    ] as const;
    const out: Record<string, number> = {};
    for (const t of tables) {
      const row = await ctx.store.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .executeTakeFirstOrThrow();
      out[t] = Number(row.n);
    }
    return out;
  };

  it('declares state-changing routes to test (the list grows with the API)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.map((r) => r.name)).toContain('POST /auth/login');
  });

  it('refuses cross-origin form posts with the victim cookie on every state-changing route, changing nothing', async () => {
    const before = await counts();
    for (const route of routes) {
      for (const form of forms()) {
        const res = await app.request(route.path, {
          method: route.method,
          headers: { Cookie: session.cookie, Origin: EVIL, ...form.headers },
          body: form.body,
        });
        if (route.public) {
          // Login and invite links are public: a form body is refused as not JSON (400) before the
          // Origin check (403).
          expect([400, 403], `${route.name} (${form.type})`).toContain(res.status);
          expect(res.headers.get('set-cookie')).toBeNull();
        } else {
          expect(res.status, `${route.name} (${form.type})`).toBe(403);
          expect((await errorOf(res)).code).toBe('FORBIDDEN');
        }
      }
    }
    expect(await counts()).toEqual(before);
    // The session survived every attempt (logout included).
    expect((await withSession(app, session, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('refuses a cookie request without the token even from the own origin, and a token from another origin', async () => {
    for (const route of routes.filter((r) => !r.public)) {
      const noToken = await app.request(route.path, {
        method: route.method,
        headers: { Cookie: session.cookie, Origin: OWN_ORIGIN, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(noToken.status, `${route.name} without token`).toBe(403);
      const noOrigin = await app.request(route.path, {
        method: route.method,
        headers: { Cookie: session.cookie, 'X-CSRF-Token': 'wrong', 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(noOrigin.status, `${route.name} with a wrong token`).toBe(403);
      const evil = await withSession(app, session, route.method, route.path, {}, { Origin: EVIL });
      expect(evil.status, `${route.name} with the token from ${EVIL}`).toBe(403);
      const nullOrigin = await withSession(app, session, route.method, route.path, {}, { Origin: 'null' });
      expect(nullOrigin.status, `${route.name} from Origin null`).toBe(403);
    }
  });

  it('lets the token from the own origin or a trusted proxy origin pass the CSRF check on every route', async () => {
    const s = await login(app, admin.email);
    for (const route of routes) {
      if (route.public) continue;
      for (const origin of [OWN_ORIGIN, PROXY, undefined]) {
        const res = await withSession(app, s, route.method, route.path, {}, origin ? { Origin: origin } : {});
        const body = res.status === 403 ? await errorOf(res) : undefined;
        expect(res.status, `${route.name} from ${origin}: ${body?.message}`).not.toBe(403);
        if (route.name === 'POST /auth/logout') break;
      }
    }
  });

  it('checks the Origin of a login: a cross-origin login is refused, the proxy origin is accepted', async () => {
    const attempt = (origin: string) =>
      app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ email: admin.email, password: 'correct horse battery staple' }),
      });
    expect((await attempt(EVIL)).status).toBe(403);
    expect((await attempt(PROXY)).status).toBe(200);
    expect((await attempt('https://other-proxy.example:8443')).status).toBe(200);
    expect((await attempt(OWN_ORIGIN)).status).toBe(200);
  });

  it('exempts API-key requests (no ambient credential) even with a foreign Origin', async () => {
    const key = await keyOf(ctx.store, admin);
    const res = await app.request('/api/v1/keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, Origin: EVIL, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'from a script' }),
    });
    expect(res.status).toBe(201);
  });

  it('never mutates on GET: GET on the logout and key paths leaves the session and keys alone', async () => {
    const s = await login(app, admin.email);
    const before = await counts();
    for (const path of ['/api/v1/auth/logout', '/api/v1/auth/login', '/api/v1/keys', '/api/v1/users']) {
      const res = await app.request(path, { headers: { Cookie: s.cookie, Origin: EVIL } });
      expect(res.status, path).not.toBe(500);
    }
    expect(await counts()).toEqual(before);
    expect((await withSession(app, s, 'GET', '/api/v1/me')).status).toBe(200);
    const getRoutes = apiRouter(ctx.store)
      .routes.filter((r) => r.method === 'get')
      .map((r) => r.path);
    expect(getRoutes).not.toContain('/auth/logout');
    expect(getRoutes).not.toContain('/auth/login');
  });

  it('refuses a malformed PREFER_TRUSTED_ORIGINS at start-up', () => {
    process.env.PREFER_TRUSTED_ORIGINS = 'https://ok.example, https://bad.example/path';
    expect(() => createApp({ store: ctx.store, logError: () => {} })).toThrow(/PREFER_TRUSTED_ORIGINS/);
    process.env.PREFER_TRUSTED_ORIGINS = `${PROXY}, https://other-proxy.example:8443`;
  });
});
