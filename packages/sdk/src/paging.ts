/** Lists of the API come in pages (`?limit=&cursor=` → `{ items, nextCursor }`); these walk them. */
import { pageOf } from '@prefer/schemas';
import type { z } from 'zod';
import type { Client } from './client.ts';

export interface PageOptions {
  /** Items fetched per request, 1 to 500 (default 100). */
  pageSize?: number;
}

/** Every item of a list endpoint, a page fetched at a time as the caller iterates. */
export async function* paginate<W, T>(
  client: Client,
  path: string,
  item: z.ZodType<W>,
  map: (wire: W) => T,
  options: PageOptions = {},
): AsyncGenerator<T> {
  const schema = pageOf(item);
  const sep = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  do {
    const query: string = `${sep}limit=${options.pageSize ?? 100}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await client.requestJson('GET', `${path}${query}`, schema)) as {
      items: W[];
      nextCursor: string | null;
    };
    for (const wire of page.items) yield map(wire);
    cursor = page.nextCursor;
  } while (cursor);
}
