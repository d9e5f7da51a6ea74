/**
 * The files of one export task: `<dataDir>/exports/<taskId>/{result,errors}.ndjson`, each with
 * its line index (`.idx`). They are written under `.tmp` names and renamed only once complete
 * and fsynced, so a final name always means a whole file.
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportStreamName } from './export-task.types.ts';
import { encodeIndexEntry, LINE_INDEX_EVERY, lineIndexPath } from './streams.line-index.ts';

export const taskDir = (dataDir: string, taskId: string) => join(dataDir, 'exports', taskId);
export const streamPath = (dataDir: string, taskId: string, stream: ExportStreamName) =>
  join(taskDir(dataDir, taskId), `${stream}.ndjson`);
const tmp = (path: string) => `${path}.tmp`;

export interface StreamStats {
  path: string;
  bytes: number;
  lines: number;
  sha256: string;
}

/** Flush to disk once this much is buffered; the producer then waits for the write. */
const HIGH_WATER_BYTES = 256 * 1024;

/** Appends lines to a temp file, counting bytes and lines and hashing as it goes. */
export class NdjsonFileWriter {
  readonly path: string;
  #data: FileHandle;
  #index: FileHandle;
  #hash: Hash = createHash('sha256');
  #bytes = 0;
  #lines = 0;
  #pending: string[] = [];
  #pendingBytes = 0;
  #pendingIndex: Buffer[] = [];
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;

  private constructor(path: string, data: FileHandle, index: FileHandle) {
    this.path = path;
    this.#data = data;
    this.#index = index;
  }

  static async create(path: string): Promise<NdjsonFileWriter> {
    const data = await open(tmp(path), 'w');
    try {
      return new NdjsonFileWriter(path, data, await open(tmp(lineIndexPath(path)), 'w'));
    } catch (err) {
      await data.close();
      throw err;
    }
  }

  /** Adds one line (without its `\n`). Returns a promise when the caller should wait for the disk. */
  write(line: string): void | Promise<void> {
    if (this.#error) throw this.#error;
    if (line.includes('\n')) throw new Error('an export line must not contain a newline');
    if (this.#lines > 0 && this.#lines % LINE_INDEX_EVERY === 0) {
      this.#pendingIndex.push(encodeIndexEntry(this.#bytes));
    }
    const size = Buffer.byteLength(line) + 1;
    this.#pending.push(line, '\n');
    this.#pendingBytes += size;
    this.#bytes += size;
    this.#lines++;
    if (this.#pendingBytes >= HIGH_WATER_BYTES) return this.#flush();
  }

  /** Writes what is buffered, fsyncs both files and closes them. */
  async finish(): Promise<StreamStats> {
    await this.#flush();
    await this.#data.sync();
    await this.#index.sync();
    await this.close();
    return { path: this.path, bytes: this.#bytes, lines: this.#lines, sha256: this.#hash.digest('hex') };
  }

  /** Closes without syncing (abandoned attempt); safe to call twice. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#data.close(), this.#index.close()]);
  }

  #flush(): Promise<void> {
    if (this.#pending.length > 0 || this.#pendingIndex.length > 0) {
      const data = Buffer.from(this.#pending.join(''));
      const index = Buffer.concat(this.#pendingIndex);
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#pendingIndex = [];
      this.#hash.update(data);
      // Chained so writes land in order even if a caller does not wait for the previous one.
      this.#chain = this.#chain.then(async () => {
        await writeAll(this.#data, data);
        await writeAll(this.#index, index);
      });
      this.#chain.catch((err: unknown) => {
        this.#error ??= err;
      });
    }
    return this.#chain;
  }
}

async function writeAll(file: FileHandle, buf: Buffer): Promise<void> {
  for (let done = 0; done < buf.length; ) {
    const { bytesWritten } = await file.write(buf, done, buf.length - done);
    done += bytesWritten;
  }
}

/** Starts an attempt from scratch: removes any file a previous attempt left. */
export async function resetTaskDir(dataDir: string, taskId: string): Promise<void> {
  const dir = taskDir(dataDir, taskId);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

export async function removeTaskDir(dataDir: string, taskId: string): Promise<void> {
  await rm(taskDir(dataDir, taskId), { recursive: true, force: true });
}

/** Gives the synced temp files their final names, then fsyncs the directories so the names last. */
export async function publishFiles(dataDir: string, taskId: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    // The index first: a final data file always has its final index beside it.
    await rename(tmp(lineIndexPath(path)), lineIndexPath(path));
    await rename(tmp(path), path);
  }
  // The task directory holds the new names; its parent holds the (new) task directory itself.
  await syncDir(taskDir(dataDir, taskId));
  await syncDir(join(dataDir, 'exports'));
}

async function syncDir(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
