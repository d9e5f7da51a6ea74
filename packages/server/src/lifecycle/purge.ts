/**
 * The purge: trash entries older than the retention window (PREFER_RETENTION_DAYS, default 30)
 * are dropped for good, each in its own transaction, by the server's background worker beside
 * the export files' retention (exports/worker/worker.ts). Time is a parameter: tests pass `now`.
 */
import { rm } from 'node:fs/promises';
import type { Store } from '../store/store.ts';
import { purgeEntry } from './lifecycle.service.ts';

export const DEFAULT_RETENTION_DAYS = 30;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Purges the entries deleted before `now - retentionMs`; answers how many it purged. */
export async function purgeExpired(
  store: Store,
  options: { retentionMs: number; now?: number },
): Promise<number> {
  const now = options.now ?? Date.now();
  let purged = 0;
  for (;;) {
    const expired = await store.db
      .selectFrom('trash')
      .where('deleted_at', '<', now - options.retentionMs)
      .select(['id', 'kind', 'target_id'])
      .orderBy('deleted_at')
      .limit(100)
      .execute();
    for (const entry of expired) {
      const files: string[] = [];
      await store.write(async (tx) => {
        // Another process may have purged or restored it meanwhile.
        const still = await tx.selectFrom('trash').where('id', '=', entry.id).select('id').executeTakeFirst();
        if (still) await purgeEntry(tx, entry, files, now);
      });
      await Promise.all(files.map((f) => rm(f, { force: true })));
      purged += 1;
    }
    if (expired.length < 100) return purged;
  }
}
