/**
 * Bodies of NDJSON uploads (data rows, label imports): records serialized one per line, or a
 * file given as a path (Node), a Blob, or a byte stream. Paths and Blobs are sent with their
 * size, so the server refuses an oversized file before any byte is read; streams go chunked.
 */

/** A file to upload: a path (Node only), a Blob, or a stream / async iterable of bytes. */
import { PreferError } from './errors.ts';

export type UploadFile = string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** What `createDataRows` and `importLabels` take: the records themselves, or `{ file }`. */
export type UploadSource<T> = readonly T[] | { file: UploadFile };

export type UploadBody = Blob | ReadableStream<Uint8Array>;

export async function uploadBody<T>(source: UploadSource<T>): Promise<UploadBody> {
  if (Array.isArray(source)) return new Blob(source.map((record) => `${JSON.stringify(record)}\n`));
  const { file } = source as { file: UploadFile };
  if (typeof file === 'string') {
    // Imported on use, so the SDK still loads where node:fs does not exist (browsers).
    const { openAsBlob, promises } = await import('node:fs');
    const stat = await promises.stat(file).catch((err: NodeJS.ErrnoException) => {
      throw new PreferError(`cannot read ${file}: ${err.code ?? err.message}`, { cause: err });
    });
    if (!stat.isFile()) throw new PreferError(`cannot read ${file}: not a file`);
    return openAsBlob(file);
  }
  if (file instanceof Blob || file instanceof ReadableStream) return file;
  return streamFrom(file);
}

/** `ReadableStream.from` (Node 20, current browsers); the DOM typings the web app checks against lack it. */
const streamFrom = (file: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> =>
  (ReadableStream as unknown as { from(i: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> }).from(
    file,
  );
