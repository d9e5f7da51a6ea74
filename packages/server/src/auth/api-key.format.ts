/**
 * The shape of an API key: `prefer_<prefix>_<secret>`. The prefix (8 base36 characters) is stored
 * in clear to find the key's row and to show in lists; the secret is 256 random bits in base64url.
 * Only a SHA-256 hash of the whole key is stored, so a database dump reveals no usable key.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBase36 } from '../shared/ids.ts';

const KEY_PATTERN = /^prefer_([0-9a-z]{8})_([A-Za-z0-9_-]{43})$/;

export interface KeyMaterial {
  key: string;
  prefix: string;
  hash: string;
}

export function generateKey(): KeyMaterial {
  const prefix = randomBase36(8);
  const key = `prefer_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The prefix of a well-formed key, or undefined. */
export function keyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** Compares in constant time: the stored hash never leaks through response timing. */
export function hashMatches(key: string, storedHex: string): boolean {
  const a = Buffer.from(hashKey(key), 'hex');
  const b = Buffer.from(storedHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
