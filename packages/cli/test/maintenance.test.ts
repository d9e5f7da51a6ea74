/**
 * `prefer backup`, `restore` and `doctor` as a user runs them (issue 10): a backup taken while the
 * database is open, restored into an empty database, exports the same bytes; a restore into a
 * database that holds data is refused; doctor passes a sound database and names a changed export
 * file with what to do (exit 1).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, expect, inject, it, vi } from 'vitest';
import { openStore } from '../../server/src/store/store.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import {
  actor,
  collect,
  ORG,
  RICH,
  seedExportFixtures,
  USERS,
} from '../../server/test/support/export-fixtures.ts';
import { withDatabase } from '../../server/test/support/global-setup.ts';
import { ALL_PARAMS } from '../../server/test/support/seed-params.ts';
import { runCli } from './support/run-cli.ts';

vi.setConfig({ testTimeout: 120_000 });

function pgToolsMissing(): string | null {
  try {
    execFileSync('pg_dump', ['--version'], { stdio: 'ignore' });
    execFileSync('pg_restore', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'pg_dump/pg_restore are not installed';
  }
}

describeBackends('prefer backup, restore and doctor', (ctx) => {
  const exported = async (url: string) => {
    const store = await openStore(url);
    try {
      return (await collect(store, actor, RICH.projectId, { params: ALL_PARAMS })).lines.join('\n');
    } finally {
      await store.close();
    }
  };

  let target = '';
  beforeAll(async () => {
    await seedExportFixtures(ctx.store.db);
    if (ctx.backend === 'sqlite') {
      target = join(ctx.dir, 'restored.db');
    } else {
      const name = `${new URL(ctx.url).pathname.slice(1)}_restored`;
      const client = new pg.Client({ connectionString: inject('pgAdminUrl')! });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      target = withDatabase(inject('pgAdminUrl')!, name);
    }
  });

  it('restores a backup taken while the database is open into an empty one, exporting the same bytes', async () => {
    const missing = ctx.backend === 'postgres' ? pgToolsMissing() : null;
    if (missing) {
      if (process.env.CI === 'true') throw new Error(`${missing}; CI=true requires them`);
      console.warn(`[prefer tests] backup/restore [postgres] skipped: ${missing}`);
      return;
    }
    const before = await collect(ctx.store, actor, RICH.projectId, { params: ALL_PARAMS });
    expect(before.lines.length).toBeGreaterThan(1);
    const file = join(ctx.dir, 'prefer.backup');
    const backup = await runCli(['--db', ctx.url, '--json', 'backup', '--out', file]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({
      backend: ctx.backend,
      file,
      bytes: expect.any(Number),
    });

    const restore = await runCli(['--db', target, 'restore', file]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(await exported(target)).toBe(before.lines.join('\n'));

    // A database holding data is never restored into.
    const again = await runCli(['--db', target, 'restore', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /error: the database .* is not empty \(\d+ tables\): restore only into an empty one/,
    );
    expect(await exported(target)).toBe(before.lines.join('\n'));
    // Nor a backup into a database of the other kind (refused before connecting to anything).
    const otherKind = ctx.backend === 'sqlite' ? 'postgres://nobody@127.0.0.1:1/none' : join(ctx.dir, 'x.db');
    const wrongKind = await runCli(['--db', otherKind, 'restore', file]);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toMatch(/backup: restore it into a (SQLite file path|postgres:\/\/ database)/);
  });

  it('doctor passes a sound database, and names a changed export file with what to do', async () => {
    const ok = await runCli(['--db', ctx.url, '--json', 'doctor']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(
      ctx.backend === 'sqlite'
        ? ['integrity', 'durability', 'writable', 'wal', 'export files']
        : ['reachable', 'durability', 'writable', 'export files'],
    );

    // A finished task whose file was changed after it was recorded.
    const path = join(ctx.dir, 'result.ndjson');
    const recorded = '{"a":1}\n';
    writeFileSync(path, '{"a":2}\n');
    await ctx.store.db
      .insertInto('export_tasks')
      .values({
        id: 'c0000000000000000doctor01',
        org_id: ORG,
        project_id: RICH.projectId,
        type: 'export-data-rows',
        name: null,
        status: 'COMPLETE',
        params: '{}',
        filters: '{}',
        created_by: USERS.labeler.id,
        created_at: 1,
        updated_at: 1,
        completion_percentage: 100,
        worker_id: null,
        heartbeat_at: null,
        result_path: path,
        result_bytes: recorded.length,
        result_lines: 1,
        result_sha256: createHash('sha256').update(recorded).digest('hex'),
        errors_path: null,
        errors_bytes: null,
        errors_lines: null,
        errors_sha256: null,
        failure_reason: null,
        attempts: 1,
        files_deleted_at: null,
      })
      .execute();
    const bad = await runCli(['--db', ctx.url, 'doctor']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      `PROBLEM export files: task c0000000000000000doctor01 result file ${path} does not match its recorded SHA-256`,
    );
    expect(bad.stdout).toContain('fix: do not hand out this file: start the export again');
    expect(bad.stderr).toContain('error: 1 problem found');
  });
});
