/** Paging helpers shared by the export engine, batches and label imports. */

/**
 * Keyset paging: `read(after, limit)` answers up to `limit` items following the key `after`
 * (null: from the start), in key order; a short page is the last one. Empty pages are not
 * yielded. The first page may be smaller (`firstPageSize`), so that its items come sooner.
 */
export async function* keysetPages<T, K>(
  pageSize: number,
  read: (after: K | null, limit: number) => Promise<T[]>,
  keyOf: (last: T) => K,
  firstPageSize = pageSize,
): AsyncGenerator<T[]> {
  let after: K | null = null;
  let limit = firstPageSize;
  for (;;) {
    const items = await read(after, limit);
    if (items.length > 0) yield items;
    if (items.length < limit) return;
    after = keyOf(items[items.length - 1]!);
    limit = pageSize;
  }
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
