/**
 * Audit rows are written in groups: the rows of the requests that finish while one insert is
 * waiting go into it together, one multi-row INSERT. Each request still waits for its row to be
 * stored before it answers (an audit entry is never acknowledged and then lost). On SQLite the
 * insert goes through the store's group-committed writer, so it shares the requests' own
 * transaction and fsync instead of paying one autocommit fsync per request; on PostgreSQL it is
 * one autocommit statement for the group instead of one per request. (The hot workflow routes
 * do not come here when their write commits: their row goes into that transaction, see
 * audit.record.ts `auditWrites`.)
 */
import type { Insertable } from 'kysely';
import type { AuditLogTable } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';

export type AuditRow = Insertable<AuditLogTable>;

interface Pending {
  row: AuditRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Rows per INSERT: well below either database's bound parameter limit (15 columns a row). */
const CHUNK = 200;

const inserters = new WeakMap<Store, (row: AuditRow) => Promise<void>>();

/** Stores `row` in audit_log; settles once it is committed (or its group failed). */
export function insertAudit(store: Store, row: AuditRow): Promise<void> {
  let insert = inserters.get(store);
  if (!insert) {
    insert = groupInserter(store);
    inserters.set(store, insert);
  }
  return insert(row);
}

function groupInserter(store: Store): (row: AuditRow) => Promise<void> {
  let pending: Pending[] = [];
  let scheduled = false;
  const insertAll = async (db: Store['db'] | Tx, group: readonly Pending[]) => {
    for (let i = 0; i < group.length; i += CHUNK) {
      await db
        .insertInto('audit_log')
        .values(group.slice(i, i + CHUNK).map((p) => p.row))
        .execute();
    }
  };
  const flush = async () => {
    // The group is taken when the insert runs, not when it was queued: on SQLite the rows that
    // arrived while the writer was busy with other requests join it.
    let group: Pending[] = [];
    const take = () => {
      group = pending;
      pending = [];
      scheduled = false;
      return group;
    };
    try {
      if (store.backend === 'sqlite') await store.write((tx) => insertAll(tx, take()));
      else await insertAll(store.db, take());
      for (const p of group) p.resolve();
    } catch (err) {
      for (const p of group) p.reject(err);
    }
  };
  return (row) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ row, resolve, reject });
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => void flush());
    });
}
