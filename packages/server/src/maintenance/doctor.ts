/**
 * `prefer doctor`: checks a database and its export files, and says what to do about each
 * problem. Nothing is changed: the store is opened without migrating, and files are only read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { walFileBytes } from '../store/sqlite-wal.ts';
import { isPostgresUrl, openStore, type Store } from '../store/store.ts';
import { writeProblem } from '../store/write-probe.ts';
import { sqliteProblems } from './sqlite-check.ts';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do, for a problem. */
  fix?: string;
}

/** A WAL larger than this is reported: something holds a long read, or checkpoints fail. */
export const WAL_WARN_BYTES = 64 * 1024 * 1024;

const RESTORE =
  'restore the last backup into an empty database with `prefer restore FILE --db NEW`, then point PREFER_DATABASE_URL at it';

export async function runDoctor(url: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  if (!isPostgresUrl(url) && !(await stat(resolve(url)).catch(() => null))?.size) {
    return [
      {
        name: 'database',
        ok: false,
        detail: `no database at ${resolve(url)} (missing or 0 bytes)`,
        fix: `check PREFER_DATABASE_URL; if it held data, ${RESTORE}`,
      },
    ];
  }
  if (!isPostgresUrl(url)) {
    // Before opening: the full check, on a read-only connection of its own.
    const problems = sqliteProblems(resolve(url), 'integrity_check');
    checks.push(
      problems.length === 0
        ? { name: 'integrity', ok: true, detail: 'integrity_check: ok' }
        : {
            name: 'integrity',
            ok: false,
            detail: `integrity_check: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ' ...' : ''}`,
            fix: `stop the server, keep a copy of the file (with its -wal), and ${RESTORE}`,
          },
    );
  }
  let store: Store;
  try {
    store = await openStore(url, { migrate: false, checkWritable: false });
  } catch (err) {
    checks.push({
      name: 'database',
      ok: false,
      detail: (err as Error).message,
      fix: isPostgresUrl(url)
        ? 'check the server runs and the URL (host, port, database, user); fsync, synchronous_commit and full_page_writes must be on'
        : `check the file and its permissions; if it is damaged, ${RESTORE}`,
    });
    return checks;
  }
  try {
    if (store.backend === 'postgres') {
      const { rows } = await sql<{ version: string; checksums: string }>`
        select current_setting('server_version') as version, current_setting('data_checksums') as checksums`.execute(
        store.db,
      );
      checks.push({
        name: 'reachable',
        ok: true,
        detail: `PostgreSQL ${rows[0]?.version} answers; data_checksums ${rows[0]?.checksums}`,
      });
    }
    // openStore refuses weak settings; reaching here means they are the required ones.
    checks.push({ name: 'durability', ok: true, detail: JSON.stringify(store.durability) });
    const problem = await writeProblem(store);
    checks.push(
      problem === null
        ? { name: 'writable', ok: true, detail: 'a write was made and rolled back' }
        : {
            name: 'writable',
            ok: false,
            detail: problem,
            fix:
              store.backend === 'sqlite'
                ? 'make the file, its directory and its mount writable by the server’s user; free disk space'
                : 'point prefer at the primary (not a standby), and unset default_transaction_read_only',
          },
    );
    if (store.backend === 'sqlite') {
      const wal = walFileBytes(store.url);
      checks.push(
        wal <= WAL_WARN_BYTES
          ? { name: 'wal', ok: true, detail: `${wal} bytes` }
          : {
              name: 'wal',
              ok: false,
              detail: `${wal} bytes (over ${WAL_WARN_BYTES})`,
              fix: 'a long read holds it (a stalled export is ended after PREFER_STREAM_IDLE_SECONDS); it is cut back once readers end; if it stays, restart the server',
            },
      );
    }
    checks.push(...(await exportFileChecks(store)));
  } finally {
    await store.close();
  }
  return checks;
}

/** Every kept file of a COMPLETE task against the size and SHA-256 recorded when it finished. */
async function exportFileChecks(store: Store): Promise<DoctorCheck[]> {
  const tasks = await store.db
    .selectFrom('export_tasks')
    .where('status', '=', 'COMPLETE')
    .where('files_deleted_at', 'is', null)
    .select([
      'id',
      'result_path',
      'result_bytes',
      'result_sha256',
      'errors_path',
      'errors_bytes',
      'errors_sha256',
    ])
    .orderBy('id')
    .execute();
  const checks: DoctorCheck[] = [];
  let files = 0;
  for (const task of tasks) {
    const streams = [
      ['result', task.result_path, task.result_bytes, task.result_sha256],
      ['errors', task.errors_path, task.errors_bytes, task.errors_sha256],
    ] as const;
    for (const [stream, path, bytes, sha256] of streams) {
      if (!path) continue;
      files++;
      const found = await fileDigest(resolve(path));
      const wrong =
        found === null
          ? 'is missing'
          : found.bytes !== bytes
            ? `has ${found.bytes} bytes, ${bytes} recorded`
            : found.sha256 !== sha256
              ? 'does not match its recorded SHA-256'
              : null;
      if (wrong) {
        checks.push({
          name: 'export files',
          ok: false,
          detail: `task ${task.id} ${stream} file ${path} ${wrong}`,
          fix: 'do not hand out this file: start the export again (POST /projects/:id/exports, or `prefer export`)',
        });
      }
    }
  }
  if (checks.length === 0) {
    checks.push({ name: 'export files', ok: true, detail: `${files} files of ${tasks.length} tasks match` });
  }
  return checks;
}

async function fileDigest(path: string): Promise<{ bytes: number; sha256: string } | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch {
    return null;
  }
  return { bytes, sha256: hash.digest('hex') };
}
