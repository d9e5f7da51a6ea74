/**
 * Login rate limit: failed logins are counted per account (the email, lower-cased, whether or not
 * it exists) and per client address over a sliding window. Past the limit every attempt answers
 * 429 with Retry-After until the oldest failure leaves the window: no permanent lockout, and the
 * same answer for known and unknown emails.
 *
 * An attempt is counted before its password is checked (`reserve`) and forgiven only once it
 * proved right (`forgive`): checking first and counting after the ~0.25 s hash let a wave of
 * concurrent guesses all be evaluated. The counts live in the database (`login_attempts`), so
 * every server process on one database shares them; counting and reserving is one write
 * transaction, serialized per key (SQLite writes one at a time; PostgreSQL takes an advisory lock
 * per key).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Store, Tx } from '../store/store.ts';

export interface LoginLimits {
  /** Failures allowed per account within the window (default 10). */
  perAccount: number;
  /** Failures allowed per client address within the window (default 50: offices share one). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 };

/** The rows an attempt added: removed again if it proves right. */
export interface Reservation {
  ids: string[];
  accountKey: string;
}

export class LoginLimiter {
  /** The clock; tests replace it instead of sleeping through the window. */
  now: () => number = Date.now;

  constructor(
    private readonly store: Store,
    public limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /**
   * Counts one attempt for the account and the address, as a failure until `forgive`n. Throws
   * RATE_LIMITED (429, Retry-After in details) and counts nothing when either is already over.
   */
  reserve(email: string, address: string): Promise<Reservation> {
    const now = this.now();
    const keys = this.#keys(email, address);
    return this.store.write(async (tx) => {
      // Expired attempts of everyone go here: the table holds at most one window.
      await tx
        .deleteFrom('login_attempts')
        .where('at', '<=', now - this.limits.windowMs)
        .execute();
      if (this.store.backend === 'postgres') {
        // Sorted, so two attempts sharing both keys never wait on each other crosswise.
        for (const { key } of [...keys].sort((a, b) => a.key.localeCompare(b.key)))
          await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
      }
      let retryAt = 0;
      for (const { key, limit } of keys) {
        const recent = await tx
          .selectFrom('login_attempts')
          .where('key', '=', key)
          .select('at')
          .orderBy('at', 'desc')
          .limit(limit)
          .execute();
        if (recent.length >= limit)
          retryAt = Math.max(retryAt, Number(recent[limit - 1]!.at) + this.limits.windowMs);
      }
      if (retryAt > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
        throw new AppError('RATE_LIMITED', 'too many failed logins; try again later', { retryAfterSeconds });
      }
      const rows = keys.map(({ key }) => ({ id: newId(), key, at: now }));
      await tx.insertInto('login_attempts').values(rows).execute();
      return { ids: rows.map((r) => r.id), accountKey: keys[0]!.key };
    });
  }

  /**
   * The attempt was right: it was no failure, and its account's count starts again (not the
   * address's: one good account must not reset it). Call inside the write that completes it.
   */
  async forgive(tx: Tx, reservation: Reservation): Promise<void> {
    await tx
      .deleteFrom('login_attempts')
      .where((eb) => eb.or([eb('id', 'in', reservation.ids), eb('key', '=', reservation.accountKey)]))
      .execute();
  }

  #keys(email: string, address: string): { key: string; limit: number }[] {
    return [
      { key: digest(`account:${email.trim().toLowerCase()}`), limit: this.limits.perAccount },
      { key: digest(`address:${address}`), limit: this.limits.perAddress },
    ];
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

const limiters = new WeakMap<Store, LoginLimiter>();

/** The limiter of a store: its limits and clock (the counts themselves are in the database). */
export function loginLimiter(store: Store): LoginLimiter {
  let limiter = limiters.get(store);
  if (!limiter) {
    limiter = new LoginLimiter(store);
    limiters.set(store, limiter);
  }
  return limiter;
}
