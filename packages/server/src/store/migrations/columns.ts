/**
 * Column types of the migrations: only those both backends read the same way: text, integer,
 * bigint (milliseconds, read as numbers: store.ts), double precision.
 */
export const ms = 'bigint' as const;
