/**
 * Accounts from the command line, as a user runs them: `prefer admin create`, `prefer users add`
 * and `prefer keys create|list|revoke`, locally on the database and remotely against a real
 * server; and the first admin printed once by `prefer serve --demo`.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../../server/src/http/server.ts';
import type { Actor } from '../../server/src/orgs/actor.ts';
import { newProject } from '../../server/test/accounts-support.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, runCli, spawnCli } from './support/run-cli.ts';

vi.setConfig({ testTimeout: 120_000 });

const PASSWORD = 'a very long admin password';

async function loginStatus(url: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await res.body?.cancel();
  return res.status;
}

describeBackends('prefer accounts commands', (ctx) => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serve --demo on an empty database prints a first admin with a random password once, never again', async () => {
    const start = async () => {
      const s = spawnCli(['--db', ctx.url, 'serve', '--port', '0', '--data-dir', ctx.dir, '--demo']);
      const [, url] = await s.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      await s.waitFor(/press Ctrl-C to stop/);
      return { s, url: url! };
    };
    const first = await start();
    let password = '';
    try {
      const out = first.s.output().stdout;
      expect(out).toMatch(/first admin \(shown this once/);
      const email = /email {5}(\S+)/.exec(out)?.[1];
      password = /password {2}(\S+)/.exec(out)?.[1] ?? '';
      expect(email).toBe('owner@localhost');
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await loginStatus(first.url, email!, password)).toBe(200);
      expect(await loginStatus(first.url, email!, 'guessing a password')).toBe(401);
      first.s.child.kill('SIGTERM');
      expect(await first.s.exited).toBe(0);
      // Printed once: the logs (stdout and stderr) carry it nowhere else.
      const all = first.s.output();
      expect(all.stdout.split(password).length - 1).toBe(1);
      expect(all.stderr).not.toContain(password);
    } finally {
      first.s.child.kill('SIGKILL');
    }
    const second = await start();
    try {
      expect(second.s.output().stdout).not.toMatch(/first admin/);
      expect(second.s.output().stdout).not.toContain(password);
      second.s.child.kill('SIGTERM');
      await second.s.exited;
    } finally {
      second.s.child.kill('SIGKILL');
    }
  });

  it('admin create takes the password from PREFER_ADMIN_PASSWORD, refuses without one or a short one', async () => {
    const email = `admin-${ctx.backend}@example.com`;
    const noPassword = await runCli(['--db', ctx.url, 'admin', 'create', '--email', email]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('PREFER_ADMIN_PASSWORD');
    const short = await runCli(['--db', ctx.url, 'admin', 'create', '--email', email], {
      PREFER_ADMIN_PASSWORD: 'short',
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('12 to 1024 characters');
    const made = await runCli(['--db', ctx.url, 'admin', 'create', '--email', email, '--name', 'Ada'], {
      PREFER_ADMIN_PASSWORD: PASSWORD,
    });
    expect(made.stderr).toContain('is an organization admin');
    expect(made.code).toBe(0);
    expect(made.stdout.trim()).toMatch(ID);
    const row = await ctx.store.db
      .selectFrom('users')
      .select(['role', 'password_hash', 'name'])
      .where('email_lower', '=', email)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'admin', name: 'Ada' });
    expect(row.password_hash).not.toContain(PASSWORD);
    expect(await loginStatus(server.url, email, PASSWORD)).toBe(200);
    const again = await runCli(['--db', ctx.url, 'admin', 'create', '--email', email], {
      PREFER_ADMIN_PASSWORD: PASSWORD,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has a password');
  });

  it('users add works locally (with a project role and a password from stdin) and remotely with an admin key', async () => {
    const owner = await ctx.store.db
      .selectFrom('users')
      .select(['id', 'org_id', 'email'])
      .where('email_lower', '=', 'owner@localhost')
      .executeTakeFirstOrThrow();
    const actor: Actor = { orgId: owner.org_id, userId: owner.id, email: owner.email, role: 'admin' };
    const projectId = await newProject(ctx.store, actor, `CLI ${ctx.backend}`);
    const local = await runCli(
      [
        '--db',
        ctx.url,
        '--json',
        'users',
        'add',
        '--email',
        `rater-${ctx.backend}@example.com`,
        '--role',
        'member',
        '--project',
        projectId,
        '--project-role',
        'labeler',
        '--password-stdin',
      ],
      {},
      'rater password 123\n',
    );
    expect(local.stderr).toBe('');
    expect(local.code).toBe(0);
    const made = JSON.parse(local.stdout) as { id: string; role: string; project_role: string };
    expect(made).toMatchObject({ role: 'member', project_id: projectId, project_role: 'labeler' });
    const member = await ctx.store.db
      .selectFrom('project_members')
      .select('role')
      .where('project_id', '=', projectId)
      .where('user_id', '=', made.id)
      .executeTakeFirstOrThrow();
    expect(member.role).toBe('labeler');
    expect(await loginStatus(server.url, `rater-${ctx.backend}@example.com`, 'rater password 123')).toBe(200);

    const usage = await runCli([
      '--db',
      ctx.url,
      'users',
      'add',
      '--email',
      'x@example.com',
      '--project',
      projectId,
    ]);
    expect(usage.code).toBe(2);

    const adminKey = (await runCli(['--db', ctx.url, 'keys', 'create', '--name', 'cli admin'])).stdout.trim();
    const remote = await runCli(
      [
        'users',
        'add',
        '--url',
        server.url,
        '--email',
        `remote-${ctx.backend}@example.com`,
        '--project',
        projectId,
        '--project-role',
        'reviewer',
      ],
      { PREFER_API_KEY: adminKey },
    );
    expect(remote.code).toBe(0);
    expect(remote.stderr).toContain('has no password yet');
    const remoteId = remote.stdout.trim();
    expect(remoteId).toMatch(ID);
    const remoteMember = await ctx.store.db
      .selectFrom('project_members')
      .select('role')
      .where('user_id', '=', remoteId)
      .executeTakeFirstOrThrow();
    expect(remoteMember.role).toBe('reviewer');

    // A labeler's key may not add users: the server's 403 message, exit 1, nothing created.
    const raterKey = (
      await runCli([
        '--db',
        ctx.url,
        'keys',
        'create',
        '--name',
        'rater',
        '--email',
        `rater-${ctx.backend}@example.com`,
      ])
    ).stdout.trim();
    const refused = await runCli(
      [
        'users',
        'add',
        '--url',
        server.url,
        '--email',
        `sneaky-${ctx.backend}@example.com`,
        '--role',
        'admin',
      ],
      { PREFER_API_KEY: raterKey },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('may not');
    const sneaky = await ctx.store.db
      .selectFrom('users')
      .select('id')
      .where('email_lower', '=', `sneaky-${ctx.backend}@example.com`)
      .executeTakeFirst();
    expect(sneaky).toBeUndefined();
  });

  it('keys create|list|revoke work locally and remotely; a revoked key is refused at once', async () => {
    const local = await runCli([
      '--db',
      ctx.url,
      '--json',
      'keys',
      'create',
      '--name',
      'local',
      '--expires-in',
      '30',
    ]);
    expect(local.code).toBe(0);
    const created = JSON.parse(local.stdout) as { id: string; key: string; expires_at: string };
    expect(created.key).toMatch(/^prefer_[0-9a-z]{8}_[A-Za-z0-9_-]{43}$/);
    expect(Math.round((Date.parse(created.expires_at) - Date.now()) / 86_400_000)).toBe(30);
    const tooLong = await runCli(['--db', ctx.url, 'keys', 'create', '--name', 'x', '--expires-in', '400']);
    expect(tooLong.code).toBe(2);

    const env = { PREFER_API_KEY: created.key };
    const remote = await runCli(['keys', 'create', '--url', server.url, '--name', 'remote'], env);
    expect(remote.code).toBe(0);
    expect(remote.stderr).toContain('shown once');
    const remoteKey = remote.stdout.trim();
    expect(remoteKey).toMatch(/^prefer_/);
    const withEmail = await runCli(
      ['keys', 'create', '--url', server.url, '--name', 'x', '--email', 'someone@example.com'],
      env,
    );
    expect(withEmail.code).toBe(2);

    const list = await runCli(['keys', 'list', '--url', server.url], { PREFER_API_KEY: remoteKey });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(created.id);
    expect(list.stdout).toContain('remote');
    expect(list.stdout).not.toContain(remoteKey.split('_').slice(2).join('_'));
    const localList = await runCli(['--db', ctx.url, 'keys', 'list']);
    expect(localList.stdout).toContain(created.id);
    expect(localList.stdout).not.toContain(created.key.split('_').slice(2).join('_'));

    const revoke = await runCli(['keys', 'revoke', '--url', server.url, created.id], {
      PREFER_API_KEY: remoteKey,
    });
    expect(revoke.code).toBe(0);
    const me = await fetch(`${server.url}/api/v1/me`, {
      headers: { Authorization: `Bearer ${created.key}` },
    });
    expect(me.status).toBe(401);
    const denied = await runCli(['keys', 'list', '--url', server.url], env);
    expect(denied.code).toBe(1);
  });

  it('users invite prints a one-time link locally (on --public-url) and remotely; the link sets a password once', async () => {
    const usage = await runCli(['--db', ctx.url, 'users', 'invite', `nolink-${ctx.backend}@example.com`], {
      PREFER_PUBLIC_URL: '',
    });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--public-url');

    const local = await runCli([
      '--db',
      ctx.url,
      'users',
      'invite',
      `invited-${ctx.backend}@example.com`,
      '--role',
      'member',
      '--public-url',
      'https://prefer.example.com',
    ]);
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout.trim()).toMatch(/^https:\/\/prefer\.example\.com\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(local.stderr).toContain('works once');

    const adminKey = (await runCli(['--db', ctx.url, 'keys', 'create', '--name', 'inviter'])).stdout.trim();
    const remote = await runCli(
      ['--json', 'users', 'invite', `remote-invited-${ctx.backend}@example.com`, '--url', server.url],
      { PREFER_API_KEY: adminKey },
    );
    expect(remote.code, remote.stderr).toBe(0);
    const made = JSON.parse(remote.stdout) as { invite_url: string; role: string };
    expect(made.role).toBe('member');
    expect(made.invite_url.startsWith(`${server.url}/invite/`)).toBe(true);
    const token = made.invite_url.slice(made.invite_url.lastIndexOf('/') + 1);
    const use = () =>
      fetch(`${server.url}/api/v1/auth/invite`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token, password: 'an invited password' }),
      });
    expect((await use()).status).toBe(200);
    expect((await use()).status).toBe(404);
    expect(
      await loginStatus(server.url, `remote-invited-${ctx.backend}@example.com`, 'an invited password'),
    ).toBe(200);
  });
});
