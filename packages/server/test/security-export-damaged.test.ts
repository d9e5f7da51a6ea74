/**
 * A COMPLETE export file changed on disk must not be served under its old X-Content-SHA256
 * (issue 10): every read (the REST stream route, GraphQL chunks and their signed links) checks
 * the size and a sampled fingerprint recorded at completion first. A truncated or changed file
 * answers 503 "damaged"; a file that is gone still answers 503 "missing".
 */
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createExportTask } from '../src/exports/tasks/export-task.service.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { describeBackends } from './support/backends.ts';
import { seedOrg, seedProject, standInRunner, waitFor } from './support/export-child-fixtures.ts';

const ROWS = 3300;

describeBackends('security: damaged export files are never served', (ctx) => {
  let actor: Actor;
  let key: string;
  let taskId: string;
  let worker: ExportWorker;
  let app: ReturnType<typeof createApp>;
  let original: Buffer;
  const file = () => join(ctx.dir, 'data', 'exports', taskId, 'result.ndjson');

  beforeAll(async () => {
    actor = await seedOrg(ctx.store);
    key = (await createApiKey(ctx.store, actor, { name: 'reader' })).key;
    const projectId = await seedProject(ctx.store, actor);
    taskId = (
      await createExportTask(ctx.store, actor, {
        projectId,
        type: 'export-data-rows',
        params: {},
        filters: {},
      })
    ).id;
    worker = startExportWorker(ctx.store, {
      dataDir: join(ctx.dir, 'data'),
      pollMs: 20,
      retentionEveryMs: 0,
      runner: standInRunner({ rows: ROWS }),
    });
    await waitFor(async () => {
      const row = await ctx.store.db
        .selectFrom('export_tasks')
        .where('id', '=', taskId)
        .select('status')
        .executeTakeFirst();
      return row?.status === 'COMPLETE' ? true : undefined;
    }, 'the export to complete');
    original = readFileSync(file());
    app = createApp({ store: ctx.store, logError: () => {}, graphql: { chunkBytes: 4096 } });
  });
  afterAll(() => worker?.stop());

  const rest = () =>
    app.request(`/api/v1/export-tasks/${taskId}/result`, { headers: { Authorization: `Bearer ${key}` } });
  const chunk = async () => {
    const res = await app.request('/graphql', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: `query { task(where: {id: "${taskId}"}) { exportFileFromOffset(streamType: RESULT, offset: 0) { file } } }`,
      }),
    });
    return (await res.json()) as {
      data: { task: { exportFileFromOffset: { file: string } | null } };
      errors?: { message: string }[];
    };
  };
  const link = async (url: string) => app.request(new URL(url).pathname + new URL(url).search);

  it('serves the intact file with its SHA-256', async () => {
    const res = await rest();
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(original)).toBe(true);
    expect(res.headers.get('x-content-sha256')).toMatch(/^[0-9a-f]{64}$/);
  });

  for (const damage of [
    { what: 'one byte changed, same size', apply: (p: string) => writeFileSync(p, flip(original, 5)) },
    {
      what: 'one byte changed near the end',
      apply: (p: string) => writeFileSync(p, flip(original, original.length - 3)),
    },
    { what: 'cut short by one byte', apply: (p: string) => truncateSync(p, original.length - 1) },
  ]) {
    it(`refuses a file ${damage.what}: 503 damaged on every read path`, async () => {
      const signed = (await chunk()).data.task.exportFileFromOffset!.file;
      damage.apply(file());
      try {
        const res = await rest();
        expect(res.status).toBe(503);
        const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
        expect(body.error).toMatchObject({ code: 'UNAVAILABLE', details: { file: 'damaged' } });
        expect(body.error.message).toContain('damaged');
        const viaGraphql = await chunk();
        expect(viaGraphql.data.task.exportFileFromOffset).toBeNull();
        expect(viaGraphql.errors?.[0]?.message).toContain('damaged');
        expect((await link(signed)).status).toBe(503);
      } finally {
        writeFileSync(file(), original);
      }
      expect((await rest()).status).toBe(200);
    });
  }

  it('keeps "missing" for a file that is gone', async () => {
    rmSync(file());
    try {
      const res = await rest();
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { message: string; details: unknown } };
      expect(body.error.details).toEqual({ file: 'missing' });
      expect(body.error.message).toContain('missing');
    } finally {
      writeFileSync(file(), original);
    }
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  // A digit for another digit keeps the line valid JSON: only the fingerprint can tell.
  copy[at] = copy[at] === 0x31 ? 0x32 : 0x31;
  return copy;
}
