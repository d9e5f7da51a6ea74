/**
 * Passwords: scrypt from node:crypto with a random salt per password. The hash string carries its
 * parameters (`scrypt$N$r$p$salt$hash`, base64url), so they can be raised later without breaking
 * stored hashes. N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (32 MiB, about a
 * quarter second on one core); hashing runs on libuv's thread pool, which also bounds how many
 * run at once. PREFER_PASSWORD_COST sets log2(N) for new hashes: 15 by default and at least 15,
 * up to 18 (256 MiB); below 15 (down to 10) only under NODE_ENV=test, where a suite that signs
 * in thousands of times would otherwise spend minutes in scrypt. Stored hashes verify with the
 * parameters they carry, whatever the setting.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../shared/errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export const PASSWORD_COST_ENV = 'PREFER_PASSWORD_COST';
export const DEFAULT_PASSWORD_COST = 15;
const MIN_PASSWORD_COST = 15;
const MIN_TEST_PASSWORD_COST = 10;
const MAX_PASSWORD_COST = 18;
const R = 8;
const P = 3;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Refuses passwords shorter than 12 or longer than 1,024 characters (a 422 naming the field). */
export function checkPasswordPolicy(password: string, field = 'password'): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${field} must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
      [
        {
          path: `$.${field}`,
          message: `must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
        },
      ],
    );
  }
}

/**
 * log2 of scrypt's N for new hashes, from PREFER_PASSWORD_COST (unset or empty: 15). A value
 * out of range throws, naming the variable and the accepted range.
 */
export function passwordCost(env: Record<string, string | undefined> = process.env): number {
  const text = (env[PASSWORD_COST_ENV] ?? '').trim();
  if (text === '') return DEFAULT_PASSWORD_COST;
  const min = env.NODE_ENV === 'test' ? MIN_TEST_PASSWORD_COST : MIN_PASSWORD_COST;
  const cost = Number(text);
  if (!/^\d+$/.test(text) || cost < min || cost > MAX_PASSWORD_COST) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${PASSWORD_COST_ENV}: invalid value ${JSON.stringify(text)}: expected an integer from ${min} to ${MAX_PASSWORD_COST}` +
        (cost < MIN_PASSWORD_COST && cost >= MIN_TEST_PASSWORD_COST
          ? ' (lower values are for tests: NODE_ENV=test)'
          : ''),
    );
  }
  return cost;
}

export async function hashPassword(password: string): Promise<string> {
  const params = { N: 2 ** passwordCost(), r: R, p: P };
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH_PATTERN.exec(stored);
  if (!m || password.length > MAX_PASSWORD_LENGTH * 4) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64url');
  const key = await derive(password, Buffer.from(m[4]!, 'base64url'), { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Verifies against a throwaway hash: an unknown email or a user without a password costs the same
 * time as a wrong password, so response timing does not tell which accounts exist.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}

/** A random password for generated accounts (the demo's first admin): 24 base64url characters. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
