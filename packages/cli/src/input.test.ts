import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readList, requireFile } from './input.ts';

const dir = mkdtempSync(join(tmpdir(), 'prefer-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readList', () => {
  it('reads one value per line: CRLF, blank lines, a BOM and no final newline are fine', async () => {
    expect(await readList(file('a.txt', '\uFEFFk1\r\n\r\n  \nk2\nk 3'), 'keys')).toEqual(['k1', 'k2', 'k 3']);
  });

  it('keeps spaces inside a line so the service can refuse a key with them', async () => {
    expect(await readList(file('b.txt', ' padded \n'), 'keys')).toEqual([' padded ']);
  });

  it('reads a JSON array of strings', async () => {
    expect(await readList(file('c.json', '\n ["a", "b"]\n'), 'keys')).toEqual(['a', 'b']);
  });

  it('refuses a broken or non-string JSON array with the file name', async () => {
    await expect(readList(file('d.json', '["a",'), 'keys')).rejects.toThrow(
      /d\.json: not a valid JSON array/,
    );
    await expect(readList(file('e.json', '["a", 1]'), 'keys')).rejects.toThrow(
      /e\.json: expected a JSON array of keys/,
    );
  });
});

describe('requireFile', () => {
  it('answers the size of a file and refuses directories and missing paths', () => {
    expect(requireFile(file('f.txt', 'abc'))).toBe(3);
    expect(() => requireFile(dir)).toThrow(/is not a file/);
    expect(() => requireFile(join(dir, 'missing'))).toThrow(/cannot read .*missing: ENOENT/);
  });
});
