/**
 * Cursor pagination for list endpoints: `?limit=&cursor=` in, `{ items, nextCursor }` out. The
 * cursor is the sort key of the last item, opaque to clients (base64url JSON); lists are keyset
 * ordered, so pages never skip or repeat rows while others write.
 */
import type {
  Expression,
  ExpressionBuilder,
  ExtractTypeFromStringReference,
  SqlBool,
  StringReference,
} from 'kysely';
import { z } from 'zod';
import { AppError } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(1000).optional(),
};

/** The page schema is shared with the SDK. */
export { pageOf } from '@prefer/schemas';

/** What a list service takes: `pageQuery` parsed (`?limit=&cursor=`). */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key a cursor carries; `shape` lists the type of each part. */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  // Parts are bound as values, but must still be values the column holds on both backends:
  // integers PostgreSQL's bigint takes, text without NUL (which PostgreSQL refuses).
  const valid =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((part, i) =>
      shape[i] === 'number'
        ? Number.isSafeInteger(part)
        : typeof part === 'string' && part.length <= 256 && !part.includes('\u0000'),
    );
  if (!valid)
    throw new AppError('BAD_REQUEST', 'invalid cursor: pass back the nextCursor of the previous page');
  return key as (string | number)[];
}

/**
 * Makes a page from rows fetched with `limit + 1`: the extra row only says that more follow.
 */
export function pageFrom<R, T>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => CursorKey,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/** A column of the query's tables (`'p.created_at'` or `'created_at'`) whose values are `T`. */
type ColumnOf<DB, TB extends keyof DB, T> = {
  [R in StringReference<DB, TB>]: ExtractTypeFromStringReference<DB, TB, R> extends T ? R : never;
}[StringReference<DB, TB>];

/**
 * The rows after the cursor key `[at, id]` in (`timeColumn`, `idColumn`) order:
 * `time > at OR (time = at AND id > id)`.
 */
export function afterKey<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  timeColumn: ColumnOf<DB, TB, number>,
  idColumn: ColumnOf<DB, TB, string>,
  [at, id]: readonly [number, string],
): Expression<SqlBool> {
  const time = eb.ref(timeColumn) as Expression<number>;
  const key = eb.ref(idColumn) as Expression<string>;
  return eb.or([eb(time, '>', at), eb.and([eb(time, '=', at), eb(key, '>', id)])]);
}
