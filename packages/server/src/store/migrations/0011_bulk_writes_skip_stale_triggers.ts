import type { Kysely } from 'kysely';
import { HISTORY_STALE, LABELS_STALE } from './0004_export_fragments.ts';
import { HEAD_STALE } from './0005_export_row_head.ts';
import { MEDIA_STALE } from './0006_export_row_media.ts';
import { ATTACHMENTS_STALE, METADATA_STALE } from './0008_export_row_extras.ts';
import { writeStaleFunction } from './stale-fragment-trigger.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL runs a row-level trigger once per row, each an UPDATE of project_data_rows:
  // an import of 100,000 rows paid about six per row (every label, review, history entry,
  // attachment and metadata value), each leaving a dead tuple, on rows the import renders
  // again anyway. A bulk writer says so for its transaction (`SET LOCAL prefer.bulk = 'on'`,
  // exports/v2/fragments.ts `suspendStaleTriggers`) and the triggers step aside; it owes what
  // they would have done. Every other writer is unchanged. SQLite runs its triggers inline
  // at little cost, and keeps them as they are (writeStaleFunction does nothing there).
  // labels and reviews share x_labels_stale: the first description rewrites it.
  for (const f of [
    LABELS_STALE[0]!,
    HISTORY_STALE,
    HEAD_STALE,
    MEDIA_STALE,
    ATTACHMENTS_STALE,
    METADATA_STALE,
  ])
    await writeStaleFunction(db, { ...f, bulkSkips: true });
}
