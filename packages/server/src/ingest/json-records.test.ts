import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type JsonRecord, readJsonRecords } from './json-records.ts';

/** Feeds `content` in chunks of `size` bytes, so records straddle chunk boundaries. */
async function read(content: string | Buffer, size = 7, maxRecordBytes?: number): Promise<JsonRecord[]> {
  const bytes = Buffer.from(content);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: JsonRecord[] = [];
  for await (const r of readJsonRecords(Readable.from(chunks), { maxRecordBytes })) out.push(r);
  return out;
}

const values = (records: JsonRecord[]) =>
  records.map((r) => (r.fault ? { line: r.line, fault: r.fault.message } : { line: r.line, value: r.value }));

describe('readJsonRecords', () => {
  it('reads NDJSON across many chunks with line numbers', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, text: 'é🙂'.repeat(i) }));
    const records = await read(lines.join('\n'), 13);
    expect(records).toHaveLength(50);
    expect(records.every((r, i) => !r.fault && r.line === i + 1 && (r.value as { i: number }).i === i)).toBe(
      true,
    );
  });

  it('reads a file larger than one read chunk (1 MiB) whole', async () => {
    const line = `${JSON.stringify({ pad: 'x'.repeat(1000) })}\n`;
    const records = await read(line.repeat(3000), 1 << 20);
    expect(records).toHaveLength(3000);
    expect(records.filter((r) => r.fault)).toEqual([]);
  });

  it('counts the lines of whole chunks of leading blanks it does not keep (NDJSON and array)', async () => {
    const blanks = ' \t\r\n'.repeat(5000);
    expect(values(await read(`\uFEFF${blanks}{"a":1}\n{"a":2}`, 4096))).toEqual([
      { line: 5001, value: { a: 1 } },
      { line: 5002, value: { a: 2 } },
    ]);
    expect(values(await read(`${blanks}[{"a":1},\n{"a":2}]`, 4096))).toEqual([
      { line: 5001, value: { a: 1 } },
      { line: 5002, value: { a: 2 } },
    ]);
    expect(await read(blanks, 4096)).toEqual([]);
  });

  it('skips a leading BOM, blank lines and CR, but counts the lines', async () => {
    const records = await read('\uFEFF{"a":1}\r\n\r\n  \n{"a":2}', 2);
    expect(values(records)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
    ]);
  });

  it('faults a BOM after the start', async () => {
    expect(values(await read('{"a":1}\n\uFEFF{"a":2}\n'))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, fault: expect.stringMatching(/byte order mark/) },
    ]);
  });

  it('faults invalid UTF-8 with its byte column, never replacing it', async () => {
    for (const bad of [[0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]]) {
      const content = Buffer.concat([
        Buffer.from('{"a":1}\n{"s":"ab'),
        Buffer.from(bad),
        Buffer.from('"}\n{"a":3}\n'),
      ]);
      expect(values(await read(content, 3))).toEqual([
        { line: 1, value: { a: 1 } },
        { line: 2, fault: 'invalid UTF-8 at byte 9' },
        { line: 3, value: { a: 3 } },
      ]);
    }
  });

  it('faults an oversized record and goes on with the next', async () => {
    const content = `{"a":1}\n{"big":"${'x'.repeat(200)}"}\n{"a":3}\n`;
    expect(values(await read(content, 16, 100))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, fault: 'record is larger than 100 bytes' },
      { line: 3, value: { a: 3 } },
    ]);
  });

  it('reads a JSON array, each element with the line it starts on', async () => {
    const content = '[\n  {"a": "x,]}"},\n  {"b":\n    [1, 2]},\n  3\n]\n';
    expect(values(await read(content, 5))).toEqual([
      { line: 2, value: { a: 'x,]}' } },
      { line: 3, value: { b: [1, 2] } },
      { line: 5, value: 3 },
    ]);
  });

  it('faults a truncated array, empty elements and text after the array', async () => {
    expect(values(await read('[{"a":1},\n{"a":2}'))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { a: 2 } },
      { line: 2, fault: 'the JSON array is not closed: the file is truncated' },
    ]);
    expect(values(await read('[1,,2]')).map((v) => v.fault ?? v.value)).toEqual([
      1,
      expect.stringMatching(/empty array element/),
      2,
    ]);
    expect(values(await read('[1] x'))).toEqual([
      { line: 1, value: 1 },
      { line: 1, fault: 'unexpected text after the closing "]" of the array' },
    ]);
  });

  it('reads nothing from an empty or blank input', async () => {
    expect(await read('')).toEqual([]);
    expect(await read('\n \r\n')).toEqual([]);
  });
});
