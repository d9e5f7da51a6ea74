import { Hono } from 'hono';
import { beforeAll, expect, it } from 'vitest';
import { hashKey } from '../src/auth/api-key.format.ts';
import { authenticate, createApiKey, listApiKeys, revokeApiKey } from '../src/auth/api-key.service.ts';
import { originPolicy } from '../src/auth/csrf.ts';
import { type AuthEnv, requireActor } from '../src/auth/require-actor.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { AppError, HTTP_STATUS } from '../src/shared/errors.ts';
import { describeBackends } from './support/backends.ts';
import { orgAdmin } from './support/org-admin.ts';

const KEY_SHAPE = /^prefer_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/;

async function newActor(store: Parameters<typeof createApiKey>[0], email: string): Promise<Actor> {
  return store.write((tx) => orgAdmin(tx, `org of ${email}`, email));
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describeBackends('api keys', (ctx) => {
  let alice: Actor;
  let bob: Actor;
  beforeAll(async () => {
    alice = await newActor(ctx.store, 'alice@a.example');
    bob = await newActor(ctx.store, 'bob@b.example');
  });

  it('creates a key shown once, storing only its prefix and SHA-256 hash', async () => {
    const created = await createApiKey(ctx.store, alice, { name: 'ci' });
    expect(created.key).toMatch(KEY_SHAPE);
    expect(created.key.startsWith(`prefer_${created.prefix}_`)).toBe(true);
    const row = await ctx.store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.hash).toBe(hashKey(created.key));
    const secret = created.key.slice(`prefer_${created.prefix}_`.length);
    expect(JSON.stringify(row)).not.toContain(secret);
    const again = await createApiKey(ctx.store, alice, { name: 'ci' });
    expect(again.key).not.toBe(created.key);
  });

  it('authenticates a valid key as its user and organization, stamping last use', async () => {
    const { id, key } = await createApiKey(ctx.store, alice, { name: 'use' });
    const actor = await authenticate(ctx.store, key);
    expect(actor).toEqual(alice);
    const row = await ctx.store.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it('refuses missing, malformed, unknown, tampered, revoked and expired keys with one message', async () => {
    const { id, key } = await createApiKey(ctx.store, alice, { name: 'soon revoked' });
    const expiring = await createApiKey(ctx.store, alice, { name: 'short', expiresAt: Date.now() + 1000 });
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    const tampered = key.slice(0, -1) + last;
    await revokeApiKey(ctx.store, alice, id);
    const cases = [
      authenticate(ctx.store, undefined),
      authenticate(ctx.store, 'nonsense'),
      authenticate(ctx.store, `prefer_zzzzzzzz_${'a'.repeat(43)}`),
      authenticate(ctx.store, tampered),
      authenticate(ctx.store, key),
      authenticate(ctx.store, expiring.key, Date.now() + 2000),
    ];
    const errors = await Promise.all(cases.map(refusal));
    for (const e of errors) expect(e.code).toBe('UNAUTHENTICATED');
    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    // Before its expiry the short key still works.
    expect((await authenticate(ctx.store, expiring.key)).userId).toBe(alice.userId);
  });

  it('lists only the organization’s keys, without key material', async () => {
    await createApiKey(ctx.store, bob, { name: 'bob key' });
    const list = await listApiKeys(ctx.store, alice);
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((k) => k.user_email === alice.email)).toBe(true);
    expect(Object.keys(list[0]!).sort()).toEqual(
      ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'user_email'].sort(),
    );
  });

  it('answers another organization’s key id exactly like a missing one', async () => {
    const bobs = await createApiKey(ctx.store, bob, { name: 'not yours' });
    const other = await refusal(revokeApiKey(ctx.store, alice, bobs.id));
    const missing = await refusal(revokeApiKey(ctx.store, alice, 'cmissingmissingmissing000'));
    expect(other.code).toBe('NOT_FOUND');
    expect(missing.code).toBe('NOT_FOUND');
    expect(other.message.replace(bobs.id, 'ID')).toBe(
      missing.message.replace('cmissingmissingmissing000', 'ID'),
    );
    expect((await authenticate(ctx.store, bobs.key)).orgId).toBe(bob.orgId);
  });

  it('rejects empty names and past expiry times', async () => {
    expect((await refusal(createApiKey(ctx.store, alice, { name: '  ' }))).code).toBe('VALIDATION_FAILED');
    expect(
      (await refusal(createApiKey(ctx.store, alice, { name: 'x', expiresAt: Date.now() - 1 }))).code,
    ).toBe('VALIDATION_FAILED');
  });

  it('requireActor puts the actor on the context or answers 401', async () => {
    const app = new Hono<AuthEnv>();
    app.onError((err, c) =>
      err instanceof AppError
        ? c.json({ error: { code: err.code } }, HTTP_STATUS[err.code] as 401)
        : c.json({ error: { code: 'INTERNAL' } }, 500),
    );
    app.get('/who', requireActor(ctx.store, originPolicy(undefined)), (c) => c.json(c.get('actor')));
    const { key } = await createApiKey(ctx.store, bob, { name: 'http' });
    const ok = await app.request('/who', { headers: { Authorization: `Bearer ${key}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(bob);
    for (const headers of [{}, { Authorization: key }, { Authorization: 'Bearer prefer_x' }] as Record<
      string,
      string
    >[]) {
      const res = await app.request('/who', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } });
    }
  });
});
