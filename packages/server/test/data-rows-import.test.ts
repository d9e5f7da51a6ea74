/** Data row import, accepted inputs: what is stored, byte for byte, on both backends. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { importDataRows } from '../src/data-rows/data-row.import.ts';
import type { Store } from '../src/store/store.ts';
import {
  conversation,
  freshDataset,
  MIME,
  ndjson,
  runImport,
  spec,
  writtenCounts,
} from './data-rows-helpers.ts';
import { describeBackends } from './support/backends.ts';

async function storedRows(store: Store, datasetId: string) {
  return store.db
    .selectFrom('data_rows')
    .where('dataset_id', '=', datasetId)
    .selectAll()
    .orderBy('id')
    .execute();
}

describeBackends('data row import', (ctx) => {
  it('imports NDJSON: conversations as given, URLs as given, media attributes derived', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    // Keys deliberately out of the usual order: the stored text keeps the order given.
    const conv = {
      version: 1,
      messages: [
        {
          user: { name: 'Ann', userId: 'u1' },
          content: 'Prompt',
          messageId: 'p1',
          canLabel: true,
          align: 'right',
        },
        {
          messageId: 'p2',
          content: 'Context',
          user: { userId: 'u2', name: 'Bob' },
          timestampUsec: 1_700_000_000,
        },
        { messageId: 'p3', content: 'Follow-up', user: { userId: 'u1', name: 'Ann' }, canLabel: true },
      ],
      type: MIME,
      modelOutputs: [{ title: 'Response A', content: 'x', modelConfigName: 'm' }],
    };
    const content = ndjson(
      { row_data: conv, global_key: 'Conv-1', external_id: 'ext-1', media_type: 'CONVERSATIONAL' },
      { row_data: 'https://storage.example.com/c/2.json?sig=a%20b', global_key: 'url-2' },
      { row_data: conversation('c3') },
    );
    const before = Date.now();
    const result = await runImport(ctx.store, actor, datasetId, content);
    expect(result).toEqual({ ok: true, counts: { dataRows: 3, attachments: 0, metadata: 0, embeddings: 0 } });
    const rows = await storedRows(ctx.store, datasetId);
    expect(rows).toHaveLength(3);
    const [a, b, c] = rows;
    expect(a).toMatchObject({
      org_id: actor.orgId,
      dataset_id: datasetId,
      global_key: 'Conv-1',
      global_key_lower: 'conv-1',
      external_id: 'ext-1',
      row_data: JSON.stringify(conv),
      media_type: 'CONVERSATIONAL',
      mime_type: MIME,
      labelable_ids: '["p1","p3"]',
      message_count: 3,
      created_by: actor.userId,
    });
    expect(a!.row_data.startsWith('{"version":1,"messages":[{"user":{"name":"Ann"')).toBe(true);
    expect(b).toMatchObject({
      row_data: 'https://storage.example.com/c/2.json?sig=a%20b',
      global_key: 'url-2',
      external_id: null,
      mime_type: MIME,
      labelable_ids: '[]',
      message_count: 0,
    });
    expect(c).toMatchObject({
      global_key: null,
      global_key_lower: null,
      labelable_ids: '["c3-p"]',
      message_count: 1,
    });
    for (const row of rows) {
      expect(row.id).toMatch(/^c[0-9a-z]{24}$/);
      expect(row.created_at).toBeGreaterThanOrEqual(before);
      expect(row.updated_at).toBe(row.created_at);
      expect(row.last_activity_at).toBe(row.created_at);
    }
  });

  it('imports a JSON array, from a file path', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const file = join(ctx.dir, 'rows.json');
    writeFileSync(
      file,
      JSON.stringify([spec('arr-1'), spec('arr-2'), { row_data: 'https://x.io/3' }], null, 2),
    );
    const result = await importDataRows(ctx.store, actor, { datasetId, input: file });
    expect(result).toMatchObject({ ok: true, counts: { dataRows: 3 } });
    expect((await storedRows(ctx.store, datasetId)).map((r) => r.global_key).sort()).toEqual([
      'arr-1',
      'arr-2',
      null,
    ]);
  });

  it('accepts a leading BOM, CRLF, blank lines and no final newline, counting lines as written', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const lines = [
      JSON.stringify(spec('bom-1')),
      '',
      '   ',
      JSON.stringify(spec('bom-2')),
      JSON.stringify(spec('bom-3')),
    ];
    const content = `\uFEFF${lines.join('\r\n')}`;
    expect(await runImport(ctx.store, actor, datasetId, content)).toMatchObject({
      ok: true,
      counts: { dataRows: 3 },
    });
    // Blank lines still count: a fault after them names the line an editor shows.
    const bad = `\uFEFF${lines.join('\r\n').replaceAll('bom-', 'again-')}\r\n\r\n{"row_data": 5}\r\n`;
    const result = await runImport(ctx.store, actor, datasetId, bad);
    expect(result).toMatchObject({ ok: false, errors: [{ line: 7, path: '$.row_data' }] });
    expect((await writtenCounts(ctx.store, actor.orgId)).dataRows).toBe(3);
  });

  it('round-trips emoji, right-to-left text and escapes byte-exact', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const conv = conversation('u');
    conv.messages = [
      {
        messageId: 'm1',
        content: 'שלום עולם — مرحبا بالعالم 👩🏽‍💻🎉 \u202Eevil\u202C "q" \\ \n\t',
        user: { userId: 'u', name: 'נועה' },
        canLabel: true,
      },
    ];
    const key = 'ключ-🔑-مفتاح';
    // \u00e9 arrives escaped and is stored as the character, as JSON.stringify writes it.
    const line = JSON.stringify({ row_data: conv, global_key: key, external_id: 'x' }).replace(
      '"x"',
      '"\\u00e9"',
    );
    const result = await runImport(ctx.store, actor, datasetId, `${line}\n`);
    expect(result).toMatchObject({ ok: true });
    const [row] = await storedRows(ctx.store, datasetId);
    expect(Buffer.from(row!.row_data, 'utf8').equals(Buffer.from(JSON.stringify(conv), 'utf8'))).toBe(true);
    expect(row!.global_key).toBe(key);
    expect(row!.global_key_lower).toBe(key.toLowerCase());
    expect(row!.external_id).toBe('é');
  });

  it('streams from a Readable and reports progress', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const lines = Array.from({ length: 2_345 }, (_, i) => `${JSON.stringify(spec(`p-${i}`))}\n`);
    // Many small chunks: records straddle chunk boundaries.
    const chunks = Buffer.from(lines.join(''))
      .toString('latin1')
      .match(/[\s\S]{1,777}/g)!
      .map((s) => Buffer.from(s, 'latin1'));
    const progress: number[] = [];
    const result = await importDataRows(ctx.store, actor, {
      datasetId,
      input: Readable.from(chunks),
      onProgress: (p) => progress.push(p.records),
    });
    expect(result).toMatchObject({ ok: true, counts: { dataRows: 2_345 } });
    expect(progress).toEqual([1_000, 2_000, 2_345]);
    expect((await storedRows(ctx.store, datasetId)).length).toBe(2_345);
  });

  it('parses a file on a worker thread with the same outcome as inline', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const good = join(ctx.dir, 'worker-good.ndjson');
    writeFileSync(good, Array.from({ length: 1_500 }, (_, i) => JSON.stringify(spec(`w-${i}`))).join('\n'));
    const progress: number[] = [];
    const ok = await importDataRows(ctx.store, actor, {
      datasetId,
      input: good,
      parseInWorker: true,
      onProgress: (p) => progress.push(p.records),
    });
    expect(ok).toEqual({ ok: true, counts: { dataRows: 1_500, attachments: 0, metadata: 0, embeddings: 0 } });
    expect(progress).toEqual([1_000, 1_500]);
    expect((await storedRows(ctx.store, datasetId)).map((r) => r.row_data)).toContain(
      JSON.stringify(conversation('w-7')),
    );

    const bad = join(ctx.dir, 'worker-bad.ndjson');
    const lines = Array.from({ length: 999 }, (_, i) => JSON.stringify(spec(`v-${i}`)));
    lines[10] = JSON.stringify(spec('W-3')); // stored by the first import, in another case
    lines[20] = '{"row_data": "http://x.io"}';
    lines.push(JSON.stringify(spec('v-1000')).slice(0, 30));
    writeFileSync(bad, lines.join('\n'));
    const before = await writtenCounts(ctx.store, actor.orgId);
    const inWorker = await importDataRows(ctx.store, actor, { datasetId, input: bad, parseInWorker: true });
    const inline = await importDataRows(ctx.store, actor, { datasetId, input: bad, parseInWorker: false });
    expect(inWorker).toMatchObject({ ok: false, errorCount: 3 });
    expect(inWorker).toEqual(inline);
    if (!inWorker.ok)
      expect(inWorker.errors.map((f) => [f.line, f.path])).toEqual([
        [11, '$.global_key'],
        [21, '$.row_data'],
        [1_000, '$.row_data.type'],
      ]);
    expect(await writtenCounts(ctx.store, actor.orgId)).toEqual(before);
  });

  it('reports a missing file as an error, from the worker too', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const input = join(ctx.dir, 'nope.ndjson');
    await expect(
      importDataRows(ctx.store, actor, { datasetId, input, parseInWorker: true }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(importDataRows(ctx.store, actor, { datasetId, input })).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
