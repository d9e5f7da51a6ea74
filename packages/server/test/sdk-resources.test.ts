/**
 * The SDK's resource calls against a real server on a port: datasets and uploads (records, a
 * path, a Blob, a chunked stream), ontologies, projects, batches, label imports, paging, and the
 * typed errors (401, 403, 404, 422 with faults).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AuthenticationError,
  AuthorizationError,
  Client,
  PreferError,
  ResourceNotFoundError,
  ValidationError,
} from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import {
  adminOf,
  type Caller,
  EXAMPLES,
  example,
  exampleOntology,
  grant,
  memberOf,
  ndjson,
  rowSpec,
} from './api-resources-helpers.ts';
import { describeBackends } from './support/backends.ts';

const KEYS = example('global-keys.txt').trim().split('\n');
const collect = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

describeBackends('SDK resources against a running server', (ctx) => {
  let server: RunningServer;
  let admin: Caller;
  let client: Client;

  beforeAll(async () => {
    admin = await adminOf(ctx.store, 'SDK');
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    client = new Client({ endpoint: server.url, apiKey: admin.key });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a dataset, uploads rows from a path, reads them back page by page', async () => {
    const dataset = await client.createDataset({ name: 'Assistant conversations', description: 'examples' });
    expect(dataset).toMatchObject({ name: 'Assistant conversations', description: 'examples', rowCount: 0 });
    const counts = await dataset.createDataRows({ file: join(EXAMPLES, 'conversations.ndjson') });
    expect(counts).toEqual({ dataRows: 5, attachments: 0, metadata: 0, embeddings: 0 });
    expect((await client.getDataset(dataset.id)).rowCount).toBe(5);
    const rows = await collect(dataset.dataRows({ pageSize: 2 }));
    const fileKeys = example('conversations.ndjson')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).global_key as string);
    expect(rows.map((r) => r.globalKey).sort()).toEqual(fileKeys.sort());
    expect(rows[0]!.createdAt).toBeInstanceOf(Date);
    const detail = await client.getDataRow(rows[0]!.id);
    expect(detail).toMatchObject({
      id: rows[0]!.id,
      datasetId: dataset.id,
      attachments: [],
      metadataFields: [],
    });
  });

  it('uploads records, a Blob and a chunked stream; a faulty record is a ValidationError with faults and nothing stored', async () => {
    const dataset = await client.createDataset({ name: 'uploads' });
    const records = await dataset.createDataRows([
      rowSpec('sdk-rec-1', { metadata_fields: [{ name: 'sdk-source', value: 'records' }] }),
    ]);
    expect(records).toMatchObject({ dataRows: 1, metadata: 1 });
    const blob = await dataset.createDataRows({
      file: new Blob([ndjson(rowSpec('sdk-blob-1'), rowSpec('sdk-blob-2'))]),
    });
    expect(blob.dataRows).toBe(2);
    const bytes = new TextEncoder().encode(ndjson(rowSpec('sdk-stream-1')));
    async function* chunks() {
      yield bytes.subarray(0, 10);
      yield bytes.subarray(10);
    }
    expect((await dataset.createDataRows({ file: chunks() })).dataRows).toBe(1);
    const failure = await dataset
      .createDataRows([
        rowSpec('sdk-ok'),
        { ...rowSpec('sdk-bad'), row_data: 7 },
        { global_key: 'sdk-none', row_data: null },
      ])
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ValidationError);
    const v = failure as ValidationError;
    expect(v.status).toBe(422);
    expect(v.errorCount).toBe(2);
    expect(v.faults.map((f) => f.line)).toEqual([2, 3]);
    expect(v.message).toContain('nothing was imported');
    expect((await client.getDataset(dataset.id)).rowCount).toBe(4);
  });

  it('lists datasets and ontologies across pages without repeats', async () => {
    const org = await adminOf(ctx.store, 'Paging');
    const own = new Client({ endpoint: server.url, apiKey: org.key });
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await own.createDataset({ name: `d${i}` })).id);
    expect((await collect(own.getDatasets({ pageSize: 2 }))).map((d) => d.id)).toEqual(made);
    const ontologies = [];
    for (let i = 0; i < 3; i++)
      ontologies.push((await own.createOntology(`o${i}`, exampleOntology() as never)).id);
    expect((await collect(own.getOntologies({ pageSize: 1 }))).map((o) => o.id)).toEqual(ontologies);
  });

  it('creates an ontology, a project and batches, imports labels; lists projects and batches', async () => {
    const dataset = await client.createDataset({ name: 'for batches' });
    const keys = ['sdk-b-1', 'sdk-b-2', 'sdk-b-3'];
    await dataset.createDataRows(keys.map((k) => rowSpec(k)));
    const ontology = await client.createOntology('Preference', exampleOntology() as never);
    expect(ontology.classifications()).toHaveLength(3);
    expect((await client.getOntology(ontology.id)).normalized).toEqual(ontology.normalized);
    const project = await client.createProject({
      name: 'SDK preference',
      ontologyId: ontology.id,
      consensusExpectedLabelCount: 2,
    });
    expect(project).toMatchObject({
      name: 'SDK preference',
      ontologyId: ontology.id,
      consensusExpectedLabelCount: 2,
    });
    const first = await project.createBatch({ name: 'first', globalKeys: keys.slice(0, 2), priority: 1 });
    expect(first).toMatchObject({
      name: 'first',
      priority: 1,
      dataRowCount: 2,
      consensusExpectedLabelCount: null,
    });
    const rows = await collect(dataset.dataRows());
    const third = rows.find((r) => r.globalKey === 'sdk-b-3')!;
    const second = await project.createBatch({
      name: 'second',
      dataRowIds: [third.id],
      consensusExpectedLabelCount: 1,
    });
    expect(second.consensusExpectedLabelCount).toBe(1);
    expect((await collect(project.batches({ pageSize: 1 }))).map((b) => b.name)).toEqual(['first', 'second']);
    const counts = await project.importLabels([
      { dataRow: { globalKey: 'sdk-b-1' }, name: 'Choose the best response', answer: { name: 'Response A' } },
      { dataRow: { globalKey: 'sdk-b-2' }, name: 'Choose the best response', answer: { name: 'Tie' } },
    ]);
    expect(counts).toEqual({ labels: 2, annotations: 2, skipped: 0 });
    const bad = await project
      .importLabels([
        { dataRow: { globalKey: 'sdk-b-3' }, name: 'Choose the best response', answer: { name: 'Nope' } },
      ])
      .catch((err: unknown) => err);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).faults[0]).toMatchObject({ line: 1 });
    expect((await client.getProject(project.id)).dataRowCount).toBe(3);
    expect((await collect(client.getProjects())).map((p) => p.id)).toContain(project.id);
  });

  it('imports labels from the example file credited to another user of the organization', async () => {
    const dataset = await client.createDataset({ name: 'examples again' });
    // Global keys are unique in an organization: use a second organization for the examples.
    const org = await adminOf(ctx.store, 'Examples');
    const own = new Client({ endpoint: server.url, apiKey: org.key });
    const ds = await own.createDataset({ name: 'examples' });
    await ds.createDataRows({ file: join(EXAMPLES, 'conversations.ndjson') });
    const ontology = await own.createOntology('Preference', exampleOntology() as never);
    const project = await own.createProject({ name: 'Examples', ontologyId: ontology.id });
    await project.createBatch({ name: 'b', globalKeys: KEYS });
    const rater = await memberOf(ctx.store, org.actor, 'rater');
    const counts = await project.importLabels(
      { file: join(EXAMPLES, 'labels.ndjson') },
      { asEmail: rater.actor.email },
    );
    expect(counts).toEqual({ labels: 4, annotations: 12, skipped: 0 });
    expect(dataset.id).not.toBe(ds.id);
  });

  it('maps 401, 403, 404 and 409 to typed errors with the server’s message', async () => {
    await expect(
      new Client({ endpoint: server.url, apiKey: 'prefer_nope_nope' }).createDataset({ name: 'x' }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    const labeler = await memberOf(ctx.store, admin.actor, 'labeler');
    const ontology = await client.createOntology('o', exampleOntology() as never);
    const project = await client.createProject({ name: 'roles', ontologyId: ontology.id });
    await grant(ctx.store, project.id, labeler.actor, 'labeler');
    const asLabeler = new Client({ endpoint: server.url, apiKey: labeler.key });
    const denied = await asLabeler.createDataset({ name: 'x' }).catch((err: unknown) => err);
    expect(denied).toBeInstanceOf(AuthorizationError);
    expect((denied as AuthorizationError).message).toContain('allowed roles: admin, manager');
    const labelersProject = await asLabeler.getProject(project.id);
    await expect(labelersProject.createBatch({ name: 'x', globalKeys: ['a'] })).rejects.toBeInstanceOf(
      AuthorizationError,
    );
    expect((await collect(asLabeler.getProjects())).map((p) => p.id)).toEqual([project.id]);
    await expect(client.getDataset('cmissingmissingmissing0000')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(client.getOntology('cmissingmissingmissing0000')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(client.getDataRow('cmissingmissingmissing0000')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    const ds = await client.createDataset({ name: 'conflicts' });
    await ds.createDataRows([rowSpec('sdk-conflict')]);
    await project.createBatch({ name: 'one', datasetId: ds.id });
    const conflict = await project
      .createBatch({ name: 'two', datasetId: ds.id })
      .catch((err: unknown) => err);
    expect(conflict).toBeInstanceOf(PreferError);
    expect((conflict as PreferError).status).toBe(409);
    expect((conflict as PreferError).code).toBe('CONFLICT');
  });

  it('reports a missing upload file before sending anything', async () => {
    const dataset = await client.createDataset({ name: 'missing file' });
    const missing = join(ctx.dir, 'nope.ndjson');
    await expect(dataset.createDataRows({ file: missing })).rejects.toThrow(`cannot read ${missing}: ENOENT`);
    writeFileSync(join(ctx.dir, 'one.ndjson'), ndjson(rowSpec('sdk-file-1')));
    expect((await dataset.createDataRows({ file: join(ctx.dir, 'one.ndjson') })).dataRows).toBe(1);
  });
});
