/** Paging helpers shared by the export engine, batches and label imports. */

/**
 * Keyset paging: `read(after)` answers up to `pageSize` items following the key `after` (null:
 * from the start), in key order; a short page is the last one. Empty pages are not yielded.
 */
export async function* keysetPages<T, K>(
  pageSize: number,
  read: (after: K | null) => Promise<T[]>,
  keyOf: (last: T) => K,
): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const items = await read(after);
    if (items.length > 0) yield items;
    if (items.length < pageSize) return;
    after = keyOf(items[items.length - 1]!);
  }
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
