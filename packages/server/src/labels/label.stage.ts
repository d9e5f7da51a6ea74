/**
 * The staging table of a label import. Lines name data rows in any order, and all of a row's
 * lines make one label; rather than holding a million lines in memory, each valid line is written
 * (already rendered) to a temporary table of the import's transaction and read back sorted by
 * data row. Memory stays at one page; the database does the sort. The table lives only in the
 * transaction: PostgreSQL drops it at commit, a rollback removes it on both backends, and a
 * successful SQLite import drops it before committing.
 */
import { sql, type Transaction } from 'kysely';
import { keysetPages } from '../shared/paging.ts';
import type { Database } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';

const TABLE = 'label_import_stage';
const STAGE_COLUMNS = ['data_row_id', 'line', 'question', 'uuid', 'body', 'object', 'content', 'external_id'];

export interface StagedLine {
  data_row_id: string;
  line: number;
  /** Question and message: one label answers each once. */
  question: string;
  uuid: string | null;
  /** The classification (or message tool object), rendered. */
  body: string;
  /** 1 for a message tool answer (the label's `objects`), 0 for a classification. */
  object: number;
  /** The classification without its feature ids: what the label's content hash is made of. */
  content: string;
  /** The line's `labelExternalId`. */
  external_id: string | null;
}

interface StageDb extends Database {
  label_import_stage: StagedLine;
}
type StageTx = Transaction<StageDb>;

export class Stage {
  private constructor(
    private readonly store: Store,
    private readonly tx: StageTx,
  ) {}

  static async create(store: Store, tx: Tx): Promise<Stage> {
    const { backend } = store;
    if (backend === 'sqlite') await sql`drop table if exists temp.${sql.raw(TABLE)}`.execute(tx);
    let create = tx.schema
      .createTable(TABLE)
      .temporary()
      .addColumn('data_row_id', 'text', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('question', 'text', (c) => c.notNull())
      .addColumn('uuid', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('object', 'integer', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text');
    if (backend === 'postgres') create = create.onCommit('drop');
    await create.execute();
    return new Stage(store, tx.withTables<{ label_import_stage: StagedLine }>());
  }

  async insert(lines: readonly StagedLine[]): Promise<void> {
    if (lines.length === 0) return;
    const tuples = lines.map((l) => [
      l.data_row_id,
      l.line,
      l.question,
      l.uuid,
      l.body,
      l.object,
      l.content,
      l.external_id,
    ]);
    // Through the importers' bulk insert (cached statements, no query builder per page); the
    // stage is no table of the schema, so its name is cast for the typed signature.
    await this.store.bulkInsert(this.tx, TABLE as 'labels', STAGE_COLUMNS as never, tuples);
  }

  /**
   * Indexes the staged lines by data row once all are in: lines arrive in any row order, and
   * one sorted index build is far cheaper than keeping an index up to date through random inserts.
   */
  async index(): Promise<void> {
    await this.tx.schema.createIndex(`${TABLE}_row`).on(TABLE).columns(['data_row_id', 'line']).execute();
  }

  /** Questions answered more than once for one data row: first and last line, and how often. */
  async repeatedQuestions(limit: number) {
    return this.tx
      .selectFrom(TABLE)
      .select((e) => [
        'data_row_id',
        'question',
        e.fn.min('line').as('first'),
        e.fn.max('line').as('last'),
        e.fn.countAll().as('n'),
      ])
      .groupBy(['data_row_id', 'question'])
      .having((e) => e.fn.countAll(), '>', 1)
      .orderBy('last')
      .limit(limit)
      .execute();
  }

  /** Feature ids given as `uuid` on more than one line. */
  async repeatedUuids(limit: number) {
    return this.tx
      .selectFrom(TABLE)
      .where('uuid', 'is not', null)
      .select((e) => ['uuid', e.fn.min('line').as('first'), e.fn.max('line').as('last')])
      .groupBy('uuid')
      .having((e) => e.fn.countAll(), '>', 1)
      .orderBy('last')
      .limit(limit)
      .execute();
  }

  /** Data rows whose lines give different label external ids (or some give one and some none). */
  async mixedExternalIds(limit: number) {
    return this.tx
      .selectFrom(TABLE)
      .select((e) => ['data_row_id', e.fn.min('line').as('first'), e.fn.max('line').as('last')])
      .groupBy('data_row_id')
      .having((e) =>
        e.or([
          e(e.fn.count('external_id').distinct(), '>', 1),
          e.and([e(e.fn.count('external_id'), '>', 0), e(e.fn.count('external_id'), '<', e.fn.countAll())]),
        ]),
      )
      .orderBy('last')
      .limit(limit)
      .execute();
  }

  /** Label external ids given to more than one data row of the file. */
  async sharedExternalIds(limit: number) {
    return this.tx
      .selectFrom(TABLE)
      .where('external_id', 'is not', null)
      .select((e) => ['external_id', e.fn.min('line').as('first'), e.fn.max('line').as('last')])
      .groupBy('external_id')
      .having((e) => e.fn.count('data_row_id').distinct(), '>', 1)
      .orderBy('last')
      .limit(limit)
      .execute();
  }

  /** Staged external ids a label (or pre-label) of another data row of the project already holds. */
  async externalIdsElsewhere(table: 'labels' | 'pre_labels', projectId: string, limit: number) {
    // Both tables have the columns read here; typed as labels for the query builder.
    const held = `${table} as held` as 'labels as held';
    return this.tx
      .selectFrom(TABLE)
      .innerJoin(held, (j) =>
        j
          .onRef('held.external_id', '=', `${TABLE}.external_id`)
          .on('held.project_id', '=', projectId)
          .onRef('held.data_row_id', '<>', `${TABLE}.data_row_id`),
      )
      .select((e) => [
        `${TABLE}.external_id`,
        'held.data_row_id as held_row',
        e.fn.min(`${TABLE}.line`).as('first'),
      ])
      .groupBy([`${TABLE}.external_id`, 'held.data_row_id'])
      .orderBy('first')
      .limit(limit)
      .execute();
  }

  /** All staged lines ordered by data row, then line, a page at a time. */
  async *sorted(
    pageSize = 2000,
  ): AsyncGenerator<
    Pick<StagedLine, 'data_row_id' | 'line' | 'body' | 'object' | 'content' | 'external_id'>[]
  > {
    yield* keysetPages(
      pageSize,
      (after: [string, number] | null) => {
        let q = this.tx
          .selectFrom(TABLE)
          .select(['data_row_id', 'line', 'body', 'object', 'content', 'external_id']);
        if (after) {
          q = q.where((e) => e(e.refTuple('data_row_id', 'line'), '>', e.tuple(after[0], after[1])));
        }
        return q.orderBy('data_row_id').orderBy('line').limit(pageSize).execute();
      },
      (last): [string, number] => [last.data_row_id, last.line],
    );
  }

  async drop(): Promise<void> {
    if (this.store.backend === 'sqlite') await sql`drop table temp.${sql.raw(TABLE)}`.execute(this.tx);
  }
}
