/**
 * Keeps the lease of the row on screen alive while the user works on it (renewed at half its
 * remaining time, at most every 5 minutes). When the server says the lease is gone
 * (`LEASE_LOST`: it expired and the row went to someone else), the screen says so at once,
 * before the user spends more work on it. `checkNow` renews at once: a row leased ahead earlier
 * (prefetched) carries an expiry the server has moved since, or a lease that was lost meanwhile.
 */
import { LeaseLostError, type Project } from '@prefer/sdk';
import { useEffect, useState } from 'react';

const MAX_RENEW_MS = 5 * 60_000;

export function useLease(
  project: Project,
  held: { dataRowId: string; leaseExpiresAt: Date } | null,
  checkNow = false,
): { lost: boolean } {
  // The row whose lease was found lost: an answer about an earlier row never marks this one.
  const [lostRow, setLostRow] = useState<object | null>(null);
  useEffect(() => {
    if (!held) return;
    let expires = held.leaseExpiresAt.getTime();
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const schedule = () => {
      const wait = Math.max(5_000, Math.min(MAX_RENEW_MS, (expires - Date.now()) / 2));
      timer = setTimeout(renew, wait);
    };
    const renew = async () => {
      if (stopped) return;
      try {
        expires = (await project.renewLease(held.dataRowId)).leaseExpiresAt.getTime();
      } catch (err) {
        if (err instanceof LeaseLostError) {
          if (!stopped) setLostRow(held);
          return;
        }
        // Offline for now: try again on the next beat; the submit's retries cover the rest.
      }
      if (!stopped) schedule();
    };
    if (checkNow) void renew();
    else schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [project, held, checkNow]);
  return { lost: held !== null && lostRow === held };
}
