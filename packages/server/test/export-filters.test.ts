/**
 * Export filters: every filter alone and combined (AND), open ranges, boundaries, offsets and
 * zones, page sizes, scoping, injection-looking values; and every invalid form with its exact
 * message (the SDK's where it has one).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExportRequest } from '../src/exports/request/export.request.ts';
import { describeBackends } from './support/backends.ts';
import { actor, collect, idsOf, OTHER, RICH, seedExportFixtures } from './support/export-fixtures.ts';

const { r1, r2, r3 } = RICH.rows;
const FORMAT =
  'Format must be "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" or ISO 8061 format "YYYY-MM-DDThh:mm:ss±hhmm" (that is ISO 8601; prefer also accepts Z, ±hh:mm and fractions of a second)';

describeBackends('export v2 filters', (ctx) => {
  beforeAll(() => seedExportFixtures(ctx.store.db));

  /** Ids exported for `filters`, checked to be the same at page sizes 1 and 1,000. */
  async function ids(filters: Record<string, unknown>, timezone?: string): Promise<string[]> {
    const input = { filters, params: { label_details: true }, ...(timezone ? { timezone } : {}) };
    const big = await collect(ctx.store, actor, RICH.projectId, input);
    const small = await collect(ctx.store, actor, RICH.projectId, input, { pageSize: 1 });
    expect(small.lines).toEqual(big.lines);
    // The progress total is the number of rows the filter matches.
    expect(big.progress[0]).toEqual([0, big.lines.length]);
    return idsOf(big);
  }

  it('an empty filter object or null filters export everything', async () => {
    expect(await ids({})).toEqual([r1, r2, r3]);
    expect(await ids({ last_activity_at: null, data_row_ids: null })).toEqual([r1, r2, r3]);
  });

  describe('last_activity_at', () => {
    it('a date-only end bound covers its whole day; rows come in activity order', async () => {
      expect(await ids({ last_activity_at: ['2024-01-11', '2024-01-13'] })).toEqual([r2, r3]);
      expect(await ids({ last_activity_at: ['2024-01-11', '2024-01-12'] })).toEqual([r2]);
    });
    it('open on either side, bounds inclusive to the millisecond', async () => {
      expect(await ids({ last_activity_at: [null, '2024-01-11 08:00:00'] })).toEqual([r2]);
      expect(await ids({ last_activity_at: ['2024-01-15T10:30:00.250Z', null] })).toEqual([r1]);
      expect(await ids({ last_activity_at: ['2024-01-15T10:30:00.251Z', null] })).toEqual([]);
      expect(await ids({ last_activity_at: [null, null] })).toEqual([r1, r2, r3]);
    });
    it('converts an ISO offset to UTC', async () => {
      expect(await ids({ last_activity_at: ['2024-01-15T12:30:00+02:00', null] })).toEqual([r1]);
      expect(await ids({ last_activity_at: ['2024-01-15T12:30:01+0200', null] })).toEqual([]);
      expect(await ids({ last_activity_at: [null, '2024-01-11T03:00:00-05:00'] })).toEqual([r2]);
    });
    it('reads dates without offset in the given timezone', async () => {
      // 23:59:59 in Tokyo is 14:59:59 UTC: R3's activity (23:59:59.999 UTC) is after it.
      expect(await ids({ last_activity_at: [null, '2024-01-13 23:59:59'] })).toEqual([r2, r3]);
      expect(await ids({ last_activity_at: [null, '2024-01-13 23:59:59'] }, 'Asia/Tokyo')).toEqual([r2]);
      // R2's activity, 08:00 UTC on the 11th, is midnight starting the 11th in Los Angeles.
      expect(await ids({ last_activity_at: ['2024-01-11', '2024-01-11'] }, 'America/Los_Angeles')).toEqual([
        r2,
      ]);
      expect(await ids({ last_activity_at: ['2024-01-10', '2024-01-10'] }, 'America/Los_Angeles')).toEqual(
        [],
      );
      expect(await ids({ last_activity_at: ['2024-01-11', '2024-01-11'] }, 'Asia/Tokyo')).toEqual([r2]);
      expect(await ids({ last_activity_at: ['2024-01-12', '2024-01-12'] }, 'Asia/Tokyo')).toEqual([]);
    });
  });

  describe('label_created_at', () => {
    it('keeps rows with a label created in the range, each once', async () => {
      expect(await ids({ label_created_at: ['2024-01-12', '2024-01-13'] })).toEqual([r3]);
      expect(await ids({ label_created_at: ['2024-01-13', null] })).toEqual([r3, r1]);
      expect(await ids({ label_created_at: [null, '2024-01-12 09:00:00'] })).toEqual([r3]);
      expect(await ids({ label_created_at: ['2024-01-12', null] })).toEqual([r3, r1]);
      expect(await ids({ label_created_at: ['2024-02-01', null] })).toEqual([]);
    });
  });

  describe('id lists', () => {
    it('data_row_ids: known rows of this project only, in id order', async () => {
      expect(await ids({ data_row_ids: [r3, r1, 'cnope00000000000000000000'] })).toEqual([r1, r3]);
      // Another organization's row, and a row of this organization outside the project.
      expect(await ids({ data_row_ids: [OTHER.rowId, RICH.rows.r4] })).toEqual([]);
    });
    it('global_keys: case-insensitive, scoped to the organization', async () => {
      expect(await ids({ global_keys: ['CONV-1', 'conv-3', 'missing'] })).toEqual([r1, r3]);
      expect(await ids({ global_keys: ['conv-4'] })).toEqual([]);
    });
    it('batch_ids', async () => {
      expect(await ids({ batch_ids: [RICH.batch2.id] })).toEqual([r3]);
      expect(await ids({ batch_ids: [RICH.batch2.id, RICH.batch1.id] })).toEqual([r1, r2, r3]);
      expect(await ids({ batch_ids: [OTHER.batchId] })).toEqual([]);
    });
  });

  it('workflow_status, ToLabel included', async () => {
    expect(await ids({ workflow_status: 'Done' })).toEqual([r1]);
    expect(await ids({ workflow_status: 'ToLabel' })).toEqual([r2]);
    expect(await ids({ workflow_status: 'InRework' })).toEqual([r3]);
    expect(await ids({ workflow_status: 'InReview' })).toEqual([]);
  });

  it('combines filters with AND whichever drives the query', async () => {
    expect(await ids({ batch_ids: [RICH.batch1.id], workflow_status: 'ToLabel' })).toEqual([r2]);
    expect(
      await ids({ last_activity_at: ['2024-01-11', null], label_created_at: ['2024-01-12', '2024-01-13'] }),
    ).toEqual([r3]);
    expect(await ids({ data_row_ids: [r1, r2, r3], workflow_status: 'Done' })).toEqual([r1]);
    expect(await ids({ global_keys: ['conv-1', 'conv-3'], last_activity_at: [null, '2024-01-14'] })).toEqual([
      r3,
    ]);
    expect(await ids({ label_created_at: ['2024-01-01', null], batch_ids: [RICH.batch1.id] })).toEqual([r1]);
    expect(
      await ids({
        last_activity_at: ['2024-01-01', null],
        workflow_status: 'InRework',
        batch_ids: [RICH.batch2.id],
      }),
    ).toEqual([r3]);
    expect(await ids({ data_row_ids: [r2], label_created_at: ['2024-01-01', null] })).toEqual([]);
  });

  it('binds injection-looking values as parameters', async () => {
    expect(await ids({ data_row_ids: ["' OR 1=1--"] })).toEqual([]);
    expect(await ids({ global_keys: ["x' OR '1'='1"] })).toEqual([]);
    expect(await ids({ batch_ids: ['1; DROP TABLE labels'] })).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*) as n from labels`.execute(ctx.store.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('uses the planned index for each time driver (EXPLAIN)', async () => {
    if (ctx.backend !== 'sqlite') return;
    const plan = async (q: string) =>
      (await sql.raw(`explain query plan ${q}`).execute(ctx.store.db)).rows
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    // The same shapes the engine sends (see export.query.ts).
    expect(
      await plan(
        `select dr.id from data_rows dr cross join project_data_rows pdr
         where pdr.data_row_id = dr.id and pdr.project_id = 'p' and pdr.org_id = 'o' and (dr.org_id || '') = 'o' and dr.last_activity_at >= 1 and dr.last_activity_at <= 2
         order by dr.last_activity_at, dr.id limit 1000`,
      ),
    ).toMatch(/data_rows_activity/);
    expect(
      await plan(
        `select distinct l.created_at, l.data_row_id from labels l
         where l.project_id = 'p' and l.created_at >= 1 and l.created_at <= 2 order by l.created_at, l.data_row_id limit 250`,
      ),
    ).toMatch(/COVERING INDEX labels_created/);
    const keyset = `select pdr.data_row_id from project_data_rows pdr join data_rows dr on dr.id = pdr.data_row_id
         where pdr.project_id = 'p' and pdr.org_id = 'o' and dr.org_id = 'o' and pdr.data_row_id > 'x' and dr.id > 'x'`;
    const whole = await plan(`${keyset} order by pdr.data_row_id limit 1000`);
    expect(whole).toMatch(/sqlite_autoindex_project_data_rows_1 \(project_id=\? AND data_row_id>\?\)/);
    expect(await plan(`${keyset} and pdr.batch_id = 'b' order by pdr.data_row_id limit 1000`)).toMatch(
      /project_data_rows_batch \(project_id=\? AND batch_id=\? AND data_row_id>\?\)/,
    );
    expect(
      await plan(`${keyset} and pdr.workflow_status = 'DONE' order by pdr.data_row_id limit 1000`),
    ).toMatch(/project_data_rows_status \(project_id=\? AND workflow_status=\? AND data_row_id>\?\)/);
    for (const p of [whole]) expect(p).not.toMatch(/TEMP B-TREE/);
  });
});

describe('export request validation', () => {
  const fails = (input: Parameters<typeof parseExportRequest>[0]) => {
    try {
      parseExportRequest(input);
    } catch (err) {
      expect((err as { code: string }).code).toBe('BAD_REQUEST');
      return (err as Error).message;
    }
    throw new Error('expected a BAD_REQUEST');
  };

  it('defaults every param to false and accepts no filters', () => {
    expect(parseExportRequest({})).toEqual({
      params: {
        attachments: false,
        metadata_fields: false,
        data_row_details: false,
        project_details: false,
        label_details: false,
        performance_details: false,
        embeddings: false,
      },
      filters: {},
    });
  });

  it('normalizes filters to UTC milliseconds and stored statuses', () => {
    const { filters } = parseExportRequest({
      filters: {
        last_activity_at: ['2024-03-01', '2024-03-01'],
        label_created_at: ['2024-03-01T10:00:00+05:30', null],
        batch_ids: ['b', 'b'],
        workflow_status: 'InReview',
      },
    });
    expect(filters).toEqual({
      lastActivityAt: [Date.parse('2024-03-01T00:00:00Z'), Date.parse('2024-03-01T23:59:59.999Z')],
      labelCreatedAt: [Date.parse('2024-03-01T04:30:00Z'), null],
      batchIds: ['b'],
      workflowStatus: 'IN_REVIEW',
    });
  });

  it('a bound with a fraction of a second is that exact instant (tasks store bounds this way)', () => {
    const { filters } = parseExportRequest({
      filters: { last_activity_at: ['2024-01-01T10:00:00.000Z', '2024-01-01T10:00:00.000Z'] },
    });
    expect(filters.lastActivityAt).toEqual([
      Date.parse('2024-01-01T10:00:00Z'),
      Date.parse('2024-01-01T10:00:00Z'),
    ]);
    // Without a fraction an end bound covers its whole second.
    const whole = parseExportRequest({ filters: { last_activity_at: [null, '2024-01-01T10:00:00Z'] } });
    expect(whole.filters.lastActivityAt).toEqual([null, Date.parse('2024-01-01T10:00:00.999Z')]);
  });

  it('follows daylight saving time in a zone', () => {
    // Paris moves from +01:00 to +02:00 on 2024-03-31: that day has 23 hours.
    const { filters } = parseExportRequest({
      filters: { last_activity_at: ['2024-03-31', '2024-03-31'] },
      timezone: 'Europe/Paris',
    });
    expect(filters.lastActivityAt).toEqual([
      Date.parse('2024-03-30T23:00:00Z'),
      Date.parse('2024-03-31T21:59:59.999Z'),
    ]);
  });

  it('SDK messages for ids', () => {
    expect(fails({ filters: { data_row_ids: ['a'], global_keys: ['b'] } })).toBe(
      'data_rows and global_keys cannot both be present in export filters',
    );
    expect(fails({ filters: { data_row_ids: [] } })).toBe('data_row_id filter expects a non-empty list.');
    expect(fails({ filters: { global_keys: [] } })).toBe('global_key filter expects a non-empty list.');
    expect(fails({ filters: { batch_ids: [] } })).toBe('batch filter expects a non-empty list.');
    const many = Array.from({ length: 2001 }, (_, i) => `id-${i}`);
    expect(fails({ filters: { data_row_ids: many } })).toBe(
      'data_row_id filter only supports a max of 2000 items.',
    );
    expect(fails({ filters: { global_keys: many } })).toBe(
      'global_key filter only supports a max of 2000 items.',
    );
    expect(fails({ filters: { batch_ids: many } })).toBe('batch filter only supports a max of 2000 items.');
    expect(
      parseExportRequest({ filters: { data_row_ids: many.slice(0, 2000) } }).filters.dataRowIds,
    ).toHaveLength(2000);
    expect(fails({ filters: { data_row_ids: 'abc' } })).toBe('data_row_id filter expects a list.');
    expect(fails({ filters: { batch_ids: [1] } })).toBe('batch filter expects a list of strings.');
  });

  it('SDK message for each invalid date form', () => {
    for (const value of [
      '2024-13-45',
      '2024-02-30',
      'yesterday',
      '2024-01-01T10:00:00',
      '2024-01-01 10:00:00Z',
      '2024-01-01 10:00:00.5',
      '2024-01-01 25:00:00',
      '2024/01/01',
      ' 2024-01-01',
      '',
    ]) {
      expect(fails({ filters: { last_activity_at: [value, null] } })).toBe(
        `Incorrect format for: ${value}. ${FORMAT}`,
      );
      expect(fails({ filters: { label_created_at: [null, value] } })).toBe(
        `Incorrect format for: ${value}. ${FORMAT}`,
      );
    }
    expect(fails({ filters: { last_activity_at: [1700000000000, null] } })).toBe(
      `Incorrect format for: 1700000000000. ${FORMAT}`,
    );
    expect(fails({ filters: { last_activity_at: '2024-01-01' } })).toBe(
      'last_activity_at filter expects a list of two dates [start, end]; either may be null',
    );
    expect(fails({ filters: { label_created_at: ['2024-01-01'] } })).toBe(
      'label_created_at filter expects a list of two dates [start, end]; either may be null',
    );
  });

  it('a reversed range is an error', () => {
    expect(fails({ filters: { last_activity_at: ['2024-01-02', '2024-01-01'] } })).toBe(
      'the range starts after it ends: ["2024-01-02", "2024-01-01"]',
    );
    expect(
      fails({ filters: { label_created_at: ['2024-01-01T10:00:00Z', '2024-01-01T11:00:00+02:00'] } }),
    ).toMatch(/^the range starts after it ends/);
    // The same day as both bounds is a whole day, not a reversed range.
    expect(
      parseExportRequest({ filters: { label_created_at: ['2024-01-01', '2024-01-01'] } }).filters
        .labelCreatedAt,
    ).toEqual([Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-01T23:59:59.999Z')]);
  });

  it('workflow_status messages', () => {
    expect(fails({ filters: { workflow_status: 'Nope' } })).toBe(
      "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'. prefer also accepts 'ToLabel'.",
    );
    expect(fails({ filters: { workflow_status: 'done' } })).toBe(
      "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'. prefer also accepts 'ToLabel'.",
    );
    expect(fails({ filters: { workflow_status: 3 } })).toBe('`workflow_status` filter expects a string.');
  });

  it("keeps the Labelbox SDK's exact text first (users search for it) and adds prefer's correction", () => {
    // docs/labelbox-compat.md section 3 quotes the SDK; prefer appends, never rewrites.
    const sdkDate =
      'Incorrect format for: 2024-1-1. Format must be "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" or ISO 8061 format "YYYY-MM-DDThh:mm:ss±hhmm"';
    const date = fails({ filters: { label_created_at: ['2024-1-1', null] } });
    expect(date.startsWith(sdkDate)).toBe(true);
    expect(date.slice(sdkDate.length)).toMatch(/ISO 8601/);
    const sdkStatus = "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'.";
    const status = fails({ filters: { workflow_status: 'Labeled' } });
    expect(status.startsWith(sdkStatus)).toBe(true);
    expect(status.slice(sdkStatus.length)).toMatch(/'ToLabel'/);
    // ...and what the correction claims is true.
    expect(parseExportRequest({ filters: { workflow_status: 'ToLabel' } }).filters.workflowStatus).toBe(
      'TO_LABEL',
    );
    expect(
      parseExportRequest({ filters: { label_created_at: ['2024-01-01T00:00:00.5Z', null] } }).filters
        .labelCreatedAt?.[0],
    ).toBe(Date.parse('2024-01-01T00:00:00.500Z'));
  });

  it('unknown params and filters are errors naming the valid keys', () => {
    expect(fails({ params: { atachments: true } })).toBe(
      'unknown export param "atachments"; valid params are: attachments, metadata_fields, data_row_details, project_details, label_details, performance_details, embeddings',
    );
    expect(fails({ filters: { workflow_status: 'Done', 'created_at) UNION SELECT': 1 } })).toBe(
      'unknown export filter "created_at) UNION SELECT"; valid filters are: last_activity_at, label_created_at, data_row_ids, global_keys, batch_ids, workflow_status',
    );
    expect(fails({ filters: JSON.parse('{"__proto__": {"x": 1}}') })).toMatch(
      /^unknown export filter "__proto__"/,
    );
    expect(fails({ params: { attachments: 'yes' } })).toBe('param attachments must be true or false');
    expect(fails({ params: [] })).toBe('params must be an object');
    expect(fails({ filters: 'all' })).toBe('filters must be an object');
  });

  it('an unknown timezone is an error', () => {
    expect(fails({ timezone: 'Mars/Olympus' })).toBe(
      'unknown timezone "Mars/Olympus"; use an IANA name such as Europe/Paris',
    );
  });
});
