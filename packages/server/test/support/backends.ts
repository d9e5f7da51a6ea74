/**
 * `describeBackends` runs one suite against a fresh SQLite file and a fresh PostgreSQL database.
 * Each suite gets its own database, so suites run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { flushFragments } from '../../src/exports/v2/fragment-refresh.ts';
import { type Backend, openStore, type Store } from '../../src/store/store.ts';
import { withDatabase } from './global-setup.ts';

export interface BackendContext {
  backend: Backend;
  /** The store, opened in `beforeAll`. */
  readonly store: Store;
  /** The URL (SQLite path or postgres URL) of this suite's database, for CLIs and servers. */
  readonly url: string;
  /** A scratch directory removed after the suite. */
  readonly dir: string;
}

export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

export function describeBackends(name: string, fn: (ctx: BackendContext) => void): void {
  for (const backend of BACKENDS) {
    const skip = backend === 'postgres' ? inject('pgSkipReason') : null;
    if (skip) {
      console.warn(`[prefer tests] ${name} [postgres] skipped: ${skip}`);
      describe.skip(`${name} [postgres]`, () => fn(placeholder(backend)));
      continue;
    }
    describe(`${name} [${backend}]`, () => {
      const ctx = createBackend(backend);
      fn(ctx);
    });
  }
}

function placeholder(backend: Backend): BackendContext {
  const missing = () => {
    throw new Error('backend not available');
  };
  return {
    backend,
    get store(): Store {
      return missing();
    },
    get url(): string {
      return missing();
    },
    get dir(): string {
      return missing();
    },
  };
}

/** Creates a database for the enclosing describe block (beforeAll) and removes it (afterAll). */
export function createBackend(backend: Backend): BackendContext {
  let store: Store | undefined;
  let url = '';
  let dir = '';
  let dbName = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prefer-test-'));
    if (backend === 'sqlite') {
      url = join(dir, 'prefer.db');
      // The run's migrated template (global-setup.ts): the same file a fresh open would migrate
      // to, without its fsyncs. openStore below still runs the migrator, which finds nothing to do.
      const template = inject('sqliteTemplate');
      if (template) copyFileSync(template, url);
    } else {
      const admin = inject('pgAdminUrl')!;
      dbName = `${inject('pgTemplate')!.replace(/_tpl$/, '')}_${randomBytes(4).toString('hex')}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`create database ${dbName} template ${inject('pgTemplate')}`);
      await client.end();
      url = withDatabase(admin, dbName);
    }
    store = await openStore(url);
  });
  afterAll(async () => {
    // Rows the request path left to the background renderer: rendered before the store goes.
    if (store) await flushFragments(store);
    await store?.close();
    if (dbName) {
      const client = new pg.Client({ connectionString: inject('pgAdminUrl')! });
      await client.connect();
      await client.query(`drop database if exists ${dbName} with (force)`);
      await client.end();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    backend,
    get store() {
      if (!store) throw new Error('store is opened in beforeAll');
      return store;
    },
    get url() {
      return url;
    },
    get dir() {
      return dir;
    },
  };
}
