/**
 * The baseline: a bare better-sqlite3 prepared statement inserting the same rows, same columns
 * and same schema (indexes included), in one transaction, with the store's pragmas. It reads the
 * same NDJSON file with minimal work (JSON.parse, no validation); both the whole loop and the
 * time inside `stmt.run` alone are measured, and the stricter (insert-only) rate is the target.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import SqliteDatabase from 'better-sqlite3';
import { newId } from '../../packages/server/src/shared/ids.ts';
import { openStore } from '../../packages/server/src/store/store.ts';

export interface BareResult {
  rows: number;
  totalSeconds: number;
  insertSeconds: number;
}

export async function bareSqliteLoop(dbFile: string, ndjson: string): Promise<BareResult> {
  const store = await openStore(dbFile); // creates and migrates the same schema
  await store.db.insertInto('organizations').values({ id: 'org', name: 'bench', created_at: 0 }).execute();
  await store.db
    .insertInto('datasets')
    .values({
      id: 'ds',
      org_id: 'org',
      name: 'bench',
      description: null,
      created_at: 0,
      updated_at: 0,
      created_by: 'u',
    })
    .execute();
  await store.close();

  const conn = new SqliteDatabase(dbFile);
  conn.pragma('journal_mode = WAL');
  // FULL, not the store's NORMAL: its one COMMIT's fsync stands for the fdatasync the store
  // runs after its commit (store/wal-sync.ts), the same durability and the same one sync.
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  const stmt = conn.prepare(
    `insert into data_rows (id, org_id, dataset_id, global_key, global_key_lower, external_id, row_data,
       media_type, mime_type, labelable_ids, message_count, created_at, updated_at, last_activity_at, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  let rows = 0;
  let insertNs = 0n;
  const started = process.hrtime.bigint();
  conn.exec('begin immediate');
  const lines = createInterface({
    input: createReadStream(ndjson, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line === '') continue;
    const spec = JSON.parse(line) as {
      row_data: { messages: { messageId: string; canLabel?: boolean }[] };
      global_key: string;
      external_id: string;
    };
    const messages = spec.row_data.messages;
    const values = [
      newId(),
      'org',
      'ds',
      spec.global_key,
      spec.global_key.toLowerCase(),
      spec.external_id,
      JSON.stringify(spec.row_data),
      'CONVERSATIONAL',
      'application/vnd.labelbox.conversational',
      JSON.stringify(messages.filter((m) => m.canLabel === true).map((m) => m.messageId)),
      messages.length,
      now,
      now,
      now,
      'u',
    ];
    const t = process.hrtime.bigint();
    stmt.run(values);
    insertNs += process.hrtime.bigint() - t;
    rows++;
  }
  const t = process.hrtime.bigint();
  conn.exec('commit');
  insertNs += process.hrtime.bigint() - t;
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  conn.close();
  return { rows, totalSeconds, insertSeconds: Number(insertNs) / 1e9 };
}
