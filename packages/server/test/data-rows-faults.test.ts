/**
 * Every bad input aborts the whole import: the answer names the line, the JSON path and why,
 * and nothing at all was written (docs/reliability.md nos. 20-25).
 */
import { expect, it } from 'vitest';
import type { Fault } from '../src/shared/errors.ts';
import { conversation, freshDataset, ndjson, runImport, spec, writtenCounts } from './data-rows-helpers.ts';
import { describeBackends } from './support/backends.ts';

const good = (key: string) => JSON.stringify(spec(key));

interface Case {
  name: string;
  content: () => string | Buffer;
  fault: { line: number; path: string; message: RegExp };
}

const cases: Case[] = [
  {
    name: 'malformed JSON',
    content: () => `${good('a')}\n{"row_data": }\n`,
    fault: { line: 2, path: '$.row_data', message: /unexpected character "}"/ },
  },
  {
    name: 'a byte order mark in the middle of the file',
    content: () => `${good('a')}\n\uFEFF${good('b')}\n`,
    fault: { line: 2, path: '$', message: /byte order mark/ },
  },
  {
    name: 'invalid UTF-8 C3 28',
    content: () =>
      Buffer.concat([
        Buffer.from(`${good('a')}\n{"row_data": "https://x.io/`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}\n'),
      ]),
    fault: { line: 2, path: '$', message: /invalid UTF-8 at byte 28/ },
  },
  {
    name: 'overlong UTF-8 C0 AF',
    content: () =>
      Buffer.concat([
        Buffer.from('{"row_data": "https://x.io/'),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from('"}\n'),
      ]),
    fault: { line: 1, path: '$', message: /invalid UTF-8 at byte 28/ },
  },
  {
    name: 'UTF-8 encoded surrogate ED A0 80',
    content: () =>
      Buffer.concat([
        Buffer.from('\n{"global_key": "'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}\n'),
      ]),
    fault: { line: 2, path: '$', message: /invalid UTF-8 at byte 17/ },
  },
  {
    name: 'an escaped lone surrogate in a value',
    content: () => `{"row_data": "https://x.io/a", "global_key": "k\\ud800"}\n`,
    fault: { line: 1, path: '$.global_key', message: /lone surrogate/ },
  },
  {
    name: 'an escaped lone surrogate in a key',
    content: () => `{"row_data": "https://x.io/a", "k\\ud800": 1}\n`,
    fault: { line: 1, path: '$', message: /lone surrogate/ },
  },
  {
    name: 'an escaped NUL',
    content: () => `{"row_data": "https://x.io/a", "external_id": "a\\u0000b"}\n`,
    fault: { line: 1, path: '$.external_id', message: /NUL/ },
  },
  {
    name: 'a pretty-printed object',
    content: () => `${good('a')}\n${JSON.stringify(spec('b'), null, 2)}\n`,
    fault: { line: 2, path: '$', message: /^truncated: the text ends inside an object; .*pretty-printed/ },
  },
  {
    name: '10,000-deep nesting',
    content: () => `{"row_data": ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`,
    fault: {
      line: 1,
      path: expect.stringMatching(/^\$\.row_data(\[0\])+$/) as unknown as string,
      message: /nested deeper than 64/,
    },
  },
  {
    name: 'an integer above 2^53',
    content: () =>
      `{"row_data": {"type": "application/vnd.labelbox.conversational", "version": 1, "messages": [{"messageId": "m", "content": "c", "user": {"userId": "u", "name": "n"}, "timestampUsec": 9007199254740993}]}}\n`,
    fault: { line: 1, path: '$.row_data.messages[0].timestampUsec', message: /beyond 2\^53/ },
  },
  {
    name: 'too many messages',
    content: () => {
      const c = conversation('x');
      c.messages = Array.from({ length: 251 }, (_, i) => ({
        messageId: `m${i}`,
        content: 'c',
        user: { userId: 'u', name: 'n' },
      }));
      return `${good('a')}\n${good('b')}\n${JSON.stringify({ row_data: c })}\n`;
    },
    fault: { line: 3, path: '$.row_data.messages', message: /at most 250 messages/ },
  },
  {
    name: 'content of 10,000 characters',
    content: () => {
      const c = conversation('x');
      c.messages = [{ messageId: 'm', content: 'é'.repeat(10_000), user: { userId: 'u', name: 'n' } }];
      return ndjson({ row_data: c });
    },
    fault: { line: 1, path: '$.row_data.messages[0].content', message: /under 10000 characters/ },
  },
  {
    name: 'duplicate messageIds',
    content: () => {
      const c = conversation('x');
      const m = { messageId: 'same', content: 'c', user: { userId: 'u', name: 'n' } };
      c.messages = [m, { ...m, content: 'd' }];
      return ndjson({ row_data: c });
    },
    fault: { line: 1, path: '$.row_data.messages[1].messageId', message: /duplicate messageId "same"/ },
  },
  {
    name: 'duplicate modelOutputs titles',
    content: () => {
      const c = conversation('x');
      c.modelOutputs = [
        { title: 'Response A', content: '1', modelConfigName: 'a' },
        { title: 'Response A', content: '2', modelConfigName: 'b' },
      ];
      return ndjson({ row_data: c });
    },
    fault: {
      line: 1,
      path: '$.row_data.modelOutputs[1].title',
      message: /duplicate modelOutputs title "Response A"/,
    },
  },
  {
    name: 'an unknown key in a message',
    content: () => {
      const c = conversation('x');
      c.messages = [{ messageId: 'm', content: 'c', user: { userId: 'u', name: 'n' }, canlabel: true }];
      return ndjson({ row_data: c });
    },
    fault: {
      line: 1,
      path: '$.row_data.messages[0].canlabel',
      message: /unknown key "canlabel"; valid keys: messageId, timestampUsec, content, user, align, canLabel/,
    },
  },
  {
    name: 'an unknown top-level key',
    content: () => ndjson({ row_data: 'https://x.io/a', globalKey: 'k' }),
    fault: {
      line: 1,
      path: '$.globalKey',
      message:
        /unknown key "globalKey"; valid keys: row_data, global_key, external_id, media_type, metadata_fields, attachments, embeddings/,
    },
  },
  {
    name: 'an http URL',
    content: () => ndjson({ row_data: 'http://example.com/conv.json' }),
    fault: { line: 1, path: '$.row_data', message: /must be an https URL/ },
  },
  {
    name: 'a javascript: URL',
    content: () => ndjson({ row_data: 'javascript:alert(1)' }),
    fault: { line: 1, path: '$.row_data', message: /must be an https URL/ },
  },
  {
    name: 'a global key with a trailing space',
    content: () => ndjson(spec('k ')),
    fault: { line: 1, path: '$.global_key', message: /must not start or end with a space/ },
  },
  {
    name: 'a global key of 201 characters',
    content: () => ndjson(spec('k'.repeat(201))),
    fault: { line: 1, path: '$.global_key', message: /1 to 200 characters/ },
  },
  {
    name: '999 good lines and a truncated line 1000',
    content: () => {
      const lines = Array.from({ length: 999 }, (_, i) => good(`row-${i}`));
      lines.push(good('row-999').slice(0, 40));
      return lines.join('\n');
    },
    fault: { line: 1000, path: '$.row_data.type', message: /^truncated: the text ends inside a string/ },
  },
  {
    name: 'a JSON array that is not closed',
    content: () => `[${good('a')},\n${good('b')}\n`,
    fault: { line: 3, path: '$', message: /not closed/ },
  },
];

describeBackends('data row import faults', (ctx) => {
  for (const c of cases) {
    it(`rejects ${c.name} and writes nothing`, async () => {
      const { actor, datasetId } = await freshDataset(ctx.store);
      const before = await writtenCounts(ctx.store, actor.orgId);
      const result = await runImport(ctx.store, actor, datasetId, c.content());
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toContainEqual({
        line: c.fault.line,
        path: c.fault.path,
        message: expect.stringMatching(c.fault.message),
      });
      expect(await writtenCounts(ctx.store, actor.orgId)).toEqual(before);
    });
  }

  it('rejects __proto__ keys without polluting any prototype', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const content = `${good('a')}\n{"row_data": "https://x.io/a", "__proto__": {"isAdmin": true}}\n{"row_data": {"__proto__": {"isAdmin": true}}}\n`;
    const result = await runImport(ctx.store, actor, datasetId, content);
    expect(result).toMatchObject({ ok: false, errorCount: 2 });
    if (result.ok) return;
    expect(result.errors[0]).toEqual({
      line: 2,
      path: '$',
      message: expect.stringMatching(/key "__proto__" is not allowed/),
    });
    expect(result.errors[1]).toMatchObject({ line: 3, path: '$.row_data' });
    expect(({} as { isAdmin?: boolean }).isAdmin).toBeUndefined();
    expect((await writtenCounts(ctx.store, actor.orgId)).dataRows).toBe(0);
  });

  it('rejects a record larger than the limit without buffering it', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const huge = JSON.stringify({ row_data: 'https://x.io/a', external_id: 'x'.repeat(17 * 2 ** 20) });
    const result = await runImport(ctx.store, actor, datasetId, `${good('a')}\n${huge}\n${good('b')}\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ line: 2, path: '$', message: 'record is larger than 16777216 bytes' }]);
    expect((await writtenCounts(ctx.store, actor.orgId)).dataRows).toBe(0);
  });

  it('reports every fault of the file, listing the first 100', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const lines = Array.from({ length: 150 }, (_, i) => (i % 2 === 0 ? good(`k${i}`) : '{"row_data": 1}'));
    const result = await runImport(ctx.store, actor, datasetId, lines.join('\n'));
    expect(result).toMatchObject({ ok: false, errorCount: 75 });
    if (result.ok) return;
    expect(result.errors).toHaveLength(75);
    expect(result.errors.map((f: Fault) => f.line)).toEqual(Array.from({ length: 75 }, (_, i) => 2 * i + 2));
    const many = Array.from({ length: 130 }, () => '{"row_data": 1}').join('\n');
    const capped = await runImport(ctx.store, actor, datasetId, many);
    expect(capped).toMatchObject({ ok: false, errorCount: 130 });
    if (!capped.ok) expect(capped.errors).toHaveLength(100);
  });

  it('reports every duplicate global key: within the file, against stored rows, differing only in case', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const first = await runImport(ctx.store, actor, datasetId, ndjson(spec('stored-1'), spec('Stored-2')));
    expect(first).toMatchObject({ ok: true, counts: { dataRows: 2 } });
    const before = await writtenCounts(ctx.store, actor.orgId);
    const content = ndjson(
      spec('new-1'), // 1
      spec('stored-1'), // 2: same as stored
      spec('STORED-2'), // 3: stored, other case
      spec('new-1'), // 4: same as line 1
      spec('NEW-1'), // 5: line 1, other case
      spec('new-2'), // 6
    );
    const result = await runImport(ctx.store, actor, datasetId, content);
    expect(result).toMatchObject({ ok: false, errorCount: 4 });
    if (result.ok) return;
    expect(result.errors.map((f) => [f.line, f.path])).toEqual([
      [2, '$.global_key'],
      [3, '$.global_key'],
      [4, '$.global_key'],
      [5, '$.global_key'],
    ]);
    expect(result.errors[0]!.message).toMatch(
      /global key "stored-1" is already used by data row c[0-9a-z]{24}$/,
    );
    expect(result.errors[1]!.message).toMatch(
      /"STORED-2" is already used by data row .* as "Stored-2" \(global keys are case-insensitive\)/,
    );
    expect(result.errors[2]!.message).toBe(
      'duplicate global key "new-1": an earlier line of this file has it',
    );
    expect(result.errors[3]!.message).toMatch(
      /duplicate global key "NEW-1": an earlier line of this file has it as "new-1"/,
    );
    expect(await writtenCounts(ctx.store, actor.orgId)).toEqual(before);
  });

  it('finds duplicates across insert batches', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const lines = Array.from({ length: 2_500 }, (_, i) => good(`b-${i}`));
    lines.push(good('B-7'), good('b-2499'));
    const result = await runImport(ctx.store, actor, datasetId, lines.join('\n'));
    expect(result).toMatchObject({ ok: false, errorCount: 2 });
    if (!result.ok) expect(result.errors.map((f) => f.line)).toEqual([2_501, 2_502]);
    expect((await writtenCounts(ctx.store, actor.orgId)).dataRows).toBe(0);
  });

  it('answers NOT_FOUND for a dataset of another organization', async () => {
    const mine = await freshDataset(ctx.store);
    const theirs = await freshDataset(ctx.store);
    await expect(runImport(ctx.store, mine.actor, theirs.datasetId, ndjson(spec('a')))).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    expect((await writtenCounts(ctx.store, theirs.actor.orgId)).dataRows).toBe(0);
  });
});
