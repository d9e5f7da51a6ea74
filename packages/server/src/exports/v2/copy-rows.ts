/**
 * Page rows read as bytes on PostgreSQL. `pg` hands every text column over as a JavaScript
 * string: a page's ready text (x_head and the other fragments, about 5 KB a row) became
 * strings that the read-ahead kept alive across the disk writes into V8's old generation, where
 * they made most of the export's peak memory beyond the bare CLI and much of its garbage
 * collection (README, "Session 6"). Here the page query itself runs as
 * `COPY (<query>) TO STDOUT (FORMAT binary)` in the snapshot's transaction: binary COPY gives a
 * text column as exactly its UTF-8 bytes (text COPY would escape backslashes), so each fragment
 * is a slice of a chunk the connection read, copied as it is into the output (line-buffer.ts),
 * never decoded. The query is the same Kysely query as on SQLite (filters, order, keyset), so what
 * rows come out in what order does not change; only the small columns are decoded.
 * A page is read whole (at most `pageSize` rows) before it is handed over: the backpressure is
 * the page loop's, which asks for the next page only when the one before has been taken.
 * SQLite reads its rows in-process as bytes too: `rowReader` gives each backend its way.
 */
import type { Readable } from 'node:stream';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';
import { AppError } from '../../shared/errors.ts';
import type { SnapshotReader } from '../../store/store.ts';
import {
  fragmentsAsBytes,
  nameOf,
  type PageRow,
  type RowColumns,
  splitFragments,
} from './export-plan.base.ts';

/** A page query as the plans build it: a Kysely select of `RowColumns`. */
export interface PageQuery {
  compile(): CompiledQuery<unknown>;
  execute(): Promise<unknown[]>;
}

/** Runs a page query and answers its rows. */
export type RowReader = (query: PageQuery) => Promise<PageRow[]>;

/** How a page column comes out of binary COPY (the migrations' types: text, bigint, integer). */
type Kind = 'text' | 'int8' | 'int4' | 'bytes';

const KINDS: Record<string, Kind> = {
  data_row_id: 'text',
  batch_id: 'text',
  task_id: 'text',
  workflow_status: 'text',
  dataset_id: 'text',
  created_by: 'text',
  created_at: 'int8',
  updated_at: 'int8',
  last_activity_at: 'int8',
  priority: 'int4',
  // The ready text, kept as bytes.
  x_head: 'bytes',
  x_media: 'bytes',
  x_labels: 'bytes',
  x_history: 'bytes',
  x_attachments: 'bytes',
  x_metadata: 'bytes',
};

/**
 * How a backend reads page rows: `select`, the columns the page query selects, and `read`, which
 * runs it. SQLite (no `copyOut`): the fragments as one blob a row (`fragmentsAsBytes`), cut back
 * into their columns; PostgreSQL: the columns as they are, through binary COPY.
 */
export function rowReader(
  reader: SnapshotReader,
  columns: RowColumns,
): { select: RowColumns; read: RowReader } {
  const copyOut = reader.copyOut;
  if (!copyOut) {
    const split = splitFragments(columns);
    return {
      select: fragmentsAsBytes(columns),
      read: async (query) => split((await query.execute()) as PageRow[]),
    };
  }
  const fields = columns.map((c) => {
    const name = nameOf(c);
    const kind = KINDS[name];
    // A column added to rowColumns must be added here too: caught by every PostgreSQL export test.
    if (kind === undefined) throw new AppError('INTERNAL', `export column ${name} has no COPY decoder`);
    return { name, kind };
  });
  const read: RowReader = async (query) => {
    const { sql, parameters } = query.compile();
    const chunks = await readAll(
      copyOut(`copy (${inlineParameters(sql, parameters)}) to stdout (format binary)`),
    );
    return parseBinaryCopy(chunks, fields);
  };
  return { select: columns, read };
}

async function readAll(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

/**
 * COPY takes no bound parameters, so the query's values are written into it as literals:
 * strings through pg's `escapeLiteral` (doubles quotes, and backslashes in an E'' string),
 * numbers as they are. Placeholders are `$n` from Kysely's compiler; the query's identifiers
 * and literal text come from code, never from input, and hold no `$`.
 */
export function inlineParameters(sql: string, parameters: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const v = parameters[Number(n) - 1];
    if (typeof v === 'string') return pg.escapeLiteral(v);
    if (typeof v === 'number' && Number.isFinite(v)) return v < 0 ? `(${v})` : String(v);
    if (typeof v === 'boolean') return String(v);
    throw new AppError('INTERNAL', `export query parameter $${n} cannot be written into COPY`);
  });
}

/** `PGCOPY\n\xff\r\n\0`: the first 11 bytes of binary COPY output. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Binary COPY output: the signature, int32 flags, int32 header extension length and the
 * extension; then per tuple an int16 field count and per field an int32 length (-1: NULL) and
 * its bytes; an int16 -1 ends it. The bytes come in the chunks the connection read (about
 * 64 KiB): a field of kind `bytes` is a slice of its chunk, and only one that straddles two
 * chunks is copied (joining the page's chunks first copied every byte once more).
 */
export function parseBinaryCopy(
  chunks: readonly Buffer[],
  fields: readonly { name: string; kind: Kind }[],
): PageRow[] {
  const r = new ChunkReader(chunks);
  if (!r.bytes(11).equals(SIGNATURE)) throw copyFault('no binary COPY header');
  r.int32(); // flags: none is defined that changes the tuples
  r.bytes(r.int32()); // header extension, skipped
  const rows: PageRow[] = [];
  for (;;) {
    const count = r.int16();
    if (count === -1) break;
    if (count !== fields.length) throw copyFault(`a row of ${count} fields, expected ${fields.length}`);
    const row: Record<string, unknown> = {};
    for (const { name, kind } of fields) {
      const len = r.int32();
      if (len === -1) row[name] = null;
      else if (kind === 'bytes') row[name] = r.bytes(len);
      else if (kind === 'text') row[name] = r.text(len);
      else if (kind === 'int8') row[name] = Number(r.bytes(len).readBigInt64BE(0));
      else row[name] = r.bytes(len).readInt32BE(0);
    }
    rows.push(row as unknown as PageRow);
  }
  return rows;
}

/** Reads a byte sequence given as chunks, without joining them. */
class ChunkReader {
  readonly #chunks: readonly Buffer[];
  #i = 0;
  #at = 0;

  constructor(chunks: readonly Buffer[]) {
    this.#chunks = chunks;
  }

  /** The next `n` bytes: a slice of the current chunk, or a copy when they straddle chunks. */
  bytes(n: number): Buffer {
    const c = this.#chunks[this.#i];
    if (c !== undefined && this.#at + n <= c.length) {
      const out = c.subarray(this.#at, this.#at + n);
      this.#advance(c, n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      const d = this.#chunks[this.#i];
      if (d === undefined) throw copyFault('the data ended inside a row');
      const k = Math.min(n - got, d.length - this.#at);
      d.copy(out, got, this.#at, this.#at + k);
      got += k;
      this.#advance(d, k);
    }
    return out;
  }

  /** The next `n` bytes as UTF-8 text. */
  text(n: number): string {
    const c = this.#chunks[this.#i];
    if (c === undefined || this.#at + n > c.length) return this.bytes(n).toString('utf8');
    const v = c.toString('utf8', this.#at, this.#at + n);
    this.#advance(c, n);
    return v;
  }

  int16(): number {
    const c = this.#chunks[this.#i];
    if (c === undefined || this.#at + 2 > c.length) return this.bytes(2).readInt16BE(0);
    const v = c.readInt16BE(this.#at);
    this.#advance(c, 2);
    return v;
  }

  int32(): number {
    const c = this.#chunks[this.#i];
    if (c === undefined || this.#at + 4 > c.length) return this.bytes(4).readInt32BE(0);
    const v = c.readInt32BE(this.#at);
    this.#advance(c, 4);
    return v;
  }

  #advance(c: Buffer, n: number): void {
    this.#at += n;
    if (this.#at === c.length) {
      this.#i++;
      this.#at = 0;
    }
  }
}

const copyFault = (what: string) => new AppError('INTERNAL', `export rows could not be read: ${what}`);
