/**
 * Parquet files in the `datasets` layout, read back with `hyparquet` (a separate reader package
 * by the writer's author; it shares no code path with the writer's encoding), and the card.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it, onTestFinished } from 'vitest';
import { convertRows, surveyRows } from '../src/convert.ts';
import { COLUMNS, FORMATS } from '../src/formats/formats.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import { datasetCard } from '../src/output/card.ts';
import { parquetDirSink } from '../src/output/parquet-sink.ts';
import { splitOf } from '../src/output/split.ts';
import { readExportFile } from '../src/source/export-file.ts';
import { convertFile } from './support/convert-file.ts';

const EXPORT = new URL('./fixtures/export.ndjson', import.meta.url).pathname;

async function readParquet(path: string) {
  return parquetReadObjects({ file: await asyncBufferFromFile(path) });
}

/** What a record becomes in Parquet and back: ints as bigint, nested JSON columns as text. */
function asStored(format: (typeof FORMATS)[number], record: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of COLUMNS[format]) {
    const v = record[name] ?? null;
    out[name] =
      v === null ? null : kind === 'json' ? JSON.stringify(v) : kind === 'int' ? BigInt(v as number) : v;
  }
  return out;
}

describe('Parquet output', () => {
  for (const format of FORMATS) {
    it(`${format}: every record reads back equal, in row groups`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `prefer-parquet-${format}-`));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const { mapping } = resolveMapping({}, await surveyRows(readExportFile(EXPORT)));
      const summary = await convertRows(
        readExportFile(EXPORT),
        parquetDirSink(dir, COLUMNS[format], { rowGroupRows: 2 }),
        {
          format,
          mapping,
        },
      );
      expect(summary.files).toEqual(['data/train-00000-of-00001.parquet']);
      const back = await readParquet(join(dir, summary.files[0]!));
      const { records } = await convertFile(EXPORT, { format });
      expect(back).toEqual(records.map((r) => asStored(format, r)));
    });
  }

  it('shards get their final -of-N names, and the split follows the prompt hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prefer-parquet-shards-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { mapping } = resolveMapping({}, await surveyRows(readExportFile(EXPORT)));
    const summary = await convertRows(
      readExportFile(EXPORT),
      parquetDirSink(dir, COLUMNS.arena, { rowGroupRows: 2, shardRows: 4 }),
      {
        format: 'arena',
        mapping,
        testFraction: 0.5,
      },
    );
    const files = readdirSync(join(dir, 'data')).sort();
    expect(files.every((f) => /^(train|test)-\d{5}-of-\d{5}\.parquet$/.test(f))).toBe(true);
    let rows = 0;
    for (const f of files) {
      const split = f.startsWith('test') ? 'test' : 'train';
      for (const r of await readParquet(join(dir, 'data', f))) {
        rows++;
        const prompt = (r.conversation_a as { role: string; content: string }[]).slice(0, -1);
        expect(splitOf(prompt as never, 0.5)).toBe(split);
      }
    }
    expect(rows).toBe(summary.records.train + summary.records.test);
    expect(summary.records.test).toBeGreaterThan(0);
    const card = datasetCard(summary, mapping, 'export.ndjson', []);
    expect(card).toContain('path: data/train-*.parquet');
    expect(card).toContain('path: data/test-*.parquet');
    expect(card).toMatch(/# license:/);
  });

  it('the split is stable and keeps one prompt on one side', () => {
    const p = [{ role: 'user' as const, content: 'same prompt' }];
    expect(splitOf(p, 0.3)).toBe(splitOf([...p], 0.3));
    let test = 0;
    for (let i = 0; i < 2000; i++)
      if (splitOf([{ role: 'user', content: `prompt ${i}` }], 0.05) === 'test') test++;
    expect(test / 2000).toBeGreaterThan(0.035);
    expect(test / 2000).toBeLessThan(0.065);
    expect(readFileSync(EXPORT, 'utf8').length).toBeGreaterThan(0);
  });
});

describe('JSONL dataset directory', () => {
  it('writes data/train.jsonl and data/test.jsonl, and the card points at them', async () => {
    const { jsonlDirSink } = await import('../src/output/jsonl-sink.ts');
    const dir = mkdtempSync(join(tmpdir(), 'prefer-jsonl-dir-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const { mapping } = resolveMapping({}, await surveyRows(readExportFile(EXPORT)));
    const summary = await convertRows(readExportFile(EXPORT), jsonlDirSink(dir), {
      format: 'prefer',
      mapping,
      testFraction: 0.5,
    });
    expect(summary.files.sort()).toEqual(['data/test.jsonl', 'data/train.jsonl']);
    const train = readFileSync(join(dir, 'data/train.jsonl'), 'utf8').trim().split('\n');
    expect(train.length).toBe(summary.records.train);
    expect(readdirSync(join(dir, 'data')).some((f) => f.endsWith('.partial'))).toBe(false);
    expect(datasetCard(summary, mapping, 'x', [])).toContain('path: data/test.jsonl');
  });
});
