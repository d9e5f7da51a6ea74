/**
 * Damage found at start (issue 10, finding 7): a SQLite file with bytes overwritten mid-file used
 * to start and report ok, failing requests later with "disk image is malformed"; a 0-byte file
 * silently became a new, empty install. Now `openCheckedStore` (what `prefer serve` opens) runs
 * `quick_check` first, and refuses an empty database that this install initialized before.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { INIT_MARKER_FILE, openCheckedStore } from '../src/maintenance/start-checks.ts';
import { AppError } from '../src/shared/errors.ts';
import { describeBackends } from './support/backends.ts';
import { withDatabase } from './support/global-setup.ts';
import { seedActor, seedDataset } from './support/seed-rows.ts';

const refusal = (p: Promise<{ close(): Promise<void> }>) =>
  p.then(
    async (s) => {
      await s.close();
      return null;
    },
    (err: unknown) => err as AppError,
  );

async function admin(query: string, url = inject('pgAdminUrl')!): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

describeBackends('start checks', (ctx) => {
  const options = () => ({ dataDir: join(ctx.dir, 'data'), quickCheckMaxBytes: 1 << 30 });

  /** A database of its own, not yet created (SQLite path), or created empty (PostgreSQL). */
  async function freshUrl(name: string): Promise<string> {
    if (ctx.backend === 'sqlite') return join(ctx.dir, `${name}.db`);
    const db = `${new URL(ctx.url).pathname.slice(1)}_${name}`;
    await admin(`create database ${db}`);
    return withDatabase(inject('pgAdminUrl')!, db);
  }

  it('refuses a database this install initialized that is empty now, and takes a new one', async () => {
    const url = await freshUrl('lost');
    const store = await openCheckedStore(url, options());
    await seedDataset(store, await seedActor(store), 3);
    await store.close();
    if (ctx.backend === 'sqlite') {
      // The file cut to 0 bytes, as a failed copy or a full disk leaves it.
      for (const suffix of ['-wal', '-shm']) rmSync(`${url}${suffix}`, { force: true });
      writeFileSync(url, '');
    } else {
      await admin('drop schema public cascade; create schema public', url);
    }
    const err = await refusal(openCheckedStore(url, options()));
    expect(err).toBeInstanceOf(AppError);
    expect(err?.message).toContain(ctx.backend === 'sqlite' ? `${url} is empty (0 bytes)` : 'has no tables');
    expect(err?.message).toContain(INIT_MARKER_FILE);
    expect(err?.message).toContain('prefer restore');
    if (ctx.backend === 'sqlite') expect(statSync(url).size).toBe(0); // left as it was

    // A database this install never initialized is a new install, 0-byte file or not.
    const other = await freshUrl('new');
    if (ctx.backend === 'sqlite') writeFileSync(other, '');
    const created = await openCheckedStore(other, options());
    await created.close();
  });

  it('refuses a SQLite file with bytes overwritten mid-file, before anything writes to it', async () => {
    if (ctx.backend !== 'sqlite') return; // PostgreSQL checks its own pages (data checksums).
    const url = await freshUrl('damaged');
    const store = await openCheckedStore(url, options());
    await seedDataset(store, await seedActor(store), 3000);
    await store.close();
    const size = statSync(url).size;
    expect(size).toBeGreaterThan(20 * 16384);
    // Random bytes over two pages in the middle of the file.
    const fd = openSync(url, 'r+');
    writeSync(fd, randomBytes(2 * 16384), 0, 2 * 16384, Math.floor(size / 2 / 16384) * 16384);
    closeSync(fd);
    const before = statSync(url).mtimeMs;

    const err = await refusal(openCheckedStore(url, options()));
    expect(err).toBeInstanceOf(AppError);
    expect(err?.code).toBe('UNAVAILABLE');
    expect(err?.message).toMatch(new RegExp(`the database file ${url} is damaged \\(quick_check: .+\\)`));
    expect(err?.message).toContain('prefer restore');
    expect(err?.message).toContain('prefer doctor');
    expect(statSync(url).mtimeMs).toBe(before);
  });
});
