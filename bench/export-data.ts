import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Insertable, sql } from 'kysely';
import pg from 'pg';
import { renderFragments, suspendStaleTriggers } from '../packages/server/src/exports/v2/fragments.ts';
import type { Actor } from '../packages/server/src/orgs/actor.ts';
import type { Database } from '../packages/server/src/store/schema.ts';
import { isPostgresUrl, openStore, type Tx } from '../packages/server/src/store/store.ts';
import { createPgDatabase } from './support/pg-database.ts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const HOT = Date.parse('2024-06-01T12:00:00Z');
export const HOT_FILTERS = {
  last_activity_at: [
    new Date(HOT).toISOString().replace('.000Z', 'Z'),
    new Date(HOT).toISOString().replace('.000Z', 'Z'),
  ],
};
const id = (prefix: string, i: number) => `c${prefix}${i.toString(36).padStart(23, '0')}`;
const ORG = id('o', 1);
export const PROJECT = id('p', 1);
const LABELER = id('u', 1);
const REVIEWER = id('u', 2);
export const actor: Actor = { orgId: ORG, userId: LABELER, email: 'labeler@example.com', role: 'admin' };

export async function freshDatabase(
  db: string | undefined,
  dir: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!db || !isPostgresUrl(db)) return { url: db ?? join(dir, 'bench.db'), drop: async () => {} };
  return createPgDatabase(db, `prefer_bench_${randomBytes(4).toString('hex')}`);
}

const WORDS =
  'the a laptop battery screen weight price budget travel student gaming light fast quiet warranty ports keyboard'.split(
    ' ',
  );
function text(seed: number, length: number): string {
  let s = '';
  let x = seed;
  while (s.length < length) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += `${WORDS[x % WORDS.length]} `;
  }
  return s.slice(0, length);
}

function conversation(i: number): string {
  const messages = [0, 1, 2, 3].map((m) => ({
    messageId: `message-${m}`,
    timestampUsec: 1700000000000000 + m,
    content: text(i * 4 + m, 300),
    user: { userId: m % 2 ? 'assistant' : 'user', name: m % 2 ? 'Assistant' : 'User' },
    align: m % 2 ? 'left' : 'right',
    canLabel: m % 2 === 1,
  }));
  return JSON.stringify({
    type: 'application/vnd.labelbox.conversational',
    version: 1,
    messages,
    modelOutputs: [
      { title: 'Response A', content: text(i + 7, 300), modelConfigName: 'model-a' },
      { title: 'Response B', content: text(i + 11, 300), modelConfigName: 'model-b' },
    ],
  });
}

const FS = {
  radio: id('s', 1),
  a: id('s', 2),
  b: id('s', 3),
  tie: id('s', 4),
  text: id('s', 5),
  check: id('s', 6),
};
const OPTIONS = [id('s', 7), id('s', 8), id('s', 9)];
const ONTOLOGY = {
  tools: [],
  classifications: [
    {
      type: 'radio',
      name: 'Choose the best response',
      featureSchemaId: FS.radio,
      options: [
        { value: 'Response A', featureSchemaId: FS.a, options: [] },
        { value: 'Response B', featureSchemaId: FS.b, options: [] },
        { value: 'Tie', featureSchemaId: FS.tie, options: [] },
      ],
    },
    { type: 'text', name: 'Provide a reason for your choice', featureSchemaId: FS.text, options: [] },
    {
      type: 'checklist',
      name: 'Evaluations done',
      featureSchemaId: FS.check,
      options: ['Relevance', 'Usefulness', 'Toxicity'].map((value, k) => ({
        value,
        featureSchemaId: OPTIONS[k],
        options: [],
      })),
    },
  ],
};

function annotations(i: number): string {
  const f = (k: number) => id('f', i * 8 + k);
  return JSON.stringify({
    objects: [],
    classifications: [
      {
        feature_id: f(0),
        feature_schema_id: FS.radio,
        name: 'Choose the best response',
        radio_answer: {
          feature_id: f(1),
          feature_schema_id: i % 2 ? FS.a : FS.b,
          name: i % 2 ? 'Response A' : 'Response B',
          classifications: [],
        },
      },
      {
        feature_id: f(2),
        feature_schema_id: FS.text,
        name: 'Provide a reason for your choice',
        text_answer: { content: text(i + 3, 80) },
      },
      {
        feature_id: f(3),
        feature_schema_id: FS.check,
        name: 'Evaluations done',
        checklist_answers: [
          { feature_id: f(4), name: 'Relevance', classifications: [] },
          { feature_id: f(5), name: 'Usefulness', classifications: [] },
        ],
      },
    ],
    relationships: [],
  });
}

/**
 * PostgreSQL builds at most this many rows as a writer does (inserts, then `renderFragments`);
 * more are copies of them (`multiply`). A multiple of 100, so every copy keeps the base's
 * patterns (every 100th row hot, every 10th 'test', answers alternating).
 */
export const PG_BASE_ROWS = 10_000;

export async function build(url: string, n: number): Promise<void> {
  const store = await openStore(url);
  const postgres = store.backend === 'postgres';
  // Built row by row, 100,000 PostgreSQL rows took 13 minutes under load: the rest are copies.
  const total = n;
  if (postgres) n = Math.min(n, PG_BASE_ROWS);
  const dataset = id('d', 1);
  const ontology = id('n', 1);
  const batch = '00000000-0000-4000-8000-000000000001';
  const tasks = ['Initial labeling task', 'Initial review task', 'Rework', 'Done'].map((name, k) => ({
    id: `00000000-0000-4000-8000-00000000010${k}`,
    name,
  }));
  const schema = id('m', 1);
  await store.write(async (tx) => {
    await tx.insertInto('organizations').values({ id: ORG, name: 'bench', created_at: T0 }).execute();
    await tx
      .insertInto('users')
      .values([
        {
          id: LABELER,
          org_id: ORG,
          email: 'labeler@example.com',
          email_lower: 'labeler@example.com',
          name: 'L',
          created_at: T0,
          // The bench's actor exports over HTTP too: an org admin may read every project.
          role: 'admin',
        },
        {
          id: REVIEWER,
          org_id: ORG,
          email: 'reviewer@example.com',
          email_lower: 'reviewer@example.com',
          name: 'R',
          created_at: T0,
          role: 'member',
        },
      ])
      .execute();
    await tx
      .insertInto('datasets')
      .values({
        id: dataset,
        org_id: ORG,
        name: 'bench',
        description: null,
        created_at: T0,
        updated_at: T0,
        created_by: LABELER,
      })
      .execute();
    await tx
      .insertInto('ontologies')
      .values({
        id: ontology,
        org_id: ORG,
        name: 'pref',
        normalized: JSON.stringify(ONTOLOGY),
        created_at: T0,
        updated_at: T0,
      })
      .execute();
    await tx
      .insertInto('projects')
      .values({
        id: PROJECT,
        org_id: ORG,
        name: 'bench project',
        description: null,
        ontology_id: ontology,
        media_type: 'CONVERSATIONAL',
        consensus_expected_label_count: 1,
        created_at: T0,
        updated_at: T0,
        created_by: LABELER,
      })
      .execute();
    await tx
      .insertInto('workflow_tasks')
      .values(
        tasks.map((t, k) => ({
          id: t.id,
          project_id: PROJECT,
          name: t.name,
          kind: (['LABEL', 'REVIEW', 'REWORK', 'DONE'] as const)[k]!,
          position: k,
        })),
      )
      .execute();
    await tx
      .insertInto('batches')
      .values({
        id: batch,
        org_id: ORG,
        project_id: PROJECT,
        name: 'batch',
        priority: 3,
        consensus_label_count: null,
        created_at: T0,
        created_by: LABELER,
      })
      .execute();
    await tx
      .insertInto('metadata_schemas')
      .values({ id: schema, org_id: ORG, name: 'split', kind: 'string', options: null })
      .execute();
  });

  const CHUNK = 10_000;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    await store.write(async (tx) => {
      // As an import does (PostgreSQL): no stale-fragment UPDATE per inserted row, whose project
      // row this transaction renders at its end anyway.
      await suspendStaleTriggers(tx);
      const rows: number[] = [];
      for (let i = lo; i < hi; i++) rows.push(i);
      const at = (i: number) => T0 + i * 1000;
      // 1% of rows (every 100th) have a distinct activity time: the filtered export's target.
      const activity = (i: number) => (i % 100 === 42 ? HOT : at(i) + 60_000);
      await insert(tx, 'data_rows', rows, (i) => ({
        id: id('r', i),
        org_id: ORG,
        dataset_id: dataset,
        global_key: `key-${i}`,
        global_key_lower: `key-${i}`,
        external_id: null,
        row_data: conversation(i),
        media_type: 'CONVERSATIONAL',
        mime_type: 'application/vnd.labelbox.conversational',
        labelable_ids: '["message-1","message-3"]',
        message_count: 4,
        created_at: at(i),
        updated_at: at(i),
        last_activity_at: activity(i),
        created_by: LABELER,
      }));
      await insert(tx, 'project_data_rows', rows, (i) => ({
        project_id: PROJECT,
        data_row_id: id('r', i),
        org_id: ORG,
        batch_id: batch,
        task_id: tasks[3]!.id,
        workflow_status: 'DONE' as const,
        priority: 3,
        added_at: at(i),
        updated_at: at(i),
        lease_user_id: null,
        lease_expires_at: null,
      }));
      await insert(tx, 'labels', rows, (i) => ({
        id: id('l', i),
        org_id: ORG,
        project_id: PROJECT,
        data_row_id: id('r', i),
        created_by: LABELER,
        created_at: at(i) + 10_000,
        updated_at: at(i) + 10_000,
        content_last_updated_at: at(i) + 10_000,
        label_kind: 'Default',
        version: '1.0.0',
        annotations: annotations(i),
        seconds_to_create: 31.5,
        seconds_to_review: 4,
        skipped: 0,
        consensus_score: null,
      }));
      await insert(tx, 'reviews', rows, (i) => ({
        id: id('v', i),
        org_id: ORG,
        project_id: PROJECT,
        label_id: id('l', i),
        data_row_id: id('r', i),
        score: 1,
        reason: null,
        created_at: at(i) + 20_000,
        created_by: REVIEWER,
      }));
      const history = rows.flatMap((i) => [i * 2, i * 2 + 1]);
      await insert(tx, 'workflow_history', history, (h) => {
        const i = Math.floor(h / 2);
        const first = h % 2 === 0;
        return {
          id: id('h', h),
          project_id: PROJECT,
          data_row_id: id('r', i),
          action: first ? 'Move' : 'Approve',
          created_at: at(i) + (first ? 0 : 20_000),
          created_by: first ? LABELER : REVIEWER,
          previous_task_id: first ? null : tasks[1]!.id,
          previous_task_name: first ? null : tasks[1]!.name,
          next_task_id: first ? tasks[0]!.id : tasks[3]!.id,
          next_task_name: first ? tasks[0]!.name : tasks[3]!.name,
        };
      });
      await insert(tx, 'metadata_values', rows, (i) => ({
        data_row_id: id('r', i),
        schema_id: schema,
        value: i % 10 === 0 ? 'test' : 'train',
        position: 0,
      }));
      await insert(tx, 'attachments', rows, (i) => ({
        id: id('a', i),
        data_row_id: id('r', i),
        type: 'RAW_TEXT',
        value: text(i + 5, 60),
        name: 'context',
        position: 0,
      }));
      // What every writer does last in its transaction: the rows' export text, ready to splice.
      await renderFragments(
        tx,
        PROJECT,
        rows.map((i) => id('r', i)),
      );
    });
    if (process.stderr.isTTY) process.stderr.write(`\rbuilding ${hi}/${n}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (postgres && total > n) await multiply(url, n, total);
  // PostgreSQL plans from statistics; after a bulk load they are stale until autovacuum runs. The
  // imports vacuum what they wrote (rendering the fragments left a dead tuple per project row, and
  // fresh pages are not yet all-visible): the data set is left as an import leaves it.
  // (SQLite is left without statistics: the export's queries are shaped to plan well without.)
  if (postgres) await sql`vacuum (analyze)`.execute(store.db);
  await store.close();
}

async function insert<K extends keyof Database>(
  tx: Tx,
  table: K,
  items: number[],
  make: (i: number) => Insertable<Database[K]>,
): Promise<void> {
  for (let k = 0; k < items.length; k += 500) {
    const values = items.slice(k, k + 500).map(make);
    // One generic bulk insert over every table: the row type is checked by `make`.
    await tx
      .insertInto(table)
      .values(values as never)
      .execute();
  }
}

/**
 * PostgreSQL: the rows `base..n-1` as copies of the built rows `0..base-1`, row i + k*base a copy
 * of row i, inside the server (INSERT ... SELECT, a transaction per copy): what the export reads
 * is what `build` would have written for them, except the text and times, which are row i's. Every
 * id a row has (data row, label, review, history, attachment, the annotations' feature ids) and
 * its global key are rewritten to those of its new number, in the tables and in the fragments'
 * text (ids are fixed-width letters and digits, JSON-safe), so the rows stay distinct and the
 * fragments agree with the tables. The copies' writes set `prefer.bulk` as an import does: the
 * fragments are copied already rendered.
 */
async function multiply(url: string, base: number, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      create function pg_temp.rw(t text, o text[], w text[]) returns text language sql immutable as $$
        select replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
               replace(replace(replace(t, o[1], w[1]), o[2], w[2]), o[3], w[3]), o[4], w[4]), o[5], w[5]),
               o[6], w[6]), o[7], w[7]), o[8], w[8]), o[9], w[9]), o[10], w[10]), o[11], w[11]),
               o[12], w[12]), o[13], w[13]) $$`);
    // The built rows, each with its number, apart: the copies read these, not the growing tables.
    const rowNumber = `(select substr(d.global_key, 5)::int from data_rows d where d.id = t.data_row_id)`;
    const tables: [string, string, Record<string, string>][] = [
      [
        'data_rows',
        'substr(t.global_key, 5)::int',
        { id: 'w[1]', global_key: "'key-' || j", global_key_lower: "'key-' || j" },
      ],
      [
        'labels',
        rowNumber,
        { id: 'w[2]', data_row_id: 'w[1]', annotations: 'pg_temp.rw(annotations, o, w)' },
      ],
      ['reviews', rowNumber, { id: 'w[3]', label_id: 'w[2]', data_row_id: 'w[1]' }],
      [
        'workflow_history',
        rowNumber,
        { id: 'case when id = o[5] then w[5] else w[6] end', data_row_id: 'w[1]' },
      ],
      ['metadata_values', rowNumber, { data_row_id: 'w[1]' }],
      ['attachments', rowNumber, { id: 'w[4]', data_row_id: 'w[1]' }],
      // Last: its fragments are already rendered, with every id of the row rewritten.
      ['project_data_rows', rowNumber, { data_row_id: 'w[1]' }],
    ];
    const inserts: string[] = [];
    for (const [table, number, set] of tables) {
      await client.query(`create temp table base_${table} as select ${number} as i_, t.* from ${table} t`);
      const { rows } = await client.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = $1 and table_schema = 'public'
          order by ordinal_position`,
        [table],
      );
      const columns = rows.map((r) => r.column_name);
      const value = (c: string) => set[c] ?? (c.startsWith('x_') ? `pg_temp.rw(${c}, o, w)` : c);
      inserts.push(
        `insert into ${table} (${columns.join(', ')})
         select ${columns.map(value).join(', ')} from base_${table} b join copy_ids m on m.i = b.i_`,
      );
    }
    await client.query('create temp table copy_ids (i int primary key, j int, o text[], w text[])');
    for (let from = base; from < n; from += base) {
      await client.query('begin');
      await client.query(`select set_config('prefer.bulk', 'on', true)`);
      await client.query('truncate copy_ids');
      // Every id string of row i, in the order rw replaces them (the feature ids f(8i+k), k < 6):
      // made here, where `id` is (as a SQL function it took 40 s a copy).
      const ids = (i: number) => [
        ...['r', 'l', 'v', 'a'].map((p) => id(p, i)),
        id('h', 2 * i),
        id('h', 2 * i + 1),
        ...[0, 1, 2, 3, 4, 5].map((k) => id('f', 8 * i + k)),
        `"key-${i}"`,
      ];
      const copies: [number, number, string[], string[]][] = [];
      for (let i = 0; i < base && i + from < n; i++) copies.push([i, i + from, ids(i), ids(i + from)]);
      await client.query(
        `insert into copy_ids
         select (c->>0)::int, (c->>1)::int, array(select jsonb_array_elements_text(c->2)),
                array(select jsonb_array_elements_text(c->3))
           from jsonb_array_elements($1::jsonb) c`,
        [JSON.stringify(copies)],
      );
      await client.query('analyze copy_ids');
      for (const insert of inserts) await client.query(insert);
      await client.query('commit');
      if (process.stderr.isTTY) process.stderr.write(`\rcopying ${Math.min(n, from + base)}/${n}`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
  } finally {
    await client.end();
  }
}
