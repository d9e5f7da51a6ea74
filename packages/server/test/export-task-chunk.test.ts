import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readChunk } from '../src/exports/files/streams.chunk.ts';

const dir = mkdtempSync(join(tmpdir(), 'prefer-chunk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Every line mixes 1-, 2-, 3- and 4-byte characters; lengths vary so chunk ends land everywhere.
const lines = Array.from({ length: 40 }, (_, i) => `{"i":${i},"t":"a${'é€🌍'.repeat(i % 5)}z"}`);
const text = `${lines.join('\n')}\n`;
const bytes = Buffer.from(text);

describe('readChunk', () => {
  const path = file('multi.ndjson', text);

  it('ends every chunk on a line end, never inside a character, for every maxBytes', async () => {
    for (const maxBytes of [1, 2, 3, 17, 31, 64, 100, 1000, bytes.length, bytes.length + 10]) {
      let offset = 0;
      let line = 0;
      const out: Buffer[] = [];
      while (offset < bytes.length) {
        const chunk = await readChunk(path, offset, maxBytes);
        const raw = Buffer.from(chunk.text);
        // Decoding found no broken character: the bytes are exactly the file's.
        expect(raw.equals(bytes.subarray(offset, chunk.offsets.end + 1))).toBe(true);
        expect(chunk.text.endsWith('\n')).toBe(true);
        expect(chunk.lines.start).toBe(line);
        const n = chunk.text.split('\n').length - 1;
        expect(chunk.lines.end).toBe(line + n - 1);
        // Within maxBytes, unless a single line is longer: then exactly that one line.
        if (raw.length > maxBytes) expect(n).toBe(1);
        out.push(raw);
        offset = chunk.offsets.end + 1;
        line = chunk.lines.end + 1;
      }
      expect(Buffer.concat(out).equals(bytes)).toBe(true);
      expect(line).toBe(40);
    }
  });

  it('starts exactly at a mid-line offset, numbering the line it falls in', async () => {
    const lineStart = bytes.indexOf(10) + 1; // line 1
    const chunk = await readChunk(path, lineStart + 2, 10_000);
    expect(chunk.offsets).toEqual({ start: lineStart + 2, end: bytes.length - 1 });
    expect(chunk.lines).toEqual({ start: 1, end: 39 });
    expect(chunk.text).toBe(bytes.subarray(lineStart + 2).toString('utf8'));
  });

  it('refuses an offset inside a UTF-8 character or outside the file', async () => {
    const euro = bytes.indexOf(Buffer.from('€'));
    await expect(readChunk(path, euro + 1, 100)).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    await expect(readChunk(path, bytes.length + 1, 100)).rejects.toMatchObject({
      code: 'RANGE_NOT_SATISFIABLE',
    });
    await expect(readChunk(path, -1, 100)).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    await expect(readChunk(path, 0, 0)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers the end of the file with an empty chunk', async () => {
    expect(await readChunk(path, bytes.length, 100)).toEqual({
      text: '',
      offsets: { start: bytes.length, end: bytes.length - 1 },
      lines: { start: 40, end: 39 },
    });
    const empty = file('empty.ndjson', '');
    expect(await readChunk(empty, 0, 100)).toEqual({
      text: '',
      offsets: { start: 0, end: -1 },
      lines: { start: 0, end: -1 },
    });
  });

  it('returns a line longer than maxBytes whole, across several reads', async () => {
    const long = `{"t":"${'🌍'.repeat(50_000)}"}`; // 200 kB: more than one extension read
    const path2 = file('long.ndjson', `${long}\n{"short":1}\n`);
    const first = await readChunk(path2, 0, 10);
    expect(first.text).toBe(`${long}\n`);
    expect(first.lines).toEqual({ start: 0, end: 0 });
    const second = await readChunk(path2, first.offsets.end + 1, 10_000);
    expect(second.text).toBe('{"short":1}\n');
    expect(second.lines).toEqual({ start: 1, end: 1 });
  });

  it('returns an unterminated last line as it is', async () => {
    const path3 = file('open.ndjson', '{"a":1}\n{"b":2}');
    const chunk = await readChunk(path3, 8, 100);
    expect(chunk).toEqual({ text: '{"b":2}', offsets: { start: 8, end: 14 }, lines: { start: 1, end: 1 } });
  });
});
