/**
 * The login limit under concurrency (issue 10, finding 1): a wave of concurrent guesses must not
 * all be evaluated. An attempt is counted before its password is hashed, in the database, so two
 * apps on two stores of one database (two server processes) share one count.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginLimiter } from '../src/accounts/login-limit.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { type App, adminWithPassword, keyOf, PASSWORD, withKey } from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

const WINDOW_MS = 15 * 60_000;

describeBackends('security: login limit under concurrency', (ctx) => {
  let other: Store;
  let apps: App[];
  let clock = Date.now();

  beforeAll(async () => {
    // A second store on the same database: what a second server process would open.
    other = await openStore(ctx.url);
    apps = [ctx.store, other].map((store) => createApp({ store, logError: () => {} }));
    for (const store of [ctx.store, other]) loginLimiter(store).now = () => clock;
  });
  afterAll(async () => {
    await other.close();
  });

  const attempt = (app: App, email: string, password: string) =>
    app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  const tally = (statuses: number[]) =>
    Object.entries(
      statuses.reduce<Record<string, number>>((acc, s) => {
        acc[s] = (acc[s] ?? 0) + 1;
        return acc;
      }, {}),
    )
      .map(([status, n]) => `${n}x${status}`)
      .join(' + ');

  it('evaluates at most 10 of 40 concurrent wrong guesses over two apps, then refuses the right one until the window ends', async () => {
    const user = await adminWithPassword(ctx.store, 'Race org');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(apps[i % 2]!, user.email, `wrong guess ${i}`)),
    );
    const statuses = answers.map((r) => r.status);
    console.info(`[${ctx.backend}] 40 concurrent wrong guesses: ${tally(statuses)}`);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    for (const res of answers.filter((r) => r.status === 429))
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const app of apps) expect((await attempt(app, user.email, PASSWORD)).status).toBe(429);
    clock += WINDOW_MS + 1000;
    expect((await attempt(apps[1]!, user.email, PASSWORD)).status).toBe(200);
  });

  it('80 concurrent guesses with the right one last: at most 10 evaluated, the right one never lets in', async () => {
    const user = await adminWithPassword(ctx.store, 'Wave org');
    clock += WINDOW_MS + 1000;
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        attempt(apps[i % 2]!, user.email, i === 79 ? PASSWORD : `wrong guess ${i}`),
      ),
    );
    const statuses = answers.map((r) => r.status);
    console.info(`[${ctx.backend}] 80 concurrent guesses, the right one last: ${tally(statuses)}`);
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(10);
    expect(statuses[79]).toBe(429);
  });

  it('counts wrong current passwords of POST /me/password before hashing too', async () => {
    const user: Actor = await adminWithPassword(ctx.store, 'Change org');
    const key = await keyOf(ctx.store, user);
    clock += WINDOW_MS + 1000;
    const change = (app: App, current: string) =>
      withKey(app, key, 'POST', '/api/v1/me/password', {
        current_password: current,
        new_password: 'a brand new passphrase',
      });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => change(apps[i % 2]!, `wrong ${i}`)),
    );
    const statuses = answers.map((r) => r.status);
    console.info(`[${ctx.backend}] 40 concurrent wrong current passwords: ${tally(statuses)}`);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s !== 403).every((s) => s === 429)).toBe(true);
    expect((await change(apps[0]!, PASSWORD)).status).toBe(429);
    clock += WINDOW_MS + 1000;
    expect((await change(apps[0]!, PASSWORD)).status).toBe(204);
  });
});
