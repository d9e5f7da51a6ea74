/**
 * Migration from Labelbox: imports an export v2 NDJSON file keeping every id it holds (data rows,
 * datasets, projects, batches, workflow tasks, labels, reviews, attachments, ontology and the
 * feature ids inside annotations), so exports of the migrated data match the original ones.
 *
 * All or nothing: one write transaction; the whole file is still read when a fault is found, so
 * every fault is listed (the first 100) and then everything is rolled back. An id that already
 * exists in the store is a conflict fault: replaying an import is refused, never merged.
 */

import type { Readable } from 'node:stream';
import { suspendStaleTriggers } from '../exports/v2/fragments.ts';
import { readJsonRecords } from '../ingest/json-records.ts';
import type { Actor } from '../orgs/actor.ts';
import { freshPlannerStats, vacuumAfterBulkWrite } from '../projects/planner-stats.ts';
import { type ImportResult, MAX_LISTED_FAULTS } from '../shared/result.ts';
import type { Store } from '../store/store.ts';
import { parseExportRow } from './export-row.parse.ts';
import type { ParsedRow } from './export-row.types.ts';
import { checkAtEnd, finishImport } from './import-finish.ts';
import { MigrationState } from './import-state.ts';
import { checkPage } from './import-store-checks.ts';
import { MigrationWriter } from './import-writer.ts';
import { readGivenOntology } from './ontology-given.ts';
import type { MigrationCounts } from './page-rows.ts';

export type { MigrationCounts } from './page-rows.ts';

export interface LabelboxExportInput {
  /** A file path or a stream of export v2 NDJSON (a JSON array of rows is read too). */
  input: string | Readable;
  /** Labelbox ontology JSON; without it the ontology is rebuilt from the labels. */
  ontology?: unknown;
}

/** Rows checked and written together: bounds memory and keeps queries per row at zero. */
const PAGE_ROWS = 200;

class Rollback extends Error {
  constructor(readonly result: ImportResult<MigrationCounts>) {
    super('import rolled back');
  }
}

export async function importLabelboxExport(
  store: Store,
  actor: Actor,
  input: LabelboxExportInput,
): Promise<ImportResult<MigrationCounts>> {
  const given = input.ontology === undefined ? null : readGivenOntology(input.ontology);
  if (given && !given.ok)
    return { ok: false, errors: given.faults.slice(0, MAX_LISTED_FAULTS), errorCount: given.faults.length };
  const now = Date.now();
  try {
    const result = await store.write(async (tx) => {
      // Every project row it writes is rendered before the commit: no per-row trigger work.
      await suspendStaleTriggers(tx);
      const state = new MigrationState(given?.questions ?? null, now);
      const writer = new MigrationWriter(store, tx, actor, state, now);
      const checkAndWrite = async (rows: ParsedRow[]) => {
        // The page's lookups plan from statistics that count the rows this import wrote (planned
        // from the empty tables, the global key check scanned every data row written so far).
        await freshPlannerStats(store, tx, 1000, CHECKED_TABLES);
        await checkPage(tx, actor, state, rows);
        await writer.resolveUsers(rows);
        // After the first fault nothing more is written (it will be rolled back); checks go on.
        if (state.faults.empty) await writer.writePage(rows);
      };
      // On PostgreSQL one page is checked and written while the next is read and parsed: the
      // database works on one core while this process parses on the other. Pages still reach
      // the store one after the other, in file order.
      let writing: Promise<void> = Promise.resolve();
      let page: ParsedRow[] = [];
      const flush = async () => {
        const rows = page;
        page = [];
        await writing;
        writing = checkAndWrite(rows);
        // Awaited at the next flush; a failure must not count as unhandled until then.
        writing.catch(() => {});
        // SQLite writes on this thread: nothing to overlap (it measured 4% slower overlapped).
        if (store.backend === 'sqlite') await writing;
      };
      try {
        for await (const record of readJsonRecords(input.input)) {
          if (record.fault) {
            state.faults.add(record.fault);
            continue;
          }
          const parsed = parseExportRow(record.value, record.line);
          if (!parsed.ok) {
            for (const f of parsed.reader.faults) state.faults.add(f);
            continue;
          }
          if (!state.check(parsed.row)) continue;
          page.push(parsed.row);
          if (page.length >= PAGE_ROWS) await flush();
        }
        await flush();
      } finally {
        // The transaction ends with this callback (a read error rolls it back): no page may still
        // be writing on its connection then.
        await writing.catch(() => {});
      }
      await writing;
      await checkAtEnd(tx, state, given !== null);
      if (state.faults.empty && state.dataRowIds.size === 0) {
        state.faults.add({ path: '$', message: 'the file holds no export rows' });
      }
      if (!state.faults.empty) {
        // Faults are found in passes (each line, then each page against the store): list them by line.
        const result = state.faults.result<MigrationCounts>();
        if (!result.ok) result.errors.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
        throw new Rollback(result);
      }
      await finishImport(store, tx, state, given?.ok ? given.json : null);
      return { ok: true as const, counts: writer.counts };
    });
    await vacuumAfterBulkWrite(store, BULK_TABLES);
    return result;
  } catch (err) {
    if (err instanceof Rollback) return err.result;
    // Another import committed some of the same ids after this one checked them (PostgreSQL runs
    // writers side by side; SQLite's BEGIN IMMEDIATE queues them, so it sees them as conflicts).
    if (isUniqueViolation(err)) return { ok: false, errors: [RACED], errorCount: 1 };
    throw err;
  }
}

/** What `checkPage` looks rows up in. */
const CHECKED_TABLES = ['data_rows', 'attachments', 'labels', 'reviews'] as const;

/** What an import writes in bulk (project rows twice: inserted, then their fragments rendered). */
const BULK_TABLES = [
  'project_data_rows',
  'data_rows',
  'labels',
  'reviews',
  'workflow_history',
  'attachments',
  'metadata_values',
] as const;

const RACED = {
  path: '$',
  message:
    'conflict: another import wrote some of these ids at the same time; nothing was imported (run it again to list them)',
};

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
