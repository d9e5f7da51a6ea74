/**
 * Unpacks the ustar archive a conversion task answers (regular files only, as the server's
 * tar.ts writes them) into a directory as its bytes arrive: flat memory, no dependency. An entry
 * that would land outside the directory, or that is not a regular file, is refused.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';

const BLOCK = 512;

export async function untar(chunks: AsyncIterable<Uint8Array>, dir: string): Promise<string[]> {
  const names: string[] = [];
  let header = Buffer.alloc(0);
  let file: WriteStream | undefined;
  let left = 0; // bytes of the current entry still to write
  let pad = 0; // zero bytes after it, to the next block
  let ended = false;
  const close = async () => {
    const f = file!;
    file = undefined;
    f.end();
    await once(f, 'close');
  };
  for await (const chunk of chunks) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (buf.length > 0 && !ended) {
      if (left > 0) {
        const part = buf.subarray(0, left);
        left -= part.length;
        buf = buf.subarray(part.length);
        if (!file!.write(part)) await once(file!, 'drain');
        if (left === 0) await close();
      } else if (pad > 0) {
        const skip = Math.min(pad, buf.length);
        pad -= skip;
        buf = buf.subarray(skip);
      } else {
        const need = BLOCK - header.length;
        header = Buffer.concat([header, buf.subarray(0, need)]);
        buf = buf.subarray(need);
        if (header.length < BLOCK) continue;
        const h = header;
        header = Buffer.alloc(0);
        if (h.every((b) => b === 0)) {
          ended = true;
          break;
        }
        const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
        const size = Number.parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
        const type = String.fromCharCode(h[156]!);
        const path = normalize(join(dir, name));
        if ((type !== '0' && type !== '\0') || !Number.isSafeInteger(size) || size < 0)
          throw new Error(`the server's archive has an entry prefer does not write: ${JSON.stringify(name)}`);
        if (isAbsolute(name) || !path.startsWith(normalize(dir) + sep))
          throw new Error(`the server's archive names a path outside ${dir}: ${JSON.stringify(name)}`);
        mkdirSync(dirname(path), { recursive: true });
        file = createWriteStream(path);
        names.push(name);
        left = size;
        pad = (BLOCK - (size % BLOCK)) % BLOCK;
        if (size === 0) await close();
      }
    }
  }
  if (!ended || file || left > 0) throw new Error('the archive from the server ended early');
  return names;
}
