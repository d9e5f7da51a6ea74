/**
 * Keeps the lease of the row on screen alive while the user works on it: asking the queue again
 * while holding a row renews its lease and answers the same row. If another row comes back (or
 * none), the lease was lost: the screen says so before the user spends more work on it.
 */
import type { LeasedRow, Project } from '@prefer/sdk';
import { useEffect, useState } from 'react';

const MAX_RENEW_MS = 5 * 60_000;

export function useLease(project: Project, row: LeasedRow | null): { lost: boolean } {
  const [lost, setLost] = useState(false);
  useEffect(() => {
    setLost(false);
    if (!row) return;
    let expires = row.leaseExpiresAt.getTime();
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const schedule = () => {
      const wait = Math.max(5_000, Math.min(MAX_RENEW_MS, (expires - Date.now()) / 2));
      timer = setTimeout(renew, wait);
    };
    const renew = async () => {
      if (stopped) return;
      try {
        const again = await project.nextRow();
        if (stopped) return;
        if (!again || again.dataRowId !== row.dataRowId) return setLost(true);
        expires = again.leaseExpiresAt.getTime();
      } catch {
        // Offline for now: try again sooner; the submit's retries cover the rest.
      }
      schedule();
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [project, row]);
  return { lost };
}
