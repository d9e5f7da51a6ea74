/** JSONL: one file (or stdout) for everything, or `data/train.jsonl` and `data/test.jsonl` in a directory. */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { getOrSet } from '../util.ts';
import type { RecordSink } from './sink.ts';
import type { Split } from './split.ts';

interface Target {
  stream: Writable;
  partial: string | null;
  final: string | null;
  /** How `finish` names the file: the path given, or relative to the dataset directory. */
  shown: string | null;
}

async function end(stream: Writable): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    (stream as WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

function fileTarget(path: string, shown = path): Target {
  const partial = `${path}.partial`;
  return { stream: createWriteStream(partial), partial, final: path, shown };
}

/** `out` a file path, or undefined for `stdout`. */
export function jsonlFileSink(out: string | undefined, stdout: Writable = process.stdout): RecordSink {
  const target: Target = out ? fileTarget(out) : { stream: stdout, partial: null, final: null, shown: null };
  return jsonlSink(() => target, [target]);
}

/** `dir/data/{split}.jsonl`, the layout `datasets` maps to splits by file name. */
export function jsonlDirSink(dir: string): RecordSink {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const targets = new Map<Split, Target>();
  return jsonlSink(
    (split) => {
      return getOrSet(targets, split, () =>
        fileTarget(join(dir, 'data', `${split}.jsonl`), `data/${split}.jsonl`),
      );
    },
    () => [...targets.values()],
  );
}

function jsonlSink(targetOf: (split: Split) => Target, all: Target[] | (() => Target[])): RecordSink {
  const list = () => (typeof all === 'function' ? all() : all);
  return {
    async write(split, record) {
      const { stream } = targetOf(split);
      if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, 'drain');
    },
    async finish() {
      const files: string[] = [];
      for (const t of list()) {
        if (!t.partial || !t.final) continue;
        await end(t.stream);
        renameSync(t.partial, t.final);
        files.push(t.shown ?? t.final);
      }
      return files;
    },
    async abort() {
      for (const t of list()) {
        if (!t.partial) continue;
        t.stream.destroy();
        rmSync(t.partial, { force: true });
      }
    },
  };
}
