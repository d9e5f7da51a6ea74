/** A page of a list route (`?limit=&cursor=` → `{ items, nextCursor }`), as the server and the SDK read it. */
import { z } from 'zod';

/** `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
