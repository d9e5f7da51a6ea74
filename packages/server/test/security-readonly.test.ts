/**
 * A database that cannot be written (issue 10, finding 4): it used to open, answer /health with
 * ok, and fail every request with "attempt to write a readonly database". Now the start refuses
 * it, naming the file (or database), and /health answers 503 while it cannot be written.
 * Tests run as root, which ignores file modes: SQLite opens the file read-only through the
 * store's seam, or is made read-only with `query_only`; PostgreSQL with
 * `default_transaction_read_only`, as a standby would be.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { AppError } from '../src/shared/errors.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { describeBackends } from './support/backends.ts';

async function onAdmin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl')! });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

describeBackends('a database that cannot be written', (ctx) => {
  const dbName = () => decodeURIComponent(new URL(ctx.url).pathname.slice(1));

  it('is refused at start with a message naming it, and nothing is changed', async () => {
    let error: unknown;
    if (ctx.backend === 'sqlite') {
      error = await openStore(ctx.url, { sqliteReadOnly: true }).then(
        (s) => s.close(),
        (err: unknown) => err,
      );
    } else {
      await onAdmin(`alter database ${dbName()} set default_transaction_read_only = on`);
      try {
        error = await openStore(ctx.url).then(
          (s) => s.close(),
          (err: unknown) => err,
        );
      } finally {
        await onAdmin(`alter database ${dbName()} reset default_transaction_read_only`);
      }
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toContain('cannot be written');
    expect(e.message).toContain(ctx.backend === 'sqlite' ? ctx.url : `PostgreSQL database ${dbName()}`);
    expect(e.message).toMatch(ctx.backend === 'sqlite' ? /readonly database/ : /read-only/);
  });

  it('makes /health answer 503 while it cannot be written, and ok again once it can', async () => {
    let store: Store = ctx.store;
    if (ctx.backend === 'postgres') store = await openStore(ctx.url, { poolSize: 2 });
    const app = createApp({ store, logError: () => {} });
    const health = async () => {
      const res = await app.request('/api/v1/health');
      return {
        status: res.status,
        body: (await res.json()) as { error?: { code: string; message: string } },
      };
    };
    try {
      expect((await health()).status).toBe(200);
      if (ctx.backend === 'sqlite') {
        await sql`pragma query_only = on`.execute(store.db);
      } else {
        await onAdmin(`alter database ${dbName()} set default_transaction_read_only = on`);
        // The pool's sessions started writable: end them, as a failover to a standby would.
        await onAdmin(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName()}' and pid <> pg_backend_pid()`,
        );
      }
      let answer = await health();
      for (let i = 0; i < 50 && !answer.body.error?.message.includes('cannot be written'); i++) {
        answer = await health(); // the first query after the termination may meet a dead session
      }
      expect(answer.status).toBe(503);
      expect(answer.body.error?.code).toBe('UNAVAILABLE');
      expect(answer.body.error?.message).toMatch(
        ctx.backend === 'sqlite'
          ? /^the database cannot be written: attempt to write a readonly database$/
          : /^the database cannot be written: .*read-only/,
      );
    } finally {
      if (ctx.backend === 'sqlite') await sql`pragma query_only = off`.execute(store.db);
      else await onAdmin(`alter database ${dbName()} reset default_transaction_read_only`);
    }
    if (ctx.backend === 'postgres') {
      await onAdmin(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName()}' and pid <> pg_backend_pid()`,
      );
      let answer = await health();
      for (let i = 0; i < 50 && answer.status !== 200; i++) answer = await health();
      expect(answer.status).toBe(200);
      await store.close();
    } else {
      expect((await health()).status).toBe(200);
    }
  });
});
