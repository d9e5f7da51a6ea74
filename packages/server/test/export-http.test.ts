/**
 * The export HTTP API end to end in-process (`app.request()`), with a real worker running a
 * stand-in engine whose output is known byte for byte (multi-byte UTF-8 included).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../src/auth/api-key.service.ts';
import type { ExportRunner } from '../src/exports/tasks/export-task.types.ts';
import { lineChunk } from '../src/exports/v2/line-buffer.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { createApp } from '../src/http/app.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { describeBackends } from './support/backends.ts';
import {
  expectedStreams,
  seedOrg,
  seedProject,
  standInRunner,
  waitFor,
} from './support/export-child-fixtures.ts';
import { SEED_FILTERS, SEED_PARAMS } from './support/seed-params.ts';

const ROWS = 25;

describeBackends('export HTTP API', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let worker: ExportWorker;
  let alice: Actor;
  let key: string;
  let bobKey: string;
  let projectId: string;
  let blockedProject: string;
  let failingProject: string;
  let bobProject: string;
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });

  beforeAll(async () => {
    alice = await seedOrg(ctx.store, 'Alice org');
    const bob = await seedOrg(ctx.store, 'Bob org');
    projectId = await seedProject(ctx.store, alice, 'Prefs');
    blockedProject = await seedProject(ctx.store, alice, 'Held');
    failingProject = await seedProject(ctx.store, alice, 'Broken');
    bobProject = await seedProject(ctx.store, bob, 'Bob prefs');
    key = (await createApiKey(ctx.store, alice, { name: 'tests' })).key;
    bobKey = (await createApiKey(ctx.store, bob, { name: 'bob' })).key;
    const standard = standInRunner({ rows: ROWS });
    const runner: ExportRunner = async (store, actor, task, sink) => {
      if (task.projectId === blockedProject) await held;
      if (task.projectId === failingProject) throw new Error('engine exploded at /secret/path');
      if (task.type === 'export-labels') {
        await sink.result(...lineChunk('['));
        await sink.result(...lineChunk('{"ID":"l1","Label":"é€🌍"},'));
        await sink.result(...lineChunk('{"ID":"l2","Label":"x"}'));
        await sink.result(...lineChunk(']'));
        return { rows: 2, errors: 0 };
      }
      return standard(store, actor, task, sink);
    };
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner,
      pollMs: 20,
      // The held task keeps one slot busy; the others go on.
      concurrency: 4,
      retentionEveryMs: 0,
      log: () => {},
    });
    app = createApp({ store: ctx.store, logError: () => {} });
  });
  afterAll(async () => {
    release();
    await worker?.stop();
  });

  const call = (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const k = init.key === undefined ? key : init.key;
    if (k) headers.set('Authorization', `Bearer ${k}`);
    if (typeof init.body === 'string') headers.set('Content-Type', 'application/json');
    return app.request(`/api/v1${path}`, { ...init, headers });
  };
  const post = (path: string, body: unknown, k?: string | null) =>
    call(path, { method: 'POST', body: JSON.stringify(body), key: k });
  const done = (id: string) =>
    waitFor(async () => {
      const task = (await (await call(`/export-tasks/${id}`)).json()) as { status: string };
      return task.status === 'IN_PROGRESS' ? undefined : task;
    }, `task ${id}`);
  const startExport = async (body: unknown = { params: SEED_PARAMS, filters: SEED_FILTERS }) => {
    const res = await post(`/projects/${projectId}/exports`, body);
    expect(res.status).toBe(202);
    return (await res.json()) as { id: string; name: string; status: string; created_at: string };
  };

  it('needs a valid key on every route but health', async () => {
    expect((await call('/health', { key: null })).status).toBe(200);
    const task = await startExport();
    const revoked = await createApiKey(ctx.store, alice, { name: 'revoked' });
    await revokeApiKey(ctx.store, alice, revoked.id);
    // Made valid a second ago, expired now: no waiting for the clock.
    const made = Date.now() - 1000;
    const expiring = await createApiKey(ctx.store, alice, { name: 'expiring', expiresAt: made + 300 }, made);
    const routes: [string, string][] = [
      ['POST', `/projects/${projectId}/exports`],
      ['POST', `/projects/${projectId}/label-exports`],
      ['GET', `/export-tasks/${task.id}`],
      ['GET', `/export-tasks/${task.id}/result`],
      ['GET', `/export-tasks/${task.id}/errors`],
      ['GET', '/no-such-route'],
    ];
    for (const [method, path] of routes) {
      for (const k of [null, 'prefer_bad', `${key}x`, revoked.key, expiring.key]) {
        const res = await call(path, { method, key: k, ...(method === 'POST' ? { body: '{}' } : {}) });
        expect(res.status, `${method} ${path} with ${k}`).toBe(401);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('UNAUTHENTICATED');
      }
    }
  });

  it('starts an export v2 with the seed page params and filters, then serves its streams', async () => {
    const task = await startExport({ params: SEED_PARAMS, filters: SEED_FILTERS, task_name: 'seed export' });
    expect(task).toEqual({
      id: expect.stringMatching(/^c[0-9a-z]{24}$/),
      name: 'seed export',
      status: 'IN_PROGRESS',
      created_at: expect.any(String),
    });
    const stored = await ctx.store.db
      .selectFrom('export_tasks')
      .select(['params', 'filters', 'type'])
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(stored.type).toBe('export-data-rows');
    expect(JSON.parse(stored.params)).toEqual({ ...SEED_PARAMS, embeddings: false });
    expect(JSON.parse(stored.filters)).toEqual({
      last_activity_at: ['2000-01-01T00:00:00.000Z', '2050-01-01T00:00:00.999Z'],
    });

    const final = await done(task.id);
    const expected = expectedStreams(task.id, ROWS);
    expect(final).toMatchObject({
      id: task.id,
      type: 'export-data-rows',
      status: 'COMPLETE',
      completion_percentage: 100,
      failure_reason: null,
      result: { total_bytes: Buffer.byteLength(expected.result), total_lines: 23 },
      errors: { total_bytes: Buffer.byteLength(expected.errors), total_lines: 2 },
    });

    const res = await call(`/export-tasks/${task.id}/result`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-total-bytes')).toBe(String(Buffer.byteLength(expected.result)));
    expect(res.headers.get('x-total-lines')).toBe('23');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(expected.result)));
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="export-c[0-9a-z]+-result\.ndjson"$/,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(expected.result))).toBe(true);

    const head = await call(`/export-tasks/${task.id}/result`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-total-lines')).toBe('23');
    expect(await head.text()).toBe('');

    const errors = await call(`/export-tasks/${task.id}/errors`);
    expect(errors.status).toBe(200);
    expect(await errors.text()).toBe(expected.errors);
  });

  it('serves exact byte ranges, cutting through multi-byte characters', async () => {
    const task = await startExport();
    await done(task.id);
    const whole = Buffer.from(expectedStreams(task.id, ROWS).result);
    // The first "€" is three bytes; start one byte inside it.
    const euro = whole.indexOf(Buffer.from('€'));
    const cases: [string, number, number][] = [
      [`bytes=${euro + 1}-${euro + 40}`, euro + 1, euro + 40],
      [`bytes=${euro}-`, euro, whole.length - 1],
      [`bytes=0-0`, 0, 0],
      [`bytes=${whole.length - 3}-${whole.length + 100}`, whole.length - 3, whole.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await call(`/export-tasks/${task.id}/result`, { headers: { Range: range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${whole.length}`);
      expect(res.headers.get('content-length')).toBe(String(end - start + 1));
      const got = Buffer.from(await res.arrayBuffer());
      expect(got.equals(whole.subarray(start, end + 1)), range).toBe(true);
    }
    const beyond = await call(`/export-tasks/${task.id}/result`, {
      headers: { Range: `bytes=${whole.length}-` },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect(((await beyond.json()) as { error: { code: string } }).error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it('answers 409 for a running task and for a failed one, without leaking internals', async () => {
    const running = (await (await post(`/projects/${blockedProject}/exports`, {})).json()) as { id: string };
    const notReady = await call(`/export-tasks/${running.id}/result`);
    expect(notReady.status).toBe(409);
    expect(((await notReady.json()) as { error: unknown }).error).toMatchObject({
      code: 'TASK_NOT_READY',
      message: 'Task is not ready yet',
    });
    const failing = (await (await post(`/projects/${failingProject}/exports`, {})).json()) as { id: string };
    const final = (await done(failing.id)) as { status: string; failure_reason: string };
    expect(final.status).toBe('FAILED');
    const failed = await call(`/export-tasks/${failing.id}/errors`);
    expect(failed.status).toBe(409);
    const body = (await failed.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('TASK_FAILED');
    expect(body.error.message).toMatch(/^Task failed/);
    expect(JSON.stringify(body)).not.toContain('/secret/path');
  });

  it('answers another organization’s project and task exactly like missing ones', async () => {
    const task = await startExport();
    await done(task.id);
    const missingProject = 'cmissingmissingmissing0000';
    const norm = (body: unknown, id: string) =>
      JSON.stringify(body)
        .replaceAll(id, 'ID')
        .replace(/"requestId":"[^"]*"/, '');
    const other = await post(`/projects/${bobProject}/exports`, {});
    const missing = await post(`/projects/${missingProject}/exports`, {});
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(norm(await other.json(), bobProject)).toBe(norm(await missing.json(), missingProject));
    const otherV1 = await post(`/projects/${bobProject}/label-exports`, {});
    expect(otherV1.status).toBe(404);
    for (const suffix of ['', '/result', '/errors']) {
      const asBob = await call(`/export-tasks/${task.id}${suffix}`, { key: bobKey });
      const absent = await call(`/export-tasks/${missingProject}${suffix}`, { key: bobKey });
      expect(asBob.status).toBe(404);
      expect(norm(await asBob.json(), task.id)).toBe(norm(await absent.json(), missingProject));
    }
  });

  it('answers the project summary, and another organization’s project as missing', async () => {
    const res = await call(`/projects/${projectId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: projectId,
      name: 'Prefs',
      description: null,
      created_at: expect.stringMatching(/\+00:00$/),
      updated_at: expect.stringMatching(/\+00:00$/),
      media_type: 'CONVERSATIONAL',
      ontology_id: expect.any(String),
      consensus_expected_label_count: 1,
      data_row_count: 0,
      last_activity_at: null,
      role: 'admin',
      instructions: null,
      archived_at: null,
      editor_task_type: null,
    });
    const other = await call(`/projects/${bobProject}`);
    const missing = await call('/projects/cmissingmissingmissing0000');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe(
      `project ${bobProject} not found`,
    );
    expect((await call(`/projects/${projectId}`, { key: null })).status).toBe(401);
  });

  it('refuses bad bodies with the exact messages', async () => {
    const cases: [unknown, string][] = [
      [{ filters: { data_row_ids: [] } }, 'data_row_id filter expects a non-empty list.'],
      [
        { filters: { global_keys: Array.from({ length: 2001 }, (_, i) => `k${i}`) } },
        'global_key filter only supports a max of 2000 items.',
      ],
      [
        { filters: { data_row_ids: ['a'], global_keys: ['b'] } },
        'data_rows and global_keys cannot both be present in export filters',
      ],
      [
        { filters: { last_activity_at: ['2024-13-45', null] } },
        'Incorrect format for: 2024-13-45. Format must be "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" or ISO 8061 format "YYYY-MM-DDThh:mm:ss±hhmm" (that is ISO 8601; prefer also accepts Z, ±hh:mm and fractions of a second)',
      ],
      [
        { filters: { workflow_status: 'Reviewing' } },
        "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'. prefer also accepts 'ToLabel'.",
      ],
      [
        { params: { attachments: true }, filter: {} },
        'unknown key "filter" in the request body; valid keys are: params, filters, task_name, timezone',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post(`/projects/${projectId}/exports`, body);
      expect(res.status, message).toBe(400);
      const err = (await res.json()) as { error: { code: string; message: string } };
      expect(err.error).toMatchObject({ code: 'BAD_REQUEST', message });
    }
    const reversed = await post(`/projects/${projectId}/exports`, {
      filters: { label_created_at: ['2024-02-01', '2024-01-01'] },
    });
    expect(reversed.status).toBe(400);
    const typo = await post(`/projects/${projectId}/exports`, { params: { attachment: true } });
    expect(((await typo.json()) as { error: { message: string } }).error.message).toContain(
      'valid params are',
    );
    for (const raw of ['{"params":{},"params":{}}', '{"__proto__":{"isAdmin":true}}', '{"params":', '[]']) {
      const res = await call(`/projects/${projectId}/exports`, { method: 'POST', body: raw });
      expect(res.status, raw).toBe(400);
    }
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    const v1 = await post(`/projects/${projectId}/label-exports`, { start: 'yesterday' });
    expect(v1.status).toBe(400);
  });

  it('refuses a body over 1 MB before parsing it', async () => {
    const big = `{"task_name":"${'x'.repeat(1024 * 1024)}"}`;
    const res = await call(`/projects/${projectId}/exports`, { method: 'POST', body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('runs a V1 label export with start and end, served as application/json', async () => {
    const res = await post(`/projects/${projectId}/label-exports`, {
      start: '2022-09-28',
      end: '2022-10-04',
      last_activity_start: '2022-09-01 12:00:00',
    });
    expect(res.status).toBe(202);
    const task = (await res.json()) as { id: string; status: string };
    expect(task.status).toBe('IN_PROGRESS');
    const stored = await ctx.store.db
      .selectFrom('export_tasks')
      .select(['filters', 'type'])
      .where('id', '=', task.id)
      .executeTakeFirstOrThrow();
    expect(stored.type).toBe('export-labels');
    expect(JSON.parse(stored.filters)).toEqual({
      label_created_at: ['2022-09-28T00:00:00.000Z', '2022-10-04T23:59:59.999Z'],
      last_activity_at: ['2022-09-01T12:00:00.000Z', null],
    });
    expect(await done(task.id)).toMatchObject({ type: 'export-labels', status: 'COMPLETE' });
    const file = await call(`/export-tasks/${task.id}/result`);
    expect(file.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await file.json()).toEqual([
      { ID: 'l1', Label: 'é€🌍' },
      { ID: 'l2', Label: 'x' },
    ]);
  });

  it('refuses more than 10 running exports of a project with 429 and Retry-After', async () => {
    const started: string[] = [];
    const running = await ctx.store.db
      .selectFrom('export_tasks')
      .where('project_id', '=', blockedProject)
      .where('status', '=', 'IN_PROGRESS')
      .select('id')
      .execute();
    for (let i = running.length; i < 10; i++) {
      const res = await post(`/projects/${blockedProject}/exports`, {});
      expect(res.status).toBe(202);
      started.push(((await res.json()) as { id: string }).id);
    }
    const over = await post(`/projects/${blockedProject}/exports`, {});
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('Try again'),
    });
    release();
    for (const id of started) expect(await done(id)).toMatchObject({ status: 'COMPLETE' });
  });
});
