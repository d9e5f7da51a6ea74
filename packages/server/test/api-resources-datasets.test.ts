/**
 * Datasets and data rows over HTTP: create, read, cursor paging, validation, other
 * organizations' ids, NDJSON uploads (all or nothing, 413 before parsing, chunked bodies).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../src/http/upload-body.ts';
import {
  type Api,
  adminOf,
  apiClient,
  type Caller,
  example,
  memberOf,
  ndjson,
  rowSpec,
  walk,
} from './api-resources-helpers.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('datasets and data rows over HTTP', (ctx) => {
  let alice: Caller;
  let bob: Caller;
  let api: Api;
  let bobApi: Api;
  let bobDataset: string;

  beforeAll(async () => {
    alice = await adminOf(ctx.store, 'Alice');
    bob = await adminOf(ctx.store, 'Bob');
    const client = apiClient(ctx.store);
    api = client(alice.key);
    bobApi = client(bob.key);
    bobDataset = (await bobApi.post('/datasets', { name: 'bob rows' })).body.id;
  });

  const count = async (table: 'data_rows' | 'attachments' | 'metadata_values') =>
    Number(
      (
        await ctx.store.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('datasets', () => {
    it('creates and reads a dataset', async () => {
      const created = await api.post('/datasets', { name: 'Conversations', description: 'from the web' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Conversations',
        description: 'from the web',
        row_count: 0,
        created_by: alice.actor.userId,
      });
      expect(created.body.id).toMatch(/^c[0-9a-z]{24}$/);
      const read = await api.get(`/datasets/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('refuses unknown keys naming the valid ones, bad types with the field, an empty name with 422', async () => {
      const unknown = await api.post('/datasets', { name: 'x', colour: 'red' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('"colour"');
      expect(unknown.body.error.message).toContain('valid keys are: name, description');
      const badType = await api.post('/datasets', { name: 42 });
      expect(badType.status).toBe(400);
      expect(badType.body.error.message).toMatch(/^name: /);
      const empty = await api.post('/datasets', { name: '  ' });
      expect(empty.status).toBe(422);
      expect(empty.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(empty.body.error.message).toContain('name');
    });

    it("answers another organization's dataset exactly like a missing one", async () => {
      const theirs = await api.get(`/datasets/${bobDataset}`);
      const missing = await api.get('/datasets/cmissing00000000000000000');
      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(theirs.body.error.message.replace(bobDataset, 'X')).toBe(
        missing.body.error.message.replace('cmissing00000000000000000', 'X'),
      );
      expect((await api.get(`/datasets/${bobDataset}/data-rows`)).status).toBe(404);
      const upload = await api.upload(`/datasets/${bobDataset}/data-rows`, ndjson(rowSpec('sneaky')));
      expect(upload.status).toBe(404);
      expect(
        (await api.get('/datasets?limit=500')).body.items.map((d: { id: string }) => d.id),
      ).not.toContain(bobDataset);
    });

    it('pages with limit and nextCursor: every dataset once, in creation order; a bad cursor is a 400', async () => {
      const org = await adminOf(ctx.store, 'Pager');
      const pager = apiClient(ctx.store)(org.key);
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await pager.post('/datasets', { name: `d${i}` })).body.id);
      const walked = await walk(pager, '/datasets', 3);
      expect(walked.ids).toEqual(made);
      expect(walked.pages).toEqual([3, 3, 1]);
      const exact = await walk(pager, '/datasets', 7);
      expect(exact.pages).toEqual([7]);
      const bad = await pager.get('/datasets?cursor=garbage');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('invalid cursor');
      expect((await pager.get('/datasets?limit=0')).status).toBe(400);
      expect((await pager.get('/datasets?limit=501')).status).toBe(400);
      const unknown = await pager.get('/datasets?page=2');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('valid keys are: limit, cursor');
    });

    it('refuses datasets to a member without a manager role anywhere (403)', async () => {
      const member = await memberOf(ctx.store, alice.actor, 'plain');
      const res = await apiClient(ctx.store)(member.key).post('/datasets', { name: 'nope' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });
  });

  describe('data row uploads', () => {
    let datasetId: string;
    beforeAll(async () => {
      datasetId = (await api.post('/datasets', { name: 'uploads' })).body.id;
    });

    it('imports the example NDJSON file and answers the counts', async () => {
      const res = await api.upload(`/datasets/${datasetId}/data-rows`, example('conversations.ndjson'));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ok: true,
        counts: { dataRows: 5, attachments: 0, metadata: 0, embeddings: 0 },
      });
      expect((await api.get(`/datasets/${datasetId}`)).body.row_count).toBe(5);
    });

    it('takes a JSON array as application/json, with attachments and metadata', async () => {
      const ds = (await api.post('/datasets', { name: 'array' })).body.id;
      const rows = [
        rowSpec('arr-1', {
          attachments: [{ type: 'RAW_TEXT', value: 'notes', name: 'n' }],
          metadata_fields: [{ name: `source-${ds}`, value: 'crawl' }],
        }),
        rowSpec('arr-2', { external_id: 'ext-2' }),
      ];
      const res = await api.upload(`/datasets/${ds}/data-rows`, JSON.stringify(rows), 'application/json');
      expect(res.status).toBe(200);
      expect(res.body.counts).toEqual({ dataRows: 2, attachments: 1, metadata: 1, embeddings: 0 });
      const listed = await api.get(`/datasets/${ds}/data-rows`);
      expect(listed.body.items.map((r: { global_key: string }) => r.global_key).sort()).toEqual([
        'arr-1',
        'arr-2',
      ]);
      const first = listed.body.items.find((r: { global_key: string }) => r.global_key === 'arr-1');
      const detail = await api.get(`/data-rows/${first.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id: first.id,
        dataset_id: ds,
        global_key: 'arr-1',
        media_type: 'CONVERSATIONAL',
        labelable_ids: ['m1'],
        message_count: 1,
        attachments: [{ type: 'RAW_TEXT', value: 'notes', name: 'n' }],
        metadata_fields: [{ schema_name: `source-${ds}`, value: 'crawl' }],
      });
      expect(JSON.parse(detail.body.row_data)).toMatchObject({ version: 1 });
      expect((await bobApi.get(`/data-rows/${first.id}`)).status).toBe(404);
    });

    it('is all or nothing: one bad line is a 422 naming the line and field, and nothing is stored', async () => {
      const before = await count('data_rows');
      const body =
        ndjson(rowSpec('ok-1'), rowSpec('ok-2')) +
        `${JSON.stringify({ ...rowSpec('bad-3'), row_data: 42 })}\n` +
        ndjson(rowSpec('ok-4'));
      const res = await api.upload(`/datasets/${datasetId}/data-rows`, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.errorCount).toBe(1);
      expect(res.body.error.details.errors[0]).toMatchObject({
        line: 3,
        path: expect.stringMatching(/^\$\.row_data/),
      });
      expect(res.body.error.message).toContain('line 3');
      expect(res.body.error.message).toContain('nothing was imported');
      expect(await count('data_rows')).toBe(before);
    });

    it('reports strict JSON faults with their line (duplicate keys)', async () => {
      const body = `${JSON.stringify(rowSpec('dup-1'))}\n{"global_key":"a","global_key":"b"}\n`;
      const res = await api.upload(`/datasets/${datasetId}/data-rows`, body);
      expect(res.status).toBe(422);
      expect(res.body.error.details.errors[0].line).toBe(2);
    });

    it('refuses another content type (400) and an empty body imports nothing', async () => {
      const res = await api.upload(`/datasets/${datasetId}/data-rows`, ndjson(rowSpec('t-1')), 'text/plain');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('application/x-ndjson');
      const empty = await api.upload(`/datasets/${datasetId}/data-rows`, '');
      expect(empty.status).toBe(200);
      expect(empty.body.counts.dataRows).toBe(0);
    });

    it('answers 413 from Content-Length before reading a byte of the body', async () => {
      const before = await count('data_rows');
      // A body that never ends: reading it at all would hang the request.
      const endless = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
      const res = await api.upload(`/datasets/${datasetId}/data-rows`, endless, 'application/x-ndjson', {
        'Content-Length': String(MAX_UPLOAD_BYTES + 1),
      });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await count('data_rows')).toBe(before);
    });

    it('stops a chunked body at the first byte past the limit (413), storing nothing', async () => {
      const before = await count('data_rows');
      const valid = Buffer.from(ndjson(rowSpec('chunk-1')));
      // One valid row, then blanks without a newline (one huge record, skipped unbuffered).
      const filler = Buffer.alloc(1 << 20, 0x20);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(valid);
          else controller.enqueue(filler);
          sent += sent === 0 ? valid.length : filler.length;
          if (sent > MAX_UPLOAD_BYTES + filler.length) controller.close();
        },
      });
      const res = await api.upload(`/datasets/${datasetId}/data-rows`, body);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await count('data_rows')).toBe(before);
    }, 120_000);
  });

  describe('data row listing', () => {
    it('pages a dataset in id order without skips or repeats', async () => {
      const ds = (await api.post('/datasets', { name: 'paged' })).body.id;
      const specs = Array.from({ length: 11 }, (_, i) => rowSpec(`page-${ds}-${i}`));
      expect((await api.upload(`/datasets/${ds}/data-rows`, ndjson(...specs))).status).toBe(200);
      const walked = await walk(api, `/datasets/${ds}/data-rows`, 4);
      expect(walked.pages).toEqual([4, 4, 3]);
      expect(new Set(walked.ids).size).toBe(11);
      expect(walked.ids).toEqual([...walked.ids].sort());
      const bad = await api.get(
        `/datasets/${ds}/data-rows?cursor=${Buffer.from('[1]').toString('base64url')}`,
      );
      expect(bad.status).toBe(400);
    });
  });
});
