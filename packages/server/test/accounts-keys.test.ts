/**
 * API keys over HTTP (docs/reliability.md no. 7): shown once, only hash and prefix stored (the table dumped),
 * refused on the next request after expiry, revocation or disabling the user; the maximum
 * validity enforced; one's own keys only, admins any of the organization.
 */
import { beforeAll, expect, it } from 'vitest';
import { hashKey } from '../src/auth/api-key.format.ts';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { AppError } from '../src/shared/errors.ts';
import { type App, adminWithPassword, keyOf, userWithPassword, withKey } from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

const DAY_MS = 86_400_000;

interface KeyPage {
  items: { id: string; prefix: string; state: string; user_id: string; expires_at: string | null }[];
  nextCursor: string | null;
}

describeBackends('accounts: API keys', (ctx) => {
  let app: App;
  let admin: Actor;
  let adminKey: string;
  let member: Actor;
  let memberKey: string;

  beforeAll(async () => {
    app = createApp({ store: ctx.store, logError: () => {} });
    admin = await adminWithPassword(ctx.store, 'Keys org');
    adminKey = await keyOf(ctx.store, admin);
    member = await userWithPassword(ctx.store, admin.orgId);
    memberKey = await keyOf(ctx.store, member);
  });

  it('shows a new key once; lists and the database hold only its prefix and hash', async () => {
    const res = await withKey(app, memberKey, 'POST', '/api/v1/keys', {
      name: 'notebook',
      expires_in_days: 30,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = (await res.json()) as { id: string; key: string; prefix: string; expires_at: string };
    expect(created.key).toMatch(/^prefer_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(created.expires_at) - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const secret = created.key.split('_').slice(2).join('_');
    const list = await withKey(app, created.key, 'GET', '/api/v1/keys');
    const text = await list.text();
    expect(text).not.toContain(secret);
    const page = JSON.parse(text) as KeyPage;
    expect(page.items.find((k) => k.id === created.id)).toMatchObject({
      prefix: created.prefix,
      state: 'active',
    });
    expect(page.items.every((k) => k.user_id === member.userId)).toBe(true);
    const dump = JSON.stringify(await ctx.store.db.selectFrom('api_keys').selectAll().execute());
    expect(dump).not.toContain(secret);
    expect(dump).toContain(hashKey(created.key));
    expect(dump).toContain(created.prefix);
  });

  it('expires keys in 90 days by default and refuses more than 365 days', async () => {
    const res = await withKey(app, memberKey, 'POST', '/api/v1/keys', { name: 'default' });
    const { expires_at } = (await res.json()) as { expires_at: string };
    expect(Math.round((Date.parse(expires_at) - Date.now()) / DAY_MS)).toBe(90);
    const long = await withKey(app, memberKey, 'POST', '/api/v1/keys', {
      name: 'forever',
      expires_in_days: 366,
    });
    expect(long.status).toBe(400);
    const err = await createApiKey(ctx.store, member, {
      name: 'x',
      expiresAt: Date.now() + 366 * DAY_MS,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
  });

  it('refuses a key after its 1-second expiry', async () => {
    // The app's clock, moved by the test instead of sleeping past the expiry.
    let now = Date.now();
    const timed = createApp({ store: ctx.store, logError: () => {}, now: () => now });
    const { key } = await createApiKey(ctx.store, member, { name: 'brief', expiresAt: now + 1000 }, now);
    expect((await withKey(timed, key, 'GET', '/api/v1/me')).status).toBe(200);
    now += 999;
    expect((await withKey(timed, key, 'GET', '/api/v1/me')).status).toBe(200);
    now += 1;
    expect((await withKey(timed, key, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('refuses a key on the request right after it is revoked', async () => {
    const created = (await (
      await withKey(app, memberKey, 'POST', '/api/v1/keys', { name: 'soon gone' })
    ).json()) as {
      id: string;
      key: string;
    };
    expect((await withKey(app, created.key, 'GET', '/api/v1/me')).status).toBe(200);
    expect((await withKey(app, memberKey, 'DELETE', `/api/v1/keys/${created.id}`)).status).toBe(204);
    expect((await withKey(app, created.key, 'GET', '/api/v1/me')).status).toBe(401);
    const page = (await (await withKey(app, memberKey, 'GET', '/api/v1/keys?limit=500')).json()) as KeyPage;
    expect(page.items.find((k) => k.id === created.id)?.state).toBe('revoked');
  });

  it('refuses the keys of a disabled user at once, and accepts them again when re-enabled', async () => {
    const user = await userWithPassword(ctx.store, admin.orgId);
    const key = await keyOf(ctx.store, user);
    expect((await withKey(app, key, 'GET', '/api/v1/me')).status).toBe(200);
    expect(
      (await withKey(app, adminKey, 'PATCH', `/api/v1/users/${user.userId}`, { disabled: true })).status,
    ).toBe(200);
    expect((await withKey(app, key, 'GET', '/api/v1/me')).status).toBe(401);
    expect(
      (await withKey(app, adminKey, 'PATCH', `/api/v1/users/${user.userId}`, { disabled: false })).status,
    ).toBe(200);
    expect((await withKey(app, key, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it("keeps others' keys out of reach of a non-admin (404 to revoke, 403 to list); an admin reaches them", async () => {
    const adminsOwn = await createApiKey(ctx.store, admin, { name: 'admin only' });
    const revoke = await withKey(app, memberKey, 'DELETE', `/api/v1/keys/${adminsOwn.id}`);
    expect(revoke.status).toBe(404);
    expect((await withKey(app, adminsOwn.key, 'GET', '/api/v1/me')).status).toBe(200);
    expect((await withKey(app, memberKey, 'GET', `/api/v1/keys?user_id=${admin.userId}`)).status).toBe(403);
    const listed = await withKey(app, adminKey, 'GET', `/api/v1/keys?user_id=${member.userId}&limit=1`);
    expect(listed.status).toBe(200);
    const first = (await listed.json()) as KeyPage;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (
      await withKey(
        app,
        adminKey,
        'GET',
        `/api/v1/keys?user_id=${member.userId}&limit=1&cursor=${first.nextCursor}`,
      )
    ).json()) as KeyPage;
    expect(second.items[0]!.id > first.items[0]!.id).toBe(true);
    const memberKeyId = (
      await ctx.store.db
        .selectFrom('api_keys')
        .select('id')
        .where('hash', '=', hashKey(memberKey))
        .executeTakeFirstOrThrow()
    ).id;
    expect((await withKey(app, adminKey, 'DELETE', `/api/v1/keys/${memberKeyId}`)).status).toBe(204);
    expect((await withKey(app, memberKey, 'GET', '/api/v1/me')).status).toBe(401);
    memberKey = await keyOf(ctx.store, member);
  });

  it("answers another organization's key and user as missing (404)", async () => {
    const other = await adminWithPassword(ctx.store, 'Other org');
    const theirs = await createApiKey(ctx.store, other, { name: 'theirs' });
    expect((await withKey(app, adminKey, 'DELETE', `/api/v1/keys/${theirs.id}`)).status).toBe(404);
    expect((await withKey(app, adminKey, 'GET', `/api/v1/keys?user_id=${other.userId}`)).status).toBe(404);
    expect((await withKey(app, theirs.key, 'GET', '/api/v1/me')).status).toBe(200);
  });
});
