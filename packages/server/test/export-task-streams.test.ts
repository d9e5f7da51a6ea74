import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readChunk } from '../src/exports/files/streams.chunk.ts';
import { openExportStream, readExportChunk } from '../src/exports/files/streams.ts';
import { createExportTask } from '../src/exports/tasks/export-task.service.ts';
import { deleteExpiredExportFiles } from '../src/exports/worker/worker.retention.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { describeBackends } from './support/backends.ts';
import {
  expectedStreams,
  seedOrg,
  seedProject,
  standInRunner,
  waitFor,
} from './support/export-child-fixtures.ts';

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const ROWS = 3300;

describeBackends('export tasks: reading streams', (ctx) => {
  let actor: Actor;
  let taskId: string;
  let emptyErrorsTaskId: string;
  let worker: ExportWorker;
  let result: Buffer;
  const dataDir = () => join(ctx.dir, 'data');

  beforeAll(async () => {
    actor = await seedOrg(ctx.store);
    const projectId = await seedProject(ctx.store, actor);
    const create = () =>
      createExportTask(ctx.store, actor, { projectId, type: 'export-data-rows', params: {}, filters: {} });
    taskId = (await create()).id;
    emptyErrorsTaskId = (await create()).id;
    // The second task gets 9 rows: no row reaches the errors stream.
    worker = startExportWorker(ctx.store, {
      dataDir: dataDir(),
      pollMs: 20,
      retentionEveryMs: 0,
      runner: (store, a, task, sink) =>
        standInRunner({ rows: task.id === taskId ? ROWS : 9 })(store, a, task, sink),
    });
    for (const id of [taskId, emptyErrorsTaskId]) {
      await waitFor(async () => {
        const row = await ctx.store.db
          .selectFrom('export_tasks')
          .where('id', '=', id)
          .select('status')
          .executeTakeFirst();
        return row?.status === 'COMPLETE' ? true : undefined;
      }, 'exports to complete');
    }
    result = readFileSync(join(dataDir(), 'exports', taskId, 'result.ndjson'));
    expect(result.toString('utf8')).toBe(expectedStreams(taskId, ROWS).result);
  });
  afterAll(() => worker?.stop());

  it('serves a whole stream with its totals', async () => {
    const opened = await openExportStream(ctx.store, actor, taskId, 'result');
    expect(opened).toMatchObject({
      totalBytes: result.length,
      totalLines: 2970,
      start: 0,
      end: result.length - 1,
    });
    expect((await drain(opened.stream)).equals(result)).toBe(true);
    const errors = await openExportStream(ctx.store, actor, taskId, 'errors');
    expect((await drain(errors.stream)).toString('utf8')).toBe(expectedStreams(taskId, ROWS).errors);
    expect(errors.totalLines).toBe(330);
  });

  it('serves exact byte ranges, cutting an end past the file and refusing a start past it', async () => {
    for (const [start, end] of [
      [0, 0],
      [1, 7], // starts inside the first line and inside a multi-byte character: bytes are bytes
      [1000, 4999],
      [result.length - 1, result.length - 1],
    ] as const) {
      const opened = await openExportStream(ctx.store, actor, taskId, 'result', { start, end });
      expect((await drain(opened.stream)).equals(result.subarray(start, end + 1))).toBe(true);
    }
    const tail = await openExportStream(ctx.store, actor, taskId, 'result', { start: 12345 });
    expect((await drain(tail.stream)).equals(result.subarray(12345))).toBe(true);
    const cut = await openExportStream(ctx.store, actor, taskId, 'result', { start: 10, end: 10 ** 12 });
    expect(cut.end).toBe(result.length - 1);
    expect((await drain(cut.stream)).equals(result.subarray(10))).toBe(true);
    for (const range of [{ start: result.length }, { start: 20, end: 10 }]) {
      await expect(openExportStream(ctx.store, actor, taskId, 'result', range)).rejects.toMatchObject({
        code: 'RANGE_NOT_SATISFIABLE',
      });
    }
    await expect(openExportStream(ctx.store, actor, taskId, 'result', { start: -1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('serves an empty errors stream as zero bytes', async () => {
    const opened = await openExportStream(ctx.store, actor, emptyErrorsTaskId, 'errors');
    expect(opened).toMatchObject({ totalBytes: 0, totalLines: 0 });
    expect((await drain(opened.stream)).length).toBe(0);
  });

  it("answers another organization's task as missing", async () => {
    const other = await seedOrg(ctx.store, 'Other');
    await expect(openExportStream(ctx.store, other, taskId, 'result')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(readExportChunk(ctx.store, other, taskId, 'result', 0, 100)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('pages a stream by offset: whole lines, contiguous offsets and line numbers', async () => {
    let offset = 0;
    let line = 0;
    let text = '';
    for (;;) {
      const chunk = await readExportChunk(ctx.store, actor, taskId, 'result', offset, 4000);
      if (chunk.text === '') {
        expect(chunk.lines).toEqual({ start: 2970, end: 2969 });
        break;
      }
      expect(chunk.offsets.start).toBe(offset);
      expect(chunk.lines.start).toBe(line);
      expect(chunk.text.endsWith('\n')).toBe(true);
      expect(Buffer.byteLength(chunk.text)).toBe(chunk.offsets.end - chunk.offsets.start + 1);
      expect(Buffer.byteLength(chunk.text)).toBeLessThanOrEqual(4000);
      expect(chunk.lines.end - chunk.lines.start + 1).toBe(chunk.text.split('\n').length - 1);
      text += chunk.text;
      offset = chunk.offsets.end + 1;
      line = chunk.lines.end + 1;
    }
    expect(text).toBe(result.toString('utf8'));
    expect(line).toBe(2970);
  });

  it('numbers lines the same with and without the sparse index', async () => {
    const path = join(dataDir(), 'exports', taskId, 'result.ndjson');
    const bare = join(ctx.dir, 'bare.ndjson');
    copyFileSync(path, bare);
    rmSync(`${bare}.idx`, { force: true });
    // Offsets at, just before and just after indexed line starts (1000, 2000), and mid-line.
    const starts = [0];
    for (let i = result.indexOf(10); i !== -1 && i < result.length - 1; i = result.indexOf(10, i + 1)) {
      starts.push(i + 1);
    }
    for (const n of [999, 1000, 1001, 1999, 2000, 2001, 2969]) {
      const at = starts[n]!;
      const indexed = await readChunk(path, at, 500);
      expect(indexed.lines.start).toBe(n);
      expect(await readChunk(bare, at, 500)).toEqual(indexed);
      const mid = await readChunk(path, at + 3, 500);
      expect(mid.lines.start).toBe(n);
      expect(mid.offsets.start).toBe(at + 3);
    }
  });

  it('deletes the files 7 days after the task finished, keeping the task', async () => {
    const week = 7 * 24 * 3600 * 1000;
    const row = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', taskId)
      .select('updated_at')
      .executeTakeFirstOrThrow();
    expect(
      await deleteExpiredExportFiles(ctx.store, { dataDir: dataDir(), now: row.updated_at + week - 1 }),
    ).toBe(0);
    expect((await openExportStream(ctx.store, actor, taskId, 'result')).totalBytes).toBe(result.length);
    const cleaned = await deleteExpiredExportFiles(ctx.store, {
      dataDir: dataDir(),
      now: Date.now() + week + 1,
    });
    expect(cleaned).toBe(2);
    await expect(openExportStream(ctx.store, actor, taskId, 'result')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `the files of export task ${taskId} were deleted 7 days after it finished; run the export again`,
    });
    expect(() => readFileSync(join(dataDir(), 'exports', taskId, 'result.ndjson'))).toThrow();
  });
});
