/**
 * SQLite commits are made durable off the event loop (store/wal-sync.ts): COMMIT writes the log
 * (synchronous=NORMAL) and the writers are acknowledged only after an fdatasync of `-wal` on the
 * thread pool, one sync at a time, covering every commit before it. Checkpoints run on a worker
 * (store/sqlite-wal.ts). SQLite only: PostgreSQL's commits are the server's business.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, fdatasync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../src/shared/ids.ts';
import { walFileBytes } from '../src/store/sqlite-wal.ts';
import { type OpenStoreOptions, openStore, type Store } from '../src/store/store.ts';
import type { SyncFile } from '../src/store/wal-sync.ts';

const realSync = promisify(fdatasync);

/** A sync the test controls: counts calls, can hold them until released, or fail them. */
function controlledSync() {
  const state = {
    calls: 0,
    hold: false,
    fail: undefined as Error | undefined,
    held: [] as (() => void)[],
    release() {
      const held = state.held;
      state.held = [];
      for (const go of held) go();
    },
  };
  const sync: SyncFile = async (fd) => {
    state.calls++;
    if (state.hold) await new Promise<void>((resolve) => state.held.push(resolve));
    if (state.fail) throw state.fail;
    await realSync(fd);
  };
  return { state, sync };
}

/** Turns of the event loop until `done()`: the thread pool and the worker need a few. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function scratch() {
  let dir = '';
  const stores: Store[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prefer-sync-'));
  });
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    async open(options: OpenStoreOptions = {}): Promise<Store> {
      const file = join(dir, `${newId()}.db`);
      const template = inject('sqliteTemplate');
      if (template) copyFileSync(template, file);
      const store = await openStore(file, options);
      stores.push(store);
      return store;
    },
  };
}

const insertOrg = (store: Store, name: string) =>
  store.write((tx) => tx.insertInto('organizations').values({ id: newId(), name, created_at: 1 }).execute());

const countOrgs = async (store: Store, prefix: string) =>
  (await store.db.selectFrom('organizations').where('name', 'like', `${prefix}%`).select('id').execute())
    .length;

describe('commit durability off the event loop [sqlite]', () => {
  const dbs = scratch();

  it('acknowledges a writer only once the sync after its commit completed', async () => {
    const { state, sync } = controlledSync();
    const store = await dbs.open({ sqliteWal: { sync } });
    state.hold = true;
    const before = state.calls;
    let acknowledged = false;
    const write = insertOrg(store, 'held-1').then(() => {
      acknowledged = true;
    });
    await until(() => state.calls === before + 1, 'the sync to start');
    // Committed (a read sees it: the event loop is free), but not acknowledged while unsynced.
    expect(await countOrgs(store, 'held-')).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(acknowledged).toBe(false);
    state.hold = false;
    state.release();
    await write;
    expect(acknowledged).toBe(true);
  });

  it('coalesces: commits made while a sync runs share the next one, and groups run meanwhile', async () => {
    const { state, sync } = controlledSync();
    const store = await dbs.open({ sqliteWal: { sync } });
    state.hold = true;
    const before = state.calls;
    const settled: string[] = [];
    const first = insertOrg(store, 'co-first').then(() => settled.push('first'));
    await until(() => state.calls === before + 1, 'the first sync to start');
    const rest = Array.from({ length: 30 }, (_, i) =>
      insertOrg(store, `co-${String(i).padStart(2, '0')}`).then(() => settled.push(`w${i}`)),
    );
    // Pipelining: the next groups commit while the first sync is still held.
    await until(async () => (await countOrgs(store, 'co-')) === 31, 'the 30 writers to commit');
    expect(settled).toEqual([]);
    expect(state.calls).toBe(before + 1);
    state.hold = false;
    state.release();
    await Promise.all([first, ...rest]);
    // One sync for the first commit, one for the 30 made while it ran.
    expect(state.calls).toBe(before + 2);
    expect(settled[0]).toBe('first');
    expect(settled).toHaveLength(31);
  });

  it('makes autocommit writes outside write() wait for their sync too', async () => {
    const { state, sync } = controlledSync();
    const store = await dbs.open({ sqliteWal: { sync } });
    state.hold = true;
    const before = state.calls;
    let acknowledged = false;
    const write = store.db
      .insertInto('organizations')
      .values({ id: newId(), name: 'direct', created_at: 1 })
      .returning('id')
      .execute()
      .then(() => {
        acknowledged = true;
      });
    await until(() => state.calls === before + 1, 'the sync to start');
    await new Promise((r) => setTimeout(r, 20));
    expect(acknowledged).toBe(false);
    state.hold = false;
    state.release();
    await write;
    expect(acknowledged).toBe(true);
  });

  it('rejects every writer a failed sync covered, and then refuses everything', async () => {
    const { state, sync } = controlledSync();
    const store = await dbs.open({ sqliteWal: { sync } });
    state.hold = true;
    const before = state.calls;
    const outcomes = Promise.allSettled([
      insertOrg(store, 'fail-first'),
      ...Array.from({ length: 10 }, (_, i) => insertOrg(store, `fail-${i}`)),
    ]);
    await until(() => state.calls === before + 1, 'the sync to start');
    state.fail = new Error('EIO: i/o error, fdatasync');
    state.hold = false;
    state.release();
    const settled = await outcomes;
    expect(settled.map((o) => o.status)).toEqual(Array(11).fill('rejected'));
    expect((settled[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'UNAVAILABLE' });
    // No retry of the sync that failed (its outcome is unknown): nothing more is acknowledged,
    // and no writer runs any more.
    let ran = false;
    await expect(
      store.write(async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(ran).toBe(false);
    await expect(countOrgs(store, 'fail-')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(state.calls).toBe(before + 1);
  });

  it('keeps the WAL bounded under continuous writes: the checkpointer worker copies it back', async () => {
    const store = await dbs.open({ sqliteWal: { checkpointPages: 64, checkpointTickMs: 10 } });
    const row = 'x'.repeat(16 * 1024);
    const written = 32 * 1024 * 1024;
    const writes = written / row.length;
    let atHalf = 0;
    for (let i = 0; i < writes; i++) {
      await store.write((tx) =>
        tx
          .insertInto('organizations')
          .values({ id: newId(), name: `${i}${row}`, created_at: 1 })
          .execute(),
      );
      if (i === writes / 2) atHalf = walFileBytes(store.url);
    }
    const atEnd = walFileBytes(store.url);
    // Without checkpoints (wal_autocheckpoint is 0 on the write connection) the log would hold
    // all of it, twice (the name is indexed), and grow by as much in the second half. The file
    // keeps the size of its largest moment (the writes before the worker was up, say), but once
    // the worker runs it is written from its start again and stops growing.
    console.log(
      `[wal] ${(atHalf / 2 ** 20).toFixed(1)} MiB half way, ${(atEnd / 2 ** 20).toFixed(1)} MiB at the end`,
    );
    expect(atEnd).toBeLessThan(written / 2);
    expect(atEnd - atHalf).toBeLessThan(written / 4);
  }, 120_000);

  it('stops the worker on close: the write connection is the last, whose close removes the WAL', async () => {
    const store = await dbs.open();
    await insertOrg(store, 'closing');
    expect(existsSync(`${store.url}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${store.url}-wal`)).toBe(false);
  });

  it('does not keep a process alive: one that leaves its store open still exits', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prefer-sync-exit-')), 'exit.db');
    try {
      const script = `
        import { openStore } from ${JSON.stringify(new URL('../src/store/store.ts', import.meta.url).pathname)};
        const store = await openStore(${JSON.stringify(file)});
        await store.write((tx) => tx.insertInto('organizations').values({ id: 'o1', name: 'n', created_at: 1 }).execute());
        console.log('written');
      `;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
        { timeout: 60_000 },
      );
      expect(stdout.trim()).toBe('written');
    } finally {
      rmSync(join(file, '..'), { recursive: true, force: true });
    }
  }, 90_000);
});
