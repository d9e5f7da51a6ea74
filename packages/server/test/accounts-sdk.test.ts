/** The SDK's account calls against a real server on a port: users, API keys, project members. */
import {
  AuthenticationError,
  AuthorizationError,
  Client,
  ResourceNotFoundError,
  type User,
  ValidationError,
} from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { adminWithPassword, keyOf, newProject, uniqueEmail } from './accounts-support.ts';
import { describeBackends } from './support/backends.ts';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describeBackends('SDK: users, keys and members', (ctx) => {
  let server: RunningServer;
  let admin: Actor;
  let client: Client;
  let projectId: string;

  beforeAll(async () => {
    admin = await adminWithPassword(ctx.store, 'SDK accounts org');
    projectId = await newProject(ctx.store, admin, 'SDK members');
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    client = new Client({ endpoint: server.url, apiKey: await keyOf(ctx.store, admin), maxRetries: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates, reads, lists and changes users', async () => {
    const me = await client.getUser();
    expect(me).toMatchObject({ id: admin.userId, email: admin.email, role: 'admin', hasPassword: true });
    expect(me.projects).toEqual([{ projectId, role: 'manager' }]);
    const email = uniqueEmail('sdk');
    const user = await client.createUser({ email, name: 'Sdk User', password: 'sdk user password' });
    expect(user).toMatchObject({
      email,
      name: 'Sdk User',
      role: 'member',
      disabled: false,
      hasPassword: true,
    });
    expect(user.createdAt).toBeInstanceOf(Date);
    expect((await client.getUser(user.id)).email).toBe(email);
    const all: User[] = [];
    for await (const u of client.getUsers({ pageSize: 1 })) all.push(u);
    expect(all.map((u) => u.id)).toEqual(expect.arrayContaining([admin.userId, user.id]));
    const disabled = await client.updateUser(user.id, { disabled: true });
    expect(disabled.disabled).toBe(true);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await rejection(client.getUser('cmissingmissingmissing0000'))).toBeInstanceOf(
      ResourceNotFoundError,
    );
    expect(await rejection(client.createUser({ email: uniqueEmail('p'), password: 'short' }))).toBeInstanceOf(
      ValidationError,
    );
  });

  it('creates keys shown once, lists them without the secret, revokes them at once', async () => {
    const created = await client.createApiKey({ name: 'sdk key', expiresInDays: 7 });
    expect(created.key).toMatch(/^prefer_/);
    expect(Math.round((created.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(7);
    const second = new Client({ endpoint: server.url, apiKey: created.key, maxRetries: 0 });
    expect((await second.getUser()).id).toBe(admin.userId);
    const keys = [];
    for await (const k of client.getApiKeys()) keys.push(k);
    const listed = keys.find((k) => k.id === created.id);
    expect(listed).toMatchObject({
      name: 'sdk key',
      prefix: created.prefix,
      state: 'active',
      userId: admin.userId,
    });
    // The secret is base64url and may itself hold '_': cut it after `prefer_<prefix>_`.
    expect(JSON.stringify(keys)).not.toContain(created.key.slice(`prefer_${created.prefix}_`.length));
    await client.revokeApiKey(created.id);
    expect(await rejection(second.getUser())).toBeInstanceOf(AuthenticationError);
  });

  it('adds, changes, lists and removes project members; a labeler gets AuthorizationError', async () => {
    const email = uniqueEmail('member');
    const user = await client.createUser({ email });
    const project = await client.getProject(projectId);
    const added = await project.addMember({ email, role: 'labeler' });
    expect(added).toMatchObject({ userId: user.id, email, role: 'labeler', orgRole: 'member' });
    const changed = await project.updateMember(user.id, 'reviewer');
    expect(changed.role).toBe('reviewer');
    const members = [];
    for await (const m of project.getMembers({ pageSize: 1 })) members.push(m);
    expect(members.map((m) => [m.userId, m.role])).toEqual(
      expect.arrayContaining([
        [admin.userId, 'manager'],
        [user.id, 'reviewer'],
      ]),
    );
    // A reviewer of the project may read it but not manage its members.
    const { createApiKey } = await import('../src/auth/api-key.service.ts');
    const memberKey = (
      await createApiKey(
        ctx.store,
        { orgId: admin.orgId, userId: user.id, email, role: 'member' },
        { name: 'm' },
      )
    ).key;
    const asMember = new Client({ endpoint: server.url, apiKey: memberKey, maxRetries: 0 });
    const theirView = await asMember.getProject(projectId);
    expect(await rejection(theirView.addMember({ userId: user.id, role: 'manager' }))).toBeInstanceOf(
      AuthorizationError,
    );
    expect(await rejection(asMember.createUser({ email: uniqueEmail('x') }))).toBeInstanceOf(
      AuthorizationError,
    );
    await project.removeMember(user.id);
    expect(await rejection(asMember.getProject(projectId))).toBeInstanceOf(ResourceNotFoundError);
  });
});
