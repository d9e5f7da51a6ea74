/** The worker wired to the real export v2 engine: the file holds exactly the engine's lines. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openExportStream, readExportChunk } from '../src/exports/files/streams.ts';
import { createExportTask, getExportTask } from '../src/exports/tasks/export-task.service.ts';
import { type ExportV1Input, writeExportV1Array } from '../src/exports/v1/export-v1.ts';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { describeBackends } from './support/backends.ts';
import { waitFor } from './support/export-child-fixtures.ts';
import {
  actor,
  collect,
  GOLDEN,
  goldenLine,
  otherActor,
  RICH,
  seedExportFixtures,
} from './support/export-fixtures.ts';

describeBackends('export tasks: real v2 engine', (ctx) => {
  let worker: ExportWorker;
  const dataDir = () => join(ctx.dir, 'data');
  beforeAll(async () => {
    await seedExportFixtures(ctx.store.db);
    worker = startExportWorker(ctx.store, {
      dataDir: dataDir(),
      runner: exportRunner,
      pollMs: 20,
      retentionEveryMs: 0,
    });
  });
  afterAll(() => worker?.stop());

  const finished = (id: string) =>
    waitFor(async () => {
      const v = await getExportTask(ctx.store, actor, id);
      return v.status === 'IN_PROGRESS' ? undefined : v;
    }, `task ${id}`);

  it('exports the golden row byte for byte', async () => {
    const task = await createExportTask(ctx.store, actor, {
      projectId: GOLDEN.projectId,
      type: 'export-data-rows',
      params: GOLDEN.params,
      filters: {},
    });
    const view = await finished(task.id);
    expect(view.status).toBe('COMPLETE');
    const text = readFileSync(join(dataDir(), 'exports', task.id, 'result.ndjson'), 'utf8');
    expect(text).toBe(`${goldenLine}\n`);
    expect(view.result).toMatchObject({ total_bytes: Buffer.byteLength(text), total_lines: 1 });
    const chunk = await readExportChunk(ctx.store, actor, task.id, 'result', 0, 10);
    expect(chunk.text).toBe(text);
  });

  it('writes what the engine produces for filters and params, errors stream included', async () => {
    const input = {
      params: { label_details: true, attachments: true },
      filters: { workflow_status: 'Done' },
    };
    const task = await createExportTask(ctx.store, actor, {
      projectId: RICH.projectId,
      type: 'export-data-rows',
      ...input,
    });
    const view = await finished(task.id);
    expect(view.status).toBe('COMPLETE');
    const direct = await collect(ctx.store, actor, RICH.projectId, input);
    expect(direct.lines.length).toBeGreaterThan(0);
    const opened = await openExportStream(ctx.store, actor, task.id, 'result');
    let text = '';
    for await (const part of opened.stream) text += part;
    expect(text).toBe(direct.lines.map((l) => `${l}\n`).join(''));
    expect(opened.totalLines).toBe(direct.lines.length);
    const errors = readFileSync(join(dataDir(), 'exports', task.id, 'errors.ndjson'), 'utf8');
    expect(errors).toBe(direct.errors.map((l) => `${l}\n`).join(''));
  });

  it("refuses another organization's project at creation", async () => {
    await expect(
      createExportTask(ctx.store, otherActor, {
        projectId: RICH.projectId,
        type: 'export-data-rows',
        params: {},
        filters: {},
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('writes a label (V1) export as one JSON array, a label per line, filters applied', async () => {
    const v1 = async (filters: Record<string, unknown>) => {
      const task = await createExportTask(ctx.store, actor, {
        projectId: RICH.projectId,
        type: 'export-labels',
        params: {},
        filters,
      });
      expect((await finished(task.id)).status).toBe('COMPLETE');
      return readFileSync(join(dataDir(), 'exports', task.id, 'result.ndjson'), 'utf8');
    };
    const direct = async (input: ExportV1Input) => {
      let out = '';
      await writeExportV1Array(
        ctx.store,
        actor,
        RICH.projectId,
        input,
        (c) => {
          out += c;
        },
        { baseUrl: 'http://localhost:7400' },
      );
      return out;
    };
    const all = await v1({});
    const expected = await direct({});
    expect(JSON.parse(expected)).toHaveLength(3);
    const objects = (JSON.parse(expected) as unknown[]).map((o) => JSON.stringify(o));
    expect(all).toBe(`[\n${objects.join('\n,')}\n]\n`);
    expect(JSON.parse(all)).toEqual(JSON.parse(expected));
    const bounded = await v1({ label_created_at: ['2024-01-13', null] });
    expect(JSON.parse(bounded)).toEqual(JSON.parse(await direct({ start: '2024-01-13' })));
    expect(JSON.parse(bounded).length).toBeLessThan(3);
  });
});
