/** The designed states every screen shares: loading skeletons, errors with a retry, empty. */
import { AuthenticationError, NetworkError, PreferError, TimeoutError } from '@prefer/sdk';
import type { ReactNode } from 'react';

export function Skeleton(props: { lines?: number; className?: string }) {
  return (
    <div className={`skeleton ${props.className ?? ''}`} aria-hidden="true">
      {Array.from({ length: props.lines ?? 3 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder lines have no identity
        <div key={i} className="skeleton-line" />
      ))}
    </div>
  );
}

export function PageSkeleton() {
  return (
    <main className="page" aria-busy="true" aria-label="Loading">
      <Skeleton lines={2} />
      <Skeleton lines={6} />
    </main>
  );
}

/** What went wrong in words a labeler can act on. */
export function describeError(error: unknown): { title: string; hint: string } {
  if (error instanceof NetworkError || error instanceof TimeoutError) {
    return { title: 'The server cannot be reached', hint: 'Check your connection, then retry.' };
  }
  if (error instanceof AuthenticationError) {
    return { title: 'Your session has ended', hint: 'Sign in again to continue.' };
  }
  if (error instanceof PreferError) {
    return { title: error.message, hint: error.requestId ? `Request id ${error.requestId}` : '' };
  }
  return { title: 'Something went wrong', hint: error instanceof Error ? error.message : String(error) };
}

export function ErrorState(props: { error: unknown; retry?: () => void }) {
  const { title, hint } = describeError(props.error);
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      {hint && <p>{hint}</p>}
      {props.retry && (
        <button type="button" className="btn" onClick={props.retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}
