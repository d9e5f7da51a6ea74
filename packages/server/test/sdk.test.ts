/**
 * The seed page's example, translated to the TypeScript SDK, against the real server on a port
 * with a real export worker: a Labelbox export row is imported, exported again through HTTP and
 * must come back identical.
 */
import {
  AuthenticationError,
  Client,
  ExportTask,
  ExportTaskError,
  type ExportV2Row,
  ResourceNotFoundError,
  ValidationError,
} from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import { fixtureText, ndjson, newOrgActor } from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';
import { SEED_FILTERS, SEED_PARAMS } from './support/seed-params.ts';

const SEED_ROW = fixtureText('seed-sample-export-row.json');
const PROJECT_ID = 'clpiy2itz08vg0705akh60zc1';

describeBackends('SDK against a running server', (ctx) => {
  let server: RunningServer;
  let worker: ExportWorker;
  let client: Client;

  beforeAll(async () => {
    const actor = await newOrgActor(ctx.store, 'SDK org');
    const imported = await importLabelboxExport(ctx.store, actor, { input: ndjson(JSON.parse(SEED_ROW)) });
    expect(imported).toMatchObject({ ok: true });
    const { key } = await createApiKey(ctx.store, actor, { name: 'sdk test' });
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner: exportRunner,
      pollMs: 20,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    client = new Client({ endpoint: server.url, apiKey: key });
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });

  it('runs the seed page example: getProject, exportV2, waitTillDone, errors, result', async () => {
    const project = await client.getProject(PROJECT_ID);
    expect(project).toMatchObject({
      id: PROJECT_ID,
      name: 'Test LLM Human Preference',
      mediaType: 'CONVERSATIONAL',
      dataRowCount: 1,
      consensusExpectedLabelCount: 1,
    });
    expect(project.lastActivityAt?.toISOString()).toBe('2023-11-28T23:11:08.000Z');

    const exportTask = await project.exportV2({ params: SEED_PARAMS, filters: SEED_FILTERS });
    expect(exportTask.status).toBe('IN_PROGRESS');
    await exportTask.waitTillDone();
    expect(exportTask.status).toBe('COMPLETE');

    expect(await exportTask.errors()).toBeNull();
    const exportJson = await exportTask.result();
    // Key order included: the row is byte-identical to the seed page's sample.
    expect(exportJson.map((r) => JSON.stringify(r))).toEqual([JSON.stringify(JSON.parse(SEED_ROW))]);
    expect(exportTask.hasResult()).toBe(true);
    expect(exportTask.hasErrors()).toBe(false);
    expect(exportTask.getTotalLines('result')).toBe(1);
    expect(exportTask.getTotalFileSize('result')).toBe(
      Buffer.byteLength(`${JSON.stringify(JSON.parse(SEED_ROW))}\n`),
    );
    expect(exportTask.getTotalFileSize('errors')).toBeNull();
  });

  it('streams the same rows with export() and getBufferedStream(), and re-attaches by id', async () => {
    const project = await client.getProject(PROJECT_ID);
    const task = await project.export({ params: { label_details: true }, taskName: 'streamed' });
    const again = await ExportTask.getTask(client, task.id);
    expect(again.name).toBe('streamed');
    await again.waitTillDone();
    const rows: ExportV2Row[] = [];
    for await (const row of again.getBufferedStream()) rows.push(row);
    expect(rows.map((r) => r.data_row.id)).toEqual(['clpiqgsvn4lxr079096g5mt9v']);
    expect(rows[0]!.data_row.details).toBeUndefined();
    expect(rows[0]!.projects[PROJECT_ID]!.labels[0]).toHaveProperty('label_details');
  });

  it('filters: an activity range outside the data gives a COMPLETE task with no rows', async () => {
    const project = await client.getProject(PROJECT_ID);
    const task = await project.exportV2({ filters: { last_activity_at: ['2024-01-01', null] } });
    await task.waitTillDone();
    expect(task.status).toBe('COMPLETE');
    expect(task.hasResult()).toBe(false);
    expect(await task.result()).toEqual([]);
  });

  it('reading a running task says "Task is not ready yet"; a timeout leaves it IN_PROGRESS', async () => {
    const project = await client.getProject(PROJECT_ID);
    const task = await project.exportV2({ params: SEED_PARAMS });
    await task.waitTillDone({ timeoutSeconds: 0 });
    expect(task.status).toBe('IN_PROGRESS');
    await expect(task.result()).rejects.toThrow(new ExportTaskError('Task is not ready yet'));
    expect(() => task.hasResult()).toThrow('Task is not ready yet');
    await task.waitTillDone();
    expect(task.status).toBe('COMPLETE');
  });

  it('reading a failed task says "Task failed"', async () => {
    const project = await client.getProject(PROJECT_ID);
    const task = await project.exportV2();
    await task.waitTillDone();
    // A task the worker gave up on (its failure path has its own tests): mark it so here.
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ status: 'FAILED', failure_reason: 'disk full' })
      .where('id', '=', task.id)
      .execute();
    const failed = await ExportTask.getTask(client, task.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toBe('disk full');
    await expect(failed.result()).rejects.toThrow('Task failed');
    await expect(failed.errors()).rejects.toThrow('Task failed');
  });

  it('maps errors to typed SDK errors with the server’s message', async () => {
    await expect(client.getProject('cmissingmissingmissing0000')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    const anonymous = new Client({ endpoint: server.url, apiKey: 'prefer_wrong' });
    await expect(anonymous.getProject(PROJECT_ID)).rejects.toBeInstanceOf(AuthenticationError);
    const project = await client.getProject(PROJECT_ID);
    const bad = project.exportV2({ filters: { data_row_ids: ['a'], global_keys: ['b'] } });
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toThrow('data_rows and global_keys cannot both be present in export filters');
    await expect(project.exportV2({ filters: { workflow_status: 'Reviewing' as 'Done' } })).rejects.toThrow(
      "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'. prefer also accepts 'ToLabel'.",
    );
  });

  it('exportLabels: download true gives the V1 array, false its URL; start/end bound label creation', async () => {
    const project = await client.getProject(PROJECT_ID);
    const labels = await project.exportLabels({ download: true });
    expect(labels.map((l) => l.ID)).toEqual(['clpiyah63071f07e4756yer2d']);
    expect(labels[0]).toMatchObject({
      'DataRow ID': 'clpiqgsvn4lxr079096g5mt9v',
      'Project Name': project.name,
    });
    const inRange = await project.exportLabels({ download: true, start: '2023-11-28', end: '2023-11-28' });
    expect(inRange).toHaveLength(1);
    const outside = await project.exportLabels({ download: true, start: '2022-09-28', end: '2022-10-04' });
    expect(outside).toEqual([]);
    const url = await project.exportLabels({ download: false });
    expect(url).toMatch(new RegExp(`^${server.url}/api/v1/export-tasks/c[0-9a-z]{24}/result$`));
  });
});
