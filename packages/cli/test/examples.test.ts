/** The README walk-through, command for command, on the files in examples/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, REPO, runCli, UUID } from './support/run-cli.ts';

describeBackends('README walk-through on examples/', (ctx) => {
  it('runs as written and prints what the README shows', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const env = { PREFER_DATABASE_URL: ctx.url };
    const ok = async (args: string[]) => {
      const r = await runCli(args, env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout.trim();
    };
    const ds = await ok(['dataset', 'create', '--name', 'Assistant conversations']);
    expect(ds).toMatch(ID);
    const rows = await ok(['data-rows', 'import', '--dataset', ds, 'examples/conversations.ndjson']);
    expect(readme).toContain(`# ${rows}\n`);
    const ont = await ok(['ontology', 'create', '--name', 'Preference', 'examples/ontology.json']);
    const project = await ok(['project', 'create', '--name', 'Assistant preference', '--ontology', ont]);
    expect(project).toMatch(ID);
    const batch = await ok([
      'batch',
      'create',
      '--project',
      project,
      '--name',
      'First batch',
      '--global-keys',
      'examples/global-keys.txt',
    ]);
    expect(batch).toMatch(UUID);
    const labels = await ok([
      'labels',
      'import',
      '--project',
      project,
      '--as',
      'rater@example.com',
      'examples/labels.ndjson',
    ]);
    expect(readme).toContain(`# ${labels}\n`);
  });
});
