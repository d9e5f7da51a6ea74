/** `prefer serve` and `prefer demo` as a user runs them. */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, REPO, runBin, runCli, spawnCli, UUID } from './support/run-cli.ts';

// Each step starts a Node process: slow on a loaded 2-core machine, never a hang.
vi.setConfig({ testTimeout: 120_000 });

describeBackends('prefer demo and serve', (ctx) => {
  it('seeds the demo once: a second run prints the same ids', async () => {
    const first = await runCli(['--db', ctx.url, '--json', 'demo']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const demo = JSON.parse(first.stdout);
    expect(demo.created).toBe(true);
    expect(demo.dataRows).toBeGreaterThanOrEqual(20);
    expect(demo.projectId).toMatch(ID);
    expect(demo.batchId).toMatch(UUID);
    const second = await runCli(['--db', ctx.url, 'demo']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`project  ${demo.projectId}\n`);
    const projects = await ctx.store.db.selectFrom('projects').select('name').execute();
    expect(projects.filter((p) => p.name === 'Demo: assistant preference')).toHaveLength(1);
  });

  it('serves the API and runs exports until SIGTERM, then stops cleanly', async () => {
    const server = spawnCli(['--db', ctx.url, 'serve', '--port', '0', '--data-dir', ctx.dir, '--demo']);
    try {
      const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const res = await fetch(`${url}/api/v1/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: ctx.backend });
      // The export worker runs inside serve: an export of the demo project completes.
      const demo = JSON.parse((await runCli(['--db', ctx.url, '--json', 'demo'])).stdout);
      const key = (await runCli(['--db', ctx.url, 'keys', 'create', '--name', 'serve test'])).stdout.trim();
      const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const started = await fetch(`${url}/api/v1/projects/${demo.projectId}/exports`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ params: { project_details: true } }),
      });
      expect(started.status).toBe(202);
      const { id } = (await started.json()) as { id: string };
      let status = 'IN_PROGRESS';
      for (let i = 0; i < 600 && status === 'IN_PROGRESS'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const task = await fetch(`${url}/api/v1/export-tasks/${id}`, { headers: auth });
        status = ((await task.json()) as { status: string }).status;
      }
      expect(status).toBe('COMPLETE');
      const result = await fetch(`${url}/api/v1/export-tasks/${id}/result`, { headers: auth });
      const lines = (await result.text()).trim().split('\n');
      expect(lines).toHaveLength(demo.dataRows);
      expect(JSON.parse(lines[0]!).projects[demo.projectId].project_details.batch_id).toBe(demo.batchId);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output().stderr).toContain('SIGTERM: finishing requests in flight');
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});

describe('prefer with no configuration', () => {
  it('creates ./data/prefer.db in the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prefer-fresh-'));
    try {
      const { spawnSync } = await import('node:child_process');
      const r = spawnSync(
        process.execPath,
        [join(REPO, 'packages/cli/bin/prefer.js'), 'dataset', 'create', '--name', 'x'],
        {
          cwd: dir,
          env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PREFER_'))),
          encoding: 'utf8',
        },
      );
      // The default database is relative to the working folder, so its creation is announced.
      expect(r.stderr).toBe(
        `note: created a new, empty database at ${join(realpathSync(dir), 'data/prefer.db')} (--db or PREFER_DATABASE_URL names another)\n`,
      );
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toMatch(ID);
      expect(existsSync(join(dir, 'data/prefer.db'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the executable exits 2 on a usage error and 1 on a failure, the reason on stderr', async () => {
    const usage = await runBin(['dataset', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--name <name>' not specified");
    const failed = await runBin([
      'data-rows',
      'import',
      '--dataset',
      'c000000000000000000000000',
      'no/such.ndjson',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('cannot read no/such.ndjson: ENOENT');
  });

  it('npx prefer --help works through node_modules/.bin', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(join(REPO, 'node_modules/.bin/prefer'), ['--help'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const cmd of ['serve', 'demo', 'dataset', 'data-rows', 'ontology', 'project', 'batch', 'labels']) {
      expect(r.stdout).toContain(cmd);
    }
  });
});
