import type { Kysely } from 'kysely';
import { HISTORY_STALE, LABELS_STALE } from './0004_export_fragments.ts';
import { rewriteStaleFragment } from './stale-fragment-trigger.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every write to a fragment's inputs wrote the project row again, each time the whole row (on
  // PostgreSQL a new row version with its index entries): a review wrote its row four times (its
  // review's trigger, the label's review-time update's trigger, the move, the history entry's
  // trigger). The labels, reviews and history triggers now leave a row whose fragment they
  // already cleared in this transaction (`onceCleared`, stale-fragment-trigger.ts). The bulk
  // writers' skip (0011) stays.
  for (const f of [...LABELS_STALE, HISTORY_STALE]) {
    await rewriteStaleFragment(db, { ...f, bulkSkips: true, onceCleared: true });
  }
}
