/**
 * Structured logs (http/log.ts; docs/reliability.md nos. 9, 45, 46): one JSON line per request carrying the
 * request id the client saw, security entries for denials and failed authentication, unexpected
 * errors logged with their request id and stack while the client gets none; and never a password,
 * an API key, a session cookie, a request body or conversation text, however a request carries them.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { apiRouter } from '../src/http/app.ts';
import { createLogger, securityLog } from '../src/http/log.ts';
import { SECURITY_ROUTES } from '../src/http/log-events.ts';
import { type Answer, appWithLog, buildWorld, call, type World } from './security-world.ts';
import { describeBackends } from './support/backends.ts';

interface Line {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  [key: string]: unknown;
}

const PASSWORD = 'correct horse battery staple 42';
const CONVERSATION_TEXT = 'PRIVATE-CONVERSATION-TEXT-7f3a';

describeBackends('structured logs', (ctx) => {
  let world: World;
  let app: ReturnType<typeof appWithLog>['app'];
  let lines: string[];
  const parsed = () => lines.map((l) => JSON.parse(l) as Line);
  const linesOf = (answer: Answer) =>
    parsed().filter((l) => l.requestId === answer.headers.get('x-request-id'));

  beforeAll(async () => {
    world = await buildWorld(ctx.store);
    ({ app, lines } = appWithLog(ctx.store));
    app.post('/test/log-injection', (c) => {
      securityLog(c, 'login.failed', {
        email: 'mallory@example.com\n{"level":"info","msg":"security","event":"login.succeeded"}\u001b[2J',
        password: PASSWORD,
        apiKey: world.a.admin.key,
        session: 'session-id-value',
      });
      return c.text('logged');
    });
    app.get('/test/crash', () => {
      throw new Error('select password_hash from users -- at /srv/prefer/secret.ts:12');
    });
  });

  it('writes one JSON line per request with the request id of its X-Request-Id header', async () => {
    const answer = await call(app, `/api/v1/projects/${world.projectId}`, {
      method: 'GET',
      key: world.a.admin.key,
    });
    expect(answer.status).toBe(200);
    const mine = linesOf(answer);
    expect(mine).toHaveLength(1);
    const [line] = mine;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/api/v1/projects/:projectId',
      status: 200,
      userId: world.a.admin.actor.userId,
      orgId: world.a.admin.actor.orgId,
    });
    expect(line!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof line!.durationMs).toBe('number');
    // The route pattern, not the path: the project id is not repeated in the log.
    expect(JSON.stringify(line)).not.toContain(world.projectId);
  });

  it('logs an authorization denial and a refused key as security events', async () => {
    const denied = await call(app, `/api/v1/projects/${world.projectId}/exports`, {
      method: 'POST',
      key: world.a.labeler.key,
      body: '{}',
    });
    expect(denied.status).toBe(403);
    expect(linesOf(denied)).toContainEqual(
      expect.objectContaining({
        msg: 'security',
        event: 'authz.denied',
        outcome: 'failure',
        userId: world.a.labeler.actor.userId,
        route: '/api/v1/projects/:projectId/exports',
      }),
    );
    const forged = `${world.a.admin.key.slice(0, -4)}AAAA`;
    const refused = await call(app, '/api/v1/datasets', { method: 'GET', key: forged });
    expect(refused.status).toBe(401);
    expect(linesOf(refused)).toContainEqual(
      expect.objectContaining({ msg: 'security', event: 'authn.failed' }),
    );
    expect(lines.join('\n')).not.toContain(forged);
  });

  it('never logs passwords, keys, session cookies, bodies or conversation text', async () => {
    const created = await call(app, '/api/v1/users', {
      method: 'POST',
      key: world.a.admin.key,
      body: JSON.stringify({ email: `logger-${Date.now()}@example.com`, password: PASSWORD, role: 'member' }),
    });
    expect(created.status).toBe(201);
    const email = (created.json as { email: string }).email;
    const good = await call(app, '/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(good.status).toBe(200);
    const cookie = /__Host-prefer_session=([^;]+)/.exec(good.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeTruthy();
    const bad = await call(app, '/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: `${PASSWORD}!` }),
    });
    expect(bad.status).toBe(401);
    const key = await call(app, '/api/v1/keys', {
      method: 'POST',
      key: world.a.admin.key,
      body: JSON.stringify({ name: 'shown once' }),
    });
    expect(key.status).toBe(201);
    const minted = (key.json as { key: string }).key;
    const upload = await call(app, `/api/v1/datasets/${world.datasetId}/data-rows`, {
      method: 'POST',
      key: world.a.admin.key,
      contentType: 'application/x-ndjson',
      body: `${JSON.stringify({
        global_key: `log-${Date.now()}`,
        row_data: {
          type: 'application/vnd.labelbox.conversational',
          version: 1,
          messages: [{ messageId: 'm1', content: CONVERSATION_TEXT, user: { userId: 'u', name: 'u' } }],
        },
      })}\n`,
    });
    expect(upload.status).toBeLessThan(500);
    const text = lines.join('\n');
    for (const secret of [PASSWORD, `${PASSWORD}!`, cookie!, minted, world.a.admin.key, CONVERSATION_TEXT]) {
      expect(text).not.toContain(secret);
    }
    // Secret-looking parts of the key that follow its prefix are never there either.
    expect(text).not.toContain(minted.split('_').slice(2).join('_'));
    for (const answer of [created, good, bad, key, upload]) expect(linesOf(answer).length).toBeGreaterThan(0);
  });

  it("logs a 404 for another organization's id, naming the id, while the answer says nothing more", async () => {
    const probe = await call(app, `/api/v1/projects/${world.projectId}`, {
      method: 'GET',
      key: world.b.admin.key,
    });
    expect(probe.status).toBe(404);
    expect(linesOf(probe)).toContainEqual(
      expect.objectContaining({
        msg: 'security',
        event: 'authz.not_found',
        outcome: 'failure',
        userId: world.b.admin.actor.userId,
        orgId: world.b.admin.actor.orgId,
        projectId: world.projectId,
      }),
    );
  });

  it('logs logins, logouts, keys, users and memberships as security events naming their targets', async () => {
    const admin = world.a.admin;
    const event = (answer: Answer, name: string) => {
      const found = linesOf(answer).filter((l) => l.msg === 'security');
      expect(
        found.map((l) => l.event),
        `${name}: security entries`,
      ).toEqual([name]);
      return found[0]!;
    };
    const email = `events-${Date.now()}@example.com`;
    const user = await call(app, '/api/v1/users', {
      method: 'POST',
      key: admin.key,
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(user.status).toBe(201);
    const userId = (user.json as { id: string }).id;
    expect(event(user, 'user.created')).toMatchObject({
      outcome: 'success',
      userId: admin.actor.userId,
      targetUserId: userId,
      role: 'member',
    });

    const failed = await call(app, '/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'not the password at all' }),
    });
    expect(failed.status).toBe(401);
    expect(event(failed, 'login.failed')).toMatchObject({ outcome: 'failure', address: expect.any(String) });
    const login = await call(app, '/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(event(login, 'login.succeeded')).toMatchObject({ outcome: 'success', targetUserId: userId });

    const member = await call(app, `/api/v1/projects/${world.projectId}/members`, {
      method: 'POST',
      key: admin.key,
      body: JSON.stringify({ user_id: userId, role: 'reviewer' }),
    });
    expect(member.status).toBe(201);
    expect(event(member, 'member.added')).toMatchObject({ projectId: world.projectId, targetUserId: userId });
    const removed = await call(app, `/api/v1/projects/${world.projectId}/members/${userId}`, {
      method: 'DELETE',
      key: admin.key,
    });
    expect(removed.status).toBe(204);
    expect(event(removed, 'member.removed')).toMatchObject({
      projectId: world.projectId,
      targetUserId: userId,
    });

    const key = await call(app, '/api/v1/keys', {
      method: 'POST',
      key: admin.key,
      body: '{"name":"audited"}',
    });
    expect(key.status).toBe(201);
    const { id: keyId, key: secret } = key.json as { id: string; key: string };
    expect(event(key, 'key.created')).toMatchObject({ userId: admin.actor.userId, keyId });
    const revoked = await call(app, `/api/v1/keys/${keyId}`, { method: 'DELETE', key: admin.key });
    expect(revoked.status).toBe(204);
    expect(event(revoked, 'key.revoked')).toMatchObject({ keyId, userId: admin.actor.userId });
    const replayed = await call(app, '/api/v1/datasets', { method: 'GET', key: secret });
    expect(replayed.status).toBe(401);
    expect(event(replayed, 'authn.failed')).toMatchObject({ outcome: 'failure' });

    const text = lines.join('\n');
    for (const secretText of [PASSWORD, 'not the password at all', secret])
      expect(text).not.toContain(secretText);
  });

  it('escapes control characters, so one event stays one line, and drops secret-named fields', async () => {
    const before = lines.length;
    const answer = await call(app, '/test/log-injection', { method: 'POST' });
    expect(answer.status).toBe(200);
    const added = lines.slice(before);
    // The security entry and the request entry: no forged third line.
    expect(added).toHaveLength(2);
    const entry = added.map((l) => JSON.parse(l) as Line).find((l) => l.msg === 'security');
    expect(entry).toMatchObject({ event: 'login.failed', outcome: 'failure' });
    expect(entry!.email).toContain('\n{"level"');
    expect(entry).not.toHaveProperty('password');
    expect(entry).not.toHaveProperty('apiKey');
    expect(entry).not.toHaveProperty('session');
    expect(added.join('\n')).not.toContain('\u001b');
    expect(added.join('\n')).not.toContain(PASSWORD);
  });

  it('logs an unexpected error with its request id and stack; the client gets neither', async () => {
    const answer = await call(app, '/test/crash', { method: 'GET' });
    expect(answer.status).toBe(500);
    expect(answer.text).not.toContain('password_hash');
    expect(answer.text).not.toContain('/srv/prefer');
    const entry = linesOf(answer).find((l) => l.msg === 'unexpected error');
    expect(entry).toMatchObject({ level: 'error', method: 'GET', path: '/test/crash' });
    expect((entry!.err as { stack: string }).stack).toContain('secret.ts');
    expect((answer.json as { error: { requestId: string } }).error.requestId).toBe(entry!.requestId);
  });

  it('knows every route it logs security events of (a renamed route would lose them)', () => {
    const declared = new Set(
      apiRouter(ctx.store).routes.map((r) => `${r.method.toUpperCase()} /api/v1${r.path}`),
    );
    expect(SECURITY_ROUTES.filter((route) => !declared.has(route))).toEqual([]);
  });

  it('logs to stdout by default from a real server, at the level of PREFER_LOG_LEVEL', async () => {
    const script = join(ctx.dir, 'serve-once.mts');
    const server = join(import.meta.dirname, '../src/http/server.ts');
    const store = join(import.meta.dirname, '../src/store/store.ts');
    writeFileSync(
      script,
      `import { startServer } from ${JSON.stringify(server)};
import { openStore } from ${JSON.stringify(store)};
const store = await openStore(${JSON.stringify(ctx.url)});
const running = await startServer({ store, port: 0, host: '127.0.0.1' });
const res = await fetch(running.url + '/api/v1/health', { headers: { 'x-request-id': 'stdout-check-1' } });
await res.text();
await running.close();
await store.close();
`,
    );
    const run = (level: string) =>
      spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
        cwd: join(import.meta.dirname, '../../..'),
        env: { ...process.env, PREFER_LOG_LEVEL: level },
        encoding: 'utf8',
      });
    const info = run('info');
    expect(info.status, info.stderr).toBe(0);
    const entries = info.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        requestId: 'stdout-check-1',
        route: '/api/v1/health',
        status: 200,
      }),
    );
    const quiet = run('warn');
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('refuses an unknown PREFER_LOG_LEVEL at start, naming the variable', () => {
    expect(() => createLogger({ level: 'loud' })).toThrow(/PREFER_LOG_LEVEL must be one of/);
  });
});
