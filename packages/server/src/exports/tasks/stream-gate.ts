/**
 * How many streamed exports may run at once. Each holds a database snapshot (a connection of the
 * long-read pool on PostgreSQL, a WAL read transaction on SQLite) for as long as its reader takes,
 * so they are counted: per user and for the whole process (whose pool they share). Beyond either
 * cap a new stream is refused with 429 and `Retry-After`, before its snapshot is opened.
 * The counts are this process's own, as its pool is.
 */
import { AppError } from '../../shared/errors.ts';

export interface StreamLimits {
  /** Streams one user may run at once. */
  perUser: number;
  /** Streams this process runs at once, all users together. */
  max: number;
  /** A stream whose reader has taken nothing for this long is ended, freeing its snapshot. */
  idleMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perUser: 2, max: 4, idleMs: 30_000 };

export class StreamGate {
  readonly limits: StreamLimits;
  #active = 0;
  readonly #byUser = new Map<string, number>();

  constructor(limits: StreamLimits = DEFAULT_STREAM_LIMITS) {
    this.limits = limits;
  }

  get active(): number {
    return this.#active;
  }

  /** Takes a place for a stream of `userId` or throws RATE_LIMITED; call the answer once to free it. */
  enter(userId: string): () => void {
    const mine = this.#byUser.get(userId) ?? 0;
    if (mine >= this.limits.perUser) {
      throw new AppError(
        'RATE_LIMITED',
        `you already run ${mine} streamed exports (at most ${this.limits.perUser} at once): wait for one to finish, or start an export task`,
      );
    }
    if (this.#active >= this.limits.max) {
      throw new AppError(
        'RATE_LIMITED',
        `the server already runs ${this.#active} streamed exports (at most ${this.limits.max}): retry later, or start an export task`,
      );
    }
    this.#active++;
    this.#byUser.set(userId, mine + 1);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.#active--;
      const left = (this.#byUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#byUser.set(userId, left);
      else this.#byUser.delete(userId);
    };
  }
}
