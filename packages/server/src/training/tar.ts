/**
 * A minimal POSIX ustar writer: regular files only, streamed from disk a chunk at a time, so a
 * dataset directory of any size leaves as one download in flat memory, with no dependency.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Where the archive's bytes go; a returned promise is backpressure. */
export type ByteSink = (chunk: Buffer) => void | Promise<void>;

const BLOCK = 512;

/** Writes `files` (name in the archive -> path on disk) and the two zero blocks that end a tar. */
export async function writeTar(
  files: readonly { name: string; path: string }[],
  out: ByteSink,
  mtimeSeconds: number,
): Promise<void> {
  for (const f of files) {
    const { size } = await stat(f.path);
    await out(header(f.name, size, mtimeSeconds));
    let written = 0;
    for await (const chunk of createReadStream(f.path, { highWaterMark: 1 << 20 })) {
      written += (chunk as Buffer).length;
      await out(chunk as Buffer);
    }
    if (written !== size) throw new Error(`${f.path} changed size while archived`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad > 0) await out(Buffer.alloc(pad));
  }
  await out(Buffer.alloc(2 * BLOCK));
}

function header(name: string, size: number, mtime: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) throw new Error(`tar entry name longer than 100 bytes: ${name}`);
  const h = Buffer.alloc(BLOCK);
  nameBytes.copy(h, 0);
  const octal = (value: number, at: number, width: number) =>
    h.write(`${value.toString(8).padStart(width - 1, '0')}\0`, at, 'ascii');
  octal(0o644, 100, 8); // mode
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(mtime, 136, 12);
  h.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  h.write('0', 156, 'ascii'); // a regular file
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}
