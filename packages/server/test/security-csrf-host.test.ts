/**
 * The CSRF origin check must not trust the `Host` header (issue 10): with PREFER_PUBLIC_URL set,
 * a request whose forged `Host` matches its hostile `Origin` is refused; only the public origin
 * (and PREFER_TRUSTED_ORIGINS) pass. Over a real socket, so `Host` is what the client sent.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { adminWithPassword, PASSWORD } from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

const PUBLIC = 'https://prefer.example.com';
const EVIL_HOST = 'evil.example';
const EVIL = `http://${EVIL_HOST}`;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describeBackends('security: CSRF origin behind a public URL', (ctx) => {
  let server: RunningServer;
  let admin: Actor;

  beforeAll(async () => {
    admin = await adminWithPassword(ctx.store, 'Host org');
    server = await startServer({
      store: ctx.store,
      port: 0,
      host: '127.0.0.1',
      logError: () => {},
      publicUrl: `${PUBLIC}/`,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  /** A request over the socket with the headers given, Host included. */
  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Reply> {
    const url = new URL(server.url);
    const text = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: { ...headers, ...(text === undefined ? {} : { 'Content-Type': 'application/json' }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  const login = (headers: Record<string, string>) =>
    send('POST', '/api/v1/auth/login', headers, { email: admin.email, password: PASSWORD });

  it('refuses a login whose forged Host matches its hostile Origin, and takes the public origin', async () => {
    const forged = await login({ Host: EVIL_HOST, Origin: EVIL });
    expect(forged.status).toBe(403);
    expect(forged.headers['set-cookie']).toBeUndefined();
    expect((await login({ Host: 'prefer.example.com', Origin: PUBLIC })).status).toBe(200);
  });

  it('refuses a cookie request with its CSRF token from a forged Host and Origin', async () => {
    const ok = await login({ Origin: PUBLIC });
    expect(ok.status).toBe(200);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = JSON.parse(ok.body) as { csrfToken: string };
    const create = (headers: Record<string, string>) =>
      send('POST', '/api/v1/keys', { Cookie: cookie, 'X-CSRF-Token': csrfToken, ...headers }, { name: 'k' });
    const forged = await create({ Host: EVIL_HOST, Origin: EVIL });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('cross-origin request refused');
    // The server's own socket address is no origin of it either once the public URL is set.
    expect((await create({ Origin: server.url })).status).toBe(403);
    expect((await create({ Host: EVIL_HOST, Origin: PUBLIC })).status).toBe(201);
  });
});
