/**
 * Parquet in the Hugging Face `datasets` layout: `data/{split}-{i:05d}-of-{n:05d}.parquet`.
 * Records are buffered one row group at a time (so memory stays flat whatever the size), and a
 * shard is closed every `shardRows` rows; names get their final `-of-N` once N is known.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { getOrSet } from '../util.ts';
import { type ColumnKind, cell, parquetSchema } from './columns.ts';
import type { RecordSink } from './sink.ts';
import type { Split } from './split.ts';

export interface ParquetOptions {
  rowGroupRows?: number;
  shardRows?: number;
}

interface SplitState {
  shards: string[];
  writer: ParquetWriter | null;
  rowsInShard: number;
  buffer: unknown[][];
}

const pad = (n: number) => String(n).padStart(5, '0');

export function parquetDirSink(
  dir: string,
  columns: readonly [string, ColumnKind][],
  opts: ParquetOptions = {},
): RecordSink {
  const rowGroupRows = opts.rowGroupRows ?? 1000;
  const shardRows = opts.shardRows ?? 250_000;
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const schema = parquetSchema(columns);
  const splits = new Map<Split, SplitState>();

  function flush(split: Split, s: SplitState): void {
    if (s.buffer[0]!.length === 0) return;
    if (!s.writer) {
      const partial = join(dataDir, `${split}-${pad(s.shards.length)}.parquet.partial`);
      s.shards.push(partial);
      s.writer = new ParquetWriter({ writer: fileWriter(partial), schema, createdBy: 'prefer' });
    }
    const rows = s.buffer[0]!.length;
    s.writer.write({
      columnData: columns.map(([name], i) => ({ name, data: s.buffer[i]! })),
      rowGroupSize: rows,
    });
    s.buffer = columns.map(() => []);
    s.rowsInShard += rows;
    if (s.rowsInShard >= shardRows) closeShard(s);
  }

  function closeShard(s: SplitState): void {
    s.writer?.finish();
    s.writer = null;
    s.rowsInShard = 0;
  }

  return {
    async write(split, record) {
      const s = getOrSet(splits, split, () => ({
        shards: [],
        writer: null,
        rowsInShard: 0,
        buffer: columns.map(() => []),
      }));
      columns.forEach(([name, kind], i) => {
        s.buffer[i]!.push(cell(kind, record[name]));
      });
      if (s.buffer[0]!.length >= rowGroupRows) flush(split, s);
    },
    async finish() {
      const files: string[] = [];
      for (const [split, s] of splits) {
        flush(split, s);
        closeShard(s);
        s.shards.forEach((partial, i) => {
          const name = `${split}-${pad(i)}-of-${pad(s.shards.length)}.parquet`;
          renameSync(partial, join(dataDir, name));
          files.push(join('data', name));
        });
      }
      return files;
    },
    async abort() {
      for (const s of splits.values()) for (const partial of s.shards) rmSync(partial, { force: true });
    },
  };
}
