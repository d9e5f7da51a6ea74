import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import type { ErrorBody } from '../src/http/errors.ts';
import { startServer } from '../src/http/server.ts';
import { AppError } from '../src/shared/errors.ts';
import { describeBackends } from './support/backends.ts';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

function expectCommonHeaders(res: Response) {
  expect(res.headers.get('content-security-policy')).toBe(CSP);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
}

describeBackends('http app', (ctx) => {
  const logged: unknown[] = [];
  const app = () => {
    const a = createApp({ store: ctx.store, logError: (e) => logged.push(e) });
    a.get('/test/app-error', () => {
      throw new AppError('VALIDATION_FAILED', 'name is required', [{ path: '$.name', message: 'required' }]);
    });
    a.get('/test/crash', () => {
      throw new Error('select password_hash from users where id = $1 -- at /srv/prefer/secret.ts:12');
    });
    return a;
  };

  it('answers the health check with the backend and its durability settings', async () => {
    const res = await app().request('/api/v1/health');
    expect(res.status).toBe(200);
    expectCommonHeaders(res);
    const body = (await res.json()) as { durability: unknown };
    expect(body).toEqual({
      status: 'ok',
      database: ctx.backend,
      durability: ctx.store.durability,
      wal_bytes: ctx.backend === 'sqlite' ? expect.any(Number) : null,
      streams: { active: 0, max: 4, per_user: 2, idle_seconds: 30 },
    });
    const expected =
      ctx.backend === 'sqlite'
        ? {
            journal_mode: 'wal',
            synchronous: '1',
            wal_autocheckpoint: '0',
            busy_timeout: '10000',
            commit_sync: 'fdatasync',
          }
        : { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };
    expect(body.durability).toEqual(expected);
  });

  it('gives every response its own request id, or keeps a well-formed one the client sent', async () => {
    const a = app();
    const [r1, r2] = await Promise.all([a.request('/api/v1/health'), a.request('/api/v1/health')]);
    expect(r1.headers.get('x-request-id')).not.toBe(r2.headers.get('x-request-id'));
    const kept = await a.request('/api/v1/health', { headers: { 'X-Request-Id': 'client-trace-42' } });
    expect(kept.headers.get('x-request-id')).toBe('client-trace-42');
    const replaced = await a.request('/api/v1/health', { headers: { 'X-Request-Id': 'bad id <script>' } });
    // Not a safe token: replaced by a fresh UUID (never echoed into logs or headers).
    expect(replaced.headers.get('x-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('maps an AppError to its status and the error body, with the request id', async () => {
    const res = await app().request('/test/app-error');
    expect(res.status).toBe(422);
    expectCommonHeaders(res);
    const body = (await res.json()) as ErrorBody;
    expect(body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'name is required',
        details: [{ path: '$.name', message: 'required' }],
        requestId: res.headers.get('x-request-id'),
      },
    });
  });

  it('answers an unexpected error with a generic 500 that leaks nothing, and logs it', async () => {
    logged.length = 0;
    const res = await app().request('/test/crash');
    expect(res.status).toBe(500);
    expectCommonHeaders(res);
    const text = await res.text();
    expect(text).not.toMatch(/select|password|secret|\.ts|at /i);
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect(body.error).not.toHaveProperty('details');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: body.error.requestId, path: '/test/crash' });
  });

  it('answers an unknown route with a NOT_FOUND error body and the same headers', async () => {
    // Outside /api/v1, where no API key is asked first.
    const res = await app().request('/nothing-here', { method: 'POST' });
    expect(res.status).toBe(404);
    expectCommonHeaders(res);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).toBe('no route for POST /nothing-here');
  });

  it('serves the app on a real port and frees it on close', async () => {
    const server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expectCommonHeaders(res);
    expect(await res.json()).toMatchObject({ status: 'ok', database: ctx.backend });
    await expect(startServer({ store: ctx.store, port: server.port, host: '127.0.0.1' })).rejects.toThrow(
      `127.0.0.1:${server.port} is in use`,
    );
    await server.close();
    await expect(fetch(`${server.url}/api/v1/health`)).rejects.toThrow();
  });

  it('close() lets a request in flight finish, and cuts one that outlasts the grace period', async () => {
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => {
      arrived = r;
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const app = createApp({ store: ctx.store });
    app.get('/test/slow', async (c) => {
      arrived();
      await gate;
      return c.text('finished');
    });
    let hangingArrived!: () => void;
    const hangs = new Promise<void>((r) => {
      hangingArrived = r;
    });
    app.get('/test/never', () => {
      hangingArrived();
      return new Promise<Response>(() => {});
    });
    const server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', app });
    const slow = fetch(`${server.url}/test/slow`);
    await inFlight;
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    await closing;
    expect(closed).toBe(true);

    const stuck = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', app, graceMs: 50 });
    const hanging = fetch(`${stuck.url}/test/never`);
    hanging.catch(() => {});
    await hangs;
    await stuck.close();
    await expect(hanging).rejects.toThrow();
  });
});
