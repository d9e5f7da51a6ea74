/**
 * The export v2 engine: params and filters in, one NDJSON line per data row out. All reads run
 * in ONE snapshot, so an export reflects the database as of its start whatever is written
 * meanwhile. Pages are keyset pages; nothing accumulates across pages, so memory stays flat.
 */
import type { Actor } from '../../orgs/actor.ts';
import { AppError } from '../../shared/errors.ts';
import type { Store } from '../../store/store.ts';
import type { ExportRequest } from '../request/export.request.ts';
import type { ExportTaskSink } from '../tasks/export-task.types.ts';
import { rowReader } from './copy-rows.ts';
import { planExport } from './export.query.ts';
import { loadExportContext } from './export-context.ts';
import { loadPage } from './export-page.ts';
import { rowColumns } from './export-plan.base.ts';
import { LineBuffer, lineChunk } from './line-buffer.ts';
import { readAhead } from './read-ahead.ts';
import { rowAssembler } from './row-assembler.ts';

/** Where lines go: the task sink (chunks of whole lines; a returned promise is awaited). */
export type ExportSink = ExportTaskSink;

export interface ExportOptions {
  /** Rows per keyset page (default 250: larger pages survive into the old heap and raise peak RSS). */
  pageSize?: number;
  /** Bytes of whole lines per chunk handed to the sink (default 1 MiB; a stream wants less, sooner). */
  chunkBytes?: number;
}

export const DEFAULT_PAGE_SIZE = 250;
/** The first page is small: its rows leave while the next, full page is read. */
const FIRST_PAGE_SIZE = 20;

export async function runExportV2(
  store: Store,
  actor: Actor,
  projectId: string,
  request: ExportRequest,
  sink: ExportSink,
  options: ExportOptions = {},
): Promise<{ rows: number; errors: number }> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  return store.snapshot(async (db, reader) => {
    const ctx = await loadExportContext(db, actor, projectId, request.params);
    const assembleRow = rowAssembler(ctx);
    // The ready text is read as bytes: on SQLite one blob a row, on PostgreSQL through binary COPY.
    const reading = rowReader(reader, rowColumns(request.params));
    const plan = planExport(
      db,
      ctx.scope,
      request.filters,
      pageSize,
      reading.select,
      Math.min(pageSize, FIRST_PAGE_SIZE),
      reading.read,
    );
    // Counting costs a pass over the index: only a sink that reports progress pays for it.
    const total = sink.progress ? await plan.count() : 0;
    sink.progress?.(0, total);
    const out = new LineBuffer((chunk, lines) => sink.result(chunk, lines), options.chunkBytes);
    let rows = 0;
    let errors = 0;
    // Over a connection the next page is read while this one is written; SQLite reads in-process.
    const pages = store.backend === 'postgres' ? readAhead(plan.pages()) : plan.pages();
    for await (const page of pages) {
      if (page.length === 0) continue;
      const data = await loadPage(ctx, page, plan.dense);
      for (const row of page) {
        try {
          assembleRow(row, data, out);
        } catch (err) {
          out.abandon();
          errors++;
          const pending = sink.errors(...lineChunk(errorLine(row.data_row_id, err)));
          if (pending) await pending;
          continue;
        }
        rows++;
        const pending = out.end();
        if (pending) await pending;
      }
      sink.progress?.(rows + errors, total);
    }
    await out.finish();
    return { rows, errors };
  });
}

/** `{ data_row_id, message, code }`; a bug's text stays in the logs, not in the file. */
function errorLine(dataRowId: string, err: unknown): string {
  const known = err instanceof AppError;
  return JSON.stringify({
    data_row_id: dataRowId,
    message: known ? err.message : 'the row could not be exported',
    code: known ? err.code : 'INTERNAL',
  });
}
