/**
 * The SDK's browser session mode against the real app: log in (cookie + CSRF token), read the
 * session, write with the token (and be refused without it), change the password, log out. A
 * small cookie jar stands in for the browser; the app runs in-process.
 */
import { AuthenticationError, AuthorizationError, Client } from '@prefer/sdk';
import { beforeAll, expect, it } from 'vitest';
import { createAdmin } from '../src/accounts/admin.service.ts';
import { createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';

const PASSWORD = 'session mode password 1';

describeBackends('sdk session mode', (ctx) => {
  let jar = '';
  const sent: { method: string; csrf: string | null; auth: string | null; cookie: string | null }[] = [];
  let client: Client;

  beforeAll(async () => {
    await createAdmin(ctx.store, { email: 'owner@example.com', password: PASSWORD });
    const app = createApp({ store: ctx.store });
    const browserFetch = async (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      // A browser sends the cookie only for credentials 'same-origin' or 'include'.
      if (init?.credentials === 'same-origin' && jar) headers.set('Cookie', jar);
      sent.push({
        method: init?.method ?? 'GET',
        csrf: headers.get('x-csrf-token'),
        auth: headers.get('authorization'),
        cookie: headers.get('cookie'),
      });
      const res = await app.request(String(input), { ...init, headers });
      const set = res.headers.get('set-cookie');
      if (set) jar = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
      return res;
    };
    const before = process.env.PREFER_API_KEY;
    process.env.PREFER_API_KEY = 'prefer_not_used_in_session_mode';
    client = new Client({ endpoint: 'http://localhost', session: true, fetch: browserFetch as typeof fetch });
    if (before === undefined) delete process.env.PREFER_API_KEY;
    else process.env.PREFER_API_KEY = before;
  });

  it('has no session before login, then logs in and reads it', async () => {
    expect(await client.session()).toBeNull();
    await expect(client.login('owner@example.com', 'wrong password!!')).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    const session = await client.login('owner@example.com', PASSWORD);
    expect(session.user.email).toBe('owner@example.com');
    expect(jar).toMatch(/^__Host-prefer_session=/);
    const again = await client.session();
    expect(again?.csrfToken).toBe(session.csrfToken);
    // Never an API key in session mode, even with PREFER_API_KEY set.
    expect(sent.every((r) => r.auth === null)).toBe(true);
  });

  it('sends the CSRF token on writes only, and a write without it is refused', async () => {
    sent.length = 0;
    const ds = await client.createDataset({ name: 'made in a session' });
    await client.getDataset(ds.id);
    expect(sent.map((r) => [r.method, r.csrf !== null])).toEqual([
      ['POST', true],
      ['GET', false],
    ]);
    const bare = await createApp({ store: ctx.store }).request('http://localhost/api/v1/datasets', {
      method: 'POST',
      headers: { Cookie: jar, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'no token' }),
    });
    expect(bare.status).toBe(403);
  });

  it('changes the password and logs out', async () => {
    await expect(client.changePassword('not the password', 'another password 2')).rejects.toBeInstanceOf(
      AuthorizationError,
    );
    await client.changePassword(PASSWORD, 'another password 2');
    await client.logout();
    expect(jar).toBe('');
    expect(await client.session()).toBeNull();
    await client.login('owner@example.com', 'another password 2');
    expect(await client.session()).not.toBeNull();
  });
});
