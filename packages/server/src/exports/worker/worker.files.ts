/**
 * The files of one export task: `<dataDir>/exports/<taskId>/{result,errors}.ndjson`, each with
 * its line index (`.idx`). They are written under `.tmp` names and renamed only once complete
 * and fsynced, so a final name always means a whole file.
 */

import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSample } from '../files/file-sample.ts';
import { encodeIndexEntry, LINE_INDEX_EVERY, lineIndexPath } from '../files/streams.line-index.ts';
import type { ExportStreamName } from '../tasks/export-task.types.ts';

export const taskDir = (dataDir: string, taskId: string) => join(dataDir, 'exports', taskId);
export const streamPath = (dataDir: string, taskId: string, stream: ExportStreamName) =>
  join(taskDir(dataDir, taskId), `${stream}.ndjson`);
/** Where a stream is written until it is complete and synced. */
export const tempPath = (path: string) => `${path}.tmp`;

export interface StreamStats {
  path: string;
  bytes: number;
  lines: number;
  /** Null when the writer was told not to hash. */
  sha256: string | null;
  /** The file's sampled fingerprint (file-sample.ts), checked before every read; null unhashed. */
  sample: string | null;
}

export interface NdjsonFileOptions {
  /** Where the file is written until complete and synced (default `tempPath(path)`). */
  temp?: string;
  /** Write the line index beside it (default true: task files are read by line ranges). */
  lineIndex?: boolean;
  /** Hash the bytes (default true: a task reports its files' SHA-256). */
  sha256?: boolean;
  /**
   * Bytes, not lines (a conversion's tar archive): chunks are taken as they come, with no line
   * count and no index entries (the index file stays empty, so publishing is the same).
   */
  binary?: boolean;
}

/** Bytes per write to the file. */
const WRITE_BYTES = 1 << 20;
/**
 * Writes queued for the disk before the producer waits, for the oldest one only: the engine goes
 * on assembling while the disk (another thread) writes the previous ones, and the disk always has
 * the next write waiting. (Waiting for the whole queue left the disk idle while the engine filled
 * it again: 1,000,000 rows took 41-45 s, now 26-38 s.) Their buffers are reused, so memory stays
 * flat.
 */
const MAX_QUEUED_WRITES = 4;
/** Synced in the background every this many bytes, so the sync at the end has little left to do. */
const SYNC_EVERY_BYTES = 64 << 20;

/** Appends chunks of whole lines to a temp file, counting bytes and lines and hashing as it goes. */
export class NdjsonFileWriter {
  readonly path: string;
  readonly temp: string;
  #data: FileHandle;
  #index: FileHandle | null;
  #hash: Hash | null;
  #binary: boolean;
  #bytes = 0;
  #lines = 0;
  /** Where chunks are copied (a sink's chunk is only valid during the call) until a write. */
  #stage: Buffer | null = null;
  #staged = 0;
  #spare: Buffer[] = [];
  #pendingIndex: Buffer[] = [];
  /** An index entry for the line that the next chunk starts. */
  #nextEntry: number | null = null;
  /** Each queued write, oldest first, until it is written (the chain runs them in order). */
  #queued: Promise<void>[] = [];
  #unsynced = 0;
  #chain: Promise<void> = Promise.resolve();
  #syncs: Promise<void> = Promise.resolve();
  #error: unknown;

  private constructor(
    path: string,
    temp: string,
    data: FileHandle,
    index: FileHandle | null,
    hash: boolean,
    binary: boolean,
  ) {
    this.path = path;
    this.temp = temp;
    this.#data = data;
    this.#index = index;
    this.#hash = hash ? createHash('sha256') : null;
    this.#binary = binary;
  }

  static async create(path: string, options: NdjsonFileOptions = {}): Promise<NdjsonFileWriter> {
    const temp = options.temp ?? tempPath(path);
    const data = await open(temp, 'w');
    try {
      const index = options.lineIndex === false ? null : await open(tempPath(lineIndexPath(path)), 'w');
      return new NdjsonFileWriter(path, temp, data, index, options.sha256 !== false, options.binary === true);
    } catch (err) {
      await data.close();
      throw err;
    }
  }

  /**
   * Adds `lines` whole lines (each ending in `\n`). A chunk whose newlines do not number `lines`
   * holds a line with a raw newline inside, which would break every reader: refused. Returns a
   * promise when the caller should wait for the disk.
   */
  write(chunk: Buffer, lines: number): void | Promise<void> {
    if (this.#error) throw this.#error;
    if (this.#binary) return this.#append(chunk);
    if (this.#index && this.#nextEntry !== null && chunk.length > 0) {
      this.#pendingIndex.push(encodeIndexEntry(this.#nextEntry));
      this.#nextEntry = null;
    }
    let seen = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, nl + 1)) {
      seen++;
      // The line after this newline starts a new thousand: its offset goes into the index, once
      // that line exists (a file of exactly 1,000 lines has no entry).
      if (this.#index && (this.#lines + seen) % LINE_INDEX_EVERY === 0) {
        if (nl + 1 < chunk.length) this.#pendingIndex.push(encodeIndexEntry(this.#bytes + nl + 1));
        else this.#nextEntry = this.#bytes + nl + 1;
      }
    }
    if (seen !== lines || (chunk.length > 0 && chunk[chunk.length - 1] !== 0x0a)) {
      throw new Error(`an export chunk of ${lines} lines held ${seen} newlines`);
    }
    this.#lines += lines;
    return this.#append(chunk);
  }

  /** Hashes, counts and stages the bytes; a promise when the caller should wait for the disk. */
  #append(chunk: Buffer): void | Promise<void> {
    this.#hash?.update(chunk);
    this.#bytes += chunk.length;
    for (let from = 0; from < chunk.length; ) {
      this.#stage ??= this.#spare.pop() ?? Buffer.allocUnsafe(WRITE_BYTES);
      const n = chunk.copy(this.#stage, this.#staged, from);
      this.#staged += n;
      from += n;
      if (this.#staged === this.#stage.length) this.#flush();
    }
    if (this.#queued.length > MAX_QUEUED_WRITES) return this.#queued[0];
  }

  /** Writes what is buffered, fsyncs both files and closes them. */
  async finish(): Promise<StreamStats> {
    this.#flush();
    await this.#chain;
    await this.#syncs;
    if (this.#error) throw this.#error;
    await this.#data.sync();
    await this.#index?.sync();
    await this.close();
    const sha256 = this.#hash?.digest('hex') ?? null;
    // Files whose hash is kept (task files) also keep a sampled fingerprint, read back from the
    // synced file (256 KiB at most): what was written, as readers will see it.
    let sample: string | null = null;
    if (sha256 !== null) {
      const read = await fileSample(this.temp, this.#bytes);
      if (read === undefined)
        throw new Error(`${this.temp} is shorter than the ${this.#bytes} bytes written`);
      sample = read;
    }
    return { path: this.path, bytes: this.#bytes, lines: this.#lines, sha256, sample };
  }

  /** Closes without syncing (abandoned attempt); safe to call twice. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#data.close(), this.#index?.close()]);
  }

  /** Queues the staged bytes (and index entries) for the disk. */
  #flush(): void {
    if (this.#staged === 0 && this.#pendingIndex.length === 0) return;
    const stage = this.#stage;
    const data = stage ? stage.subarray(0, this.#staged) : Buffer.alloc(0);
    const index = Buffer.concat(this.#pendingIndex);
    this.#stage = null;
    this.#staged = 0;
    this.#pendingIndex = [];
    // Chained so writes land in order; the buffer is reused once written.
    this.#chain = this.#chain
      .then(async () => {
        await writeAll(this.#data, data);
        if (this.#index) await writeAll(this.#index, index);
        if (stage) this.#spare.push(stage);
        this.#unsynced += data.length;
        if (this.#unsynced >= SYNC_EVERY_BYTES) {
          this.#unsynced = 0;
          // Beside the writes, not in their chain: the disk syncs while the next ones go on.
          this.#syncs = this.#syncs.then(() => this.#data.datasync()).catch(this.#fail);
        }
      })
      .catch(this.#fail)
      // Written or failed, it leaves the queue (a failure reaches the producer's next write).
      .finally(() => {
        // (A block: `shift` answers this very promise, which `finally` would wait for.)
        this.#queued.shift();
      });
    this.#queued.push(this.#chain);
  }

  #fail = (err: unknown): void => {
    this.#error ??= err;
  };
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
    await rename(tempPath(lineIndexPath(path)), lineIndexPath(path));
    await rename(tempPath(path), path);
  }
  // The task directory holds the new names; its parent holds the (new) task directory itself.
  await syncDir(taskDir(dataDir, taskId));
  await syncDir(join(dataDir, 'exports'));
}

export async function syncDir(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
