import { randomFillSync, randomUUID } from 'node:crypto';

/**
 * Ids in Labelbox's shape: 25 characters, `c` then 24 of [0-9a-z]. Like cuid v1 they start with
 * the time, so ids made later sort later (keyset pages and indexes stay append-mostly), and end
 * with 16 random characters (about 82 bits) so they cannot be guessed.
 */
let lastMs = 0;
let counter = 0;

export function newId(now = Date.now()): string {
  if (now === lastMs) counter = (counter + 1) % 1296;
  else {
    lastMs = now;
    counter = 0;
  }
  const time = now.toString(36).padStart(8, '0').slice(-8);
  const count = counter.toString(36).padStart(2, '0');
  return `c${time}${count}${randomBase36(14)}`;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

// Random bytes are drawn 8 KiB at a time: one crypto call per id cost more than the rest of an
// import's per-row work (bulk imports make millions of ids).
const pool = Buffer.alloc(8192);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

/** `length` random characters of [0-9a-z], each equally likely. */
export function randomBase36(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    // 252 = 7 * 36: reject the top values so every character is equally likely.
    if (b < 252) out += ALPHABET[b % 36];
  }
  return out;
}

export const ID_PATTERN = /^c[0-9a-z]{24}$/;

/** Batch and workflow task ids are UUIDs, as in Labelbox's sample export. */
export const newUuid = (): string => randomUUID();
