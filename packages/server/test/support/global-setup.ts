/**
 * Prepares the storage suite: one migrated template database per test run and backend, from which
 * every suite takes its own database (PostgreSQL clones the template database, SQLite copies the
 * template file), and all of them removed at the end. Without a reachable PostgreSQL server the
 * PostgreSQL tests skip with the reason printed, unless CI=true, where a missing server fails the run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate, openStore } from '../../src/store/store.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
    pgTemplate: string | null;
    pgSkipReason: string | null;
    sqliteTemplate: string | null;
  }
}

export const PG_ADMIN_URL = process.env.PREFER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject) {
  const removeSqliteTemplate = await provideSqliteTemplate(project);
  const removePgTemplate = await providePgTemplate(project);
  return async () => {
    await removePgTemplate?.();
    removeSqliteTemplate();
  };
}

/**
 * A fresh SQLite file costs the 21 migrations, each a commit with its sync (store/wal-sync.ts):
 * about 0.1 s of CPU but up to a second of wall time on a busy disk, paid by every suite.
 * Migrated once here and closed (the last close checkpoints the WAL into the file and removes
 * it), the file is what every fresh database would be byte for byte, and suites copy it.
 */
async function provideSqliteTemplate(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'prefer-test-template-'));
  const file = join(dir, 'template.db');
  const store = await openStore(file);
  await store.close();
  // A WAL left beside the file would hold part of the schema, and a copy of the file alone would
  // lose it: copying is only sound when the close folded everything into the file.
  project.provide('sqliteTemplate', existsSync(`${file}-wal`) ? null : file);
  return () => rmSync(dir, { recursive: true, force: true });
}

async function providePgTemplate(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const run = `prefer_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const template = `${run}_tpl`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    const reason = `PostgreSQL not reachable at ${PG_ADMIN_URL} (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
    console.warn(`\n[prefer tests] skipping PostgreSQL tests: ${reason}\n`);
    project.provide('pgAdminUrl', null);
    project.provide('pgTemplate', null);
    project.provide('pgSkipReason', reason);
    return;
  }
  await admin.query(`create database ${template}`);
  const tplStore = await openStore(withDatabase(PG_ADMIN_URL, template), { migrate: false });
  await migrate(tplStore.db);
  await tplStore.close();
  project.provide('pgAdminUrl', PG_ADMIN_URL);
  project.provide('pgTemplate', template);
  project.provide('pgSkipReason', null);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`${run}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`drop database if exists ${datname} with (force)`);
    }
    await admin.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
