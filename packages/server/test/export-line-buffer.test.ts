/**
 * The byte path of an export: lines put into a reused buffer (LineBuffer) and chunks written by
 * the task's file writer (NdjsonFileWriter). Plain files in a temp directory; no database.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LINE_INDEX_EVERY, lineIndexPath, offsetOfLine } from '../src/exports/files/streams.line-index.ts';
import { LineBuffer } from '../src/exports/v2/line-buffer.ts';
import { NdjsonFileWriter, tempPath } from '../src/exports/worker/worker.files.ts';

/** Collects what a LineBuffer hands over, copying each chunk as a sink must. */
function collector() {
  const chunks: { text: string; lines: number }[] = [];
  const sink = (chunk: Buffer, lines: number) => {
    chunks.push({ text: chunk.toString('utf8'), lines });
  };
  return { chunks, sink, text: () => chunks.map((c) => c.text).join('') };
}

describe('LineBuffer', () => {
  it('hands over whole lines only, with their count, whatever the piece sizes', async () => {
    const c = collector();
    const out = new LineBuffer(c.sink, 64);
    const lines = Array.from({ length: 40 }, (_, i) => `{"n":${i},"t":"${'é€🌍'.repeat(i % 7)}"}`);
    for (const line of lines) {
      // In uneven pieces, as an engine puts fragments and literals.
      out.put(line.slice(0, 5));
      out.put(line.slice(5));
      await out.end();
    }
    await out.finish();
    expect(c.text()).toBe(`${lines.join('\n')}\n`);
    for (const chunk of c.chunks) {
      expect(chunk.text.endsWith('\n')).toBe(true);
      expect(chunk.text.split('\n').length - 1).toBe(chunk.lines);
    }
    expect(c.chunks.length).toBeGreaterThan(5);
  });

  it('grows for a line longer than its buffer and keeps the lines before it', async () => {
    const c = collector();
    const out = new LineBuffer(c.sink, 32);
    out.line('short');
    const long = 'x'.repeat(1000);
    out.put(long.slice(0, 400));
    out.put(long.slice(400));
    out.end();
    out.line('after');
    await out.finish();
    expect(c.text()).toBe(`short\n${long}\nafter\n`);
  });

  it('drops an abandoned line, also when part of it was put after a hand-over', async () => {
    const c = collector();
    const out = new LineBuffer(c.sink, 32);
    out.line('kept one');
    out.put('a failing row that is longer than the buffer it started in');
    out.abandon();
    out.line('kept two');
    out.put('left open at the end');
    await out.finish();
    expect(c.text()).toBe('kept one\nkept two\n');
  });

  it('returns the sink promise for backpressure and hands nothing over before it resolves', async () => {
    let release: () => void = () => {};
    const seen: number[] = [];
    const out = new LineBuffer((_chunk, lines) => {
      seen.push(lines);
      return new Promise<void>((r) => (release = r));
    }, 16);
    let waited: Promise<void> | undefined;
    for (let i = 0; i < 10 && !waited; i++) {
      const pending = out.line(`line ${i}`);
      if (pending) waited = pending;
    }
    expect(waited).toBeInstanceOf(Promise);
    expect(seen.length).toBe(1);
    release();
    await waited;
  });
});

describe('NdjsonFileWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefer-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes chunks, counts lines and indexes every 1,000th line across chunk boundaries', async () => {
    const path = join(dir, 'result.ndjson');
    const writer = await NdjsonFileWriter.create(path);
    const lines = Array.from(
      { length: 3 * LINE_INDEX_EVERY },
      (_, i) => `{"i":${i},"s":"${'ü'.repeat(i % 5)}"}`,
    );
    // Chunks of 7 lines: boundaries fall everywhere, and line 3,000 does not exist (no entry).
    for (let i = 0; i < lines.length; i += 7) {
      const part = lines.slice(i, i + 7);
      await writer.write(Buffer.from(`${part.join('\n')}\n`), part.length);
    }
    const stats = await writer.finish();
    const text = readFileSync(tempPath(path), 'utf8');
    expect(text).toBe(`${lines.join('\n')}\n`);
    expect(stats.lines).toBe(lines.length);
    expect(stats.bytes).toBe(Buffer.byteLength(text));
    expect(stats.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    const index = readFileSync(tempPath(lineIndexPath(path)));
    const entries = Array.from({ length: index.length / 8 }, (_, k) => Number(index.readBigUInt64LE(k * 8)));
    const startOf = (line: number) => Buffer.byteLength(`${lines.slice(0, line).join('\n')}\n`);
    expect(entries).toEqual([startOf(LINE_INDEX_EVERY), startOf(2 * LINE_INDEX_EVERY)]);
  });

  it('refuses a chunk whose newlines do not match its line count (a raw newline inside a line)', async () => {
    const writer = await NdjsonFileWriter.create(join(dir, 'broken.ndjson'));
    expect(() => writer.write(Buffer.from('{"a":"x\ny"}\n'), 1)).toThrow(/1 lines held 2 newlines/);
    expect(() => writer.write(Buffer.from('{"a":1}'), 1)).toThrow(/newlines/);
    await writer.close();
  });

  it('offsetOfLine (exportFileFromLine) finds where any line starts from the nearest indexed line; the end, then undefined, past it', async () => {
    const path = join(dir, 'by-line.ndjson');
    const lines = Array.from(
      { length: 2 * LINE_INDEX_EVERY + 10 },
      (_, i) => `{"i":${i},"s":"${'€'.repeat(i % 3)}"}`,
    );
    const text = `${lines.join('\n')}\n`;
    const writer = await NdjsonFileWriter.create(path);
    await writer.write(Buffer.from(text), lines.length);
    await writer.finish();
    renameSync(tempPath(path), path);
    renameSync(tempPath(lineIndexPath(path)), lineIndexPath(path));
    const startOf = (line: number) =>
      Buffer.byteLength(
        lines
          .slice(0, line)
          .map((l) => `${l}\n`)
          .join(''),
      );
    for (const line of [0, 1, 999, 1000, 1001, 1999, 2000, 2009]) {
      expect(await offsetOfLine(path, line), `line ${line}`).toBe(startOf(line));
    }
    expect(await offsetOfLine(path, lines.length)).toBe(Buffer.byteLength(text));
    expect(await offsetOfLine(path, lines.length + 1)).toBeUndefined();
    expect(await offsetOfLine(path, 5 * LINE_INDEX_EVERY)).toBeUndefined();
  });
});
