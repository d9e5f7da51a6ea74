/**
 * Sends a write until the server answers, for submits and reviews made under an idempotency key
 * (or otherwise safe to repeat): network faults, timeouts and 5xx/429 answers are retried with
 * backoff (0.5 s doubling to 30 s, sooner when the browser says it is back online); the caller
 * hears "offline, will retry" meanwhile. A refusal (4xx) is final and thrown.
 */
import { ApiLimitError, NetworkError, PreferError, TimeoutError } from '@prefer/sdk';

export type SendState = 'sending' | 'retrying';

export function isTransient(err: unknown): boolean {
  if (err instanceof NetworkError || err instanceof TimeoutError || err instanceof ApiLimitError) return true;
  return err instanceof PreferError && (err.status === undefined || err.status >= 500);
}

export async function sendWithRetry<T>(
  send: () => Promise<T>,
  onState: (s: SendState) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    onState(attempt === 0 ? 'sending' : 'retrying');
    try {
      return await send();
    } catch (err) {
      if (!isTransient(err) || signal?.aborted) throw err;
      onState('retrying');
      await backoff(Math.min(500 * 2 ** attempt, 30_000), signal);
    }
  }
}

function backoff(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
    signal?.addEventListener('abort', done);
  });
}
