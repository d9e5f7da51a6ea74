import type { Kysely } from 'kysely';
import { HISTORY_STALE, LABELS_STALE } from './0004_export_fragments.ts';
import { rewriteStaleFragment } from './stale-fragment-trigger.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A submit wrote its project row up to four times in one transaction: its label's trigger, one
  // per history entry, and the move itself; a review three. Each wrote the whole row again (on
  // PostgreSQL a new row version with its index entries). The labels, reviews and history
  // triggers now leave a row whose fragment they already cleared in this transaction
  // (`onceCleared`, stale-fragment-trigger.ts). The bulk writers' skip (0011) stays.
  for (const f of [...LABELS_STALE, HISTORY_STALE]) {
    await rewriteStaleFragment(db, { ...f, bulkSkips: true, onceCleared: true });
  }
}
