/**
 * Login rate limit: failed logins are counted per account (the email, lower-cased, whether or not
 * it exists) and per client address over a sliding window. Past the limit every attempt answers
 * 429 with Retry-After until the oldest failure leaves the window: no permanent lockout, and the
 * same answer for known and unknown emails.
 *
 * The counts live in memory, one limiter per store (so per process): enough for one server. With
 * several processes behind a load balancer each enforces its own count, so the effective limit
 * is the per-process limit times the process count.
 */
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';

export interface LoginLimits {
  /** Failures allowed per account within the window (default 10). */
  perAccount: number;
  /** Failures allowed per client address within the window (default 50: offices share one). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 };
/** Keys kept at most; beyond it the oldest are dropped (bounded memory under a spray attack). */
const MAX_KEYS = 100_000;

export class LoginLimiter {
  /** The clock; tests replace it instead of sleeping through the window. */
  now: () => number = Date.now;
  readonly #failures = new Map<string, number[]>();

  constructor(public limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Throws RATE_LIMITED (429, Retry-After in details) when the account or the address is over. */
  check(email: string, address: string): void {
    const now = this.now();
    let retryAt = 0;
    for (const [key, limit] of this.#keys(email, address)) {
      const recent = this.#recent(key, now);
      if (recent.length >= limit)
        retryAt = Math.max(retryAt, recent[recent.length - limit]! + this.limits.windowMs);
    }
    if (retryAt > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
      throw new AppError('RATE_LIMITED', 'too many failed logins; try again later', { retryAfterSeconds });
    }
  }

  recordFailure(email: string, address: string): void {
    const now = this.now();
    for (const [key] of this.#keys(email, address)) {
      const recent = this.#recent(key, now);
      recent.push(now);
      this.#failures.delete(key);
      this.#failures.set(key, recent);
    }
    while (this.#failures.size > MAX_KEYS) {
      const oldest = this.#failures.keys().next().value;
      if (oldest === undefined) break;
      this.#failures.delete(oldest);
    }
  }

  /** A successful login clears its account's count (not the address's: one good account must not reset it). */
  recordSuccess(email: string): void {
    this.#failures.delete(`account:${email.trim().toLowerCase()}`);
  }

  #keys(email: string, address: string): [string, number][] {
    return [
      [`account:${email.trim().toLowerCase()}`, this.limits.perAccount],
      [`address:${address}`, this.limits.perAddress],
    ];
  }

  #recent(key: string, now: number): number[] {
    const all = this.#failures.get(key) ?? [];
    const recent = all.filter((t) => t > now - this.limits.windowMs);
    if (recent.length === 0) this.#failures.delete(key);
    else if (recent.length !== all.length) this.#failures.set(key, recent);
    return recent;
  }
}

const limiters = new WeakMap<Store, LoginLimiter>();

/** The limiter of a store's process: every app on one store shares its counts. */
export function loginLimiter(store: Store): LoginLimiter {
  let limiter = limiters.get(store);
  if (!limiter) {
    limiter = new LoginLimiter();
    limiters.set(store, limiter);
  }
  return limiter;
}
