/**
 * `pg_dump` and `pg_restore`, run as child processes. The connection goes to them through the
 * libpq environment (PGHOST, PGPASSWORD, ...), never on the command line where `ps` shows it.
 */
import { spawn } from 'node:child_process';
import { AppError } from '../shared/errors.ts';

function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.PGHOST = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || 'localhost';
  env.PGPORT = u.port || '5432';
  env.PGDATABASE = decodeURIComponent(u.pathname.slice(1)) || 'postgres';
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** Runs a PostgreSQL client tool on the database of `url`; rejects with its message on failure. */
export function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, ['--no-password', ...args], {
      env: libpqEnv(url),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8192) stderr += d.toString();
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new AppError(
              'UNAVAILABLE',
              `${tool} was not found on PATH: install the PostgreSQL client tools (Debian/Ubuntu: ` +
                'postgresql-client, of the same major version as the server or newer)',
            )
          : err,
      );
    });
    child.once('close', (code) => {
      if (code === 0) resolve();
      else {
        const why = stderr.trim().split('\n').slice(0, 5).join('; ');
        reject(new AppError('UNAVAILABLE', `${tool} failed (exit ${code}): ${why || 'no message'}`));
      }
    });
  });
}
