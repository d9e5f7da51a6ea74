/**
 * Page rows through binary COPY (exports/v2/copy-rows.ts): the parser against hand-built COPY
 * bytes, the values written into the statement, and on PostgreSQL a real COPY in a snapshot:
 * the ready text comes back as exactly its UTF-8 bytes, on the snapshot's own connection.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inlineParameters, parseBinaryCopy, rowReader } from '../src/exports/v2/copy-rows.ts';
import type { RowColumns } from '../src/exports/v2/export-plan.base.ts';
import { describeBackends } from './support/backends.ts';

/** Binary COPY bytes of `rows` (each field a Buffer, or null), with a header extension of `ext` bytes. */
function copyBytes(rows: (Buffer | null)[][], ext = 0): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const int16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  };
  parts.push(int32(0), int32(ext), Buffer.alloc(ext, 7));
  for (const row of rows) {
    parts.push(int16(row.length));
    for (const f of row) parts.push(f === null ? int32(-1) : Buffer.concat([int32(f.length), f]));
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

const int8 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

describe('parseBinaryCopy', () => {
  const fields = [
    { name: 'data_row_id', kind: 'text' },
    { name: 'last_activity_at', kind: 'int8' },
    { name: 'x_head', kind: 'bytes' },
    { name: 'x_media', kind: 'bytes' },
  ] as const;

  it('decodes the small columns and keeps the text as its bytes, NULL as null', () => {
    const head = Buffer.from('{"data_row":{"id":"é\\\\n\\"q\\"","row_data":"😀"', 'utf8');
    const bytes = copyBytes(
      [
        [Buffer.from('row-é'), int8(1_700_000_000_123), head, null],
        [Buffer.from('row-2'), int8(5), Buffer.alloc(0), Buffer.from('m')],
      ],
      3,
    );
    const rows = parseBinaryCopy([bytes], fields);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.data_row_id).toBe('row-é');
    expect(rows[0]!.last_activity_at).toBe(1_700_000_000_123);
    expect(Buffer.isBuffer(rows[0]!.x_head)).toBe(true);
    expect((rows[0]!.x_head as Buffer).equals(head)).toBe(true);
    expect(rows[0]!.x_media).toBeNull();
    expect((rows[1]!.x_head as Buffer).length).toBe(0);
    expect((rows[1]!.x_media as Buffer).toString()).toBe('m');
  });

  it('answers the same rows however the bytes are cut into chunks', () => {
    const bytes = copyBytes(
      [
        [Buffer.from('row-é'), int8(1_700_000_000_123), Buffer.from('{"a":"😀\\"}'), null],
        [Buffer.from('row-2'), int8(5), Buffer.alloc(0), Buffer.from('media')],
      ],
      2,
    );
    const plain = (rows: ReturnType<typeof parseBinaryCopy>) =>
      rows.map((r) =>
        Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) ? `bytes:${v.toString('hex')}` : v]),
      );
    const whole = plain(parseBinaryCopy([bytes], fields));
    expect(whole).toHaveLength(2);
    for (let a = 0; a <= bytes.length; a++) {
      const b = Math.min(bytes.length, a + 3);
      const cut = [bytes.subarray(0, a), bytes.subarray(a, b), Buffer.alloc(0), bytes.subarray(b)];
      expect(plain(parseBinaryCopy(cut, fields))).toEqual(whole);
    }
  });

  it('answers no rows for a COPY of none', () => {
    expect(parseBinaryCopy([copyBytes([])], fields)).toEqual([]);
  });

  it('refuses bytes that are not binary COPY, or rows of another width', () => {
    expect(() => parseBinaryCopy([Buffer.from('data_row_id\tx_head\n'.repeat(3))], fields)).toThrow(
      'no binary COPY header',
    );
    expect(() => parseBinaryCopy([copyBytes([[Buffer.from('a')]])], fields)).toThrow(
      'a row of 1 fields, expected 4',
    );
    const whole = copyBytes([[Buffer.from('a'), int8(1), Buffer.from('h'), null]]);
    expect(() => parseBinaryCopy([whole.subarray(0, whole.length - 6)], fields)).toThrow(
      'the data ended inside a row',
    );
  });
});

describe('inlineParameters', () => {
  it('writes strings as escaped literals and numbers as they are', () => {
    const out = inlineParameters('select 1 where a = $1 and b in ($2, $3) and c >= $4 limit $10', [
      "it's",
      'back\\slash',
      'plain',
      -5,
      0,
      0,
      0,
      0,
      0,
      250,
    ]);
    expect(out).toBe(
      "select 1 where a = 'it''s' and b in ( E'back\\\\slash', 'plain') and c >= (-5) limit 250",
    );
  });

  it('refuses a value it cannot write', () => {
    expect(() => inlineParameters('select $1', [{ a: 1 }])).toThrow('parameter $1');
    expect(() => inlineParameters('select $1', [Number.NaN])).toThrow('parameter $1');
  });
});

describeBackends('page rows through COPY', (ctx) => {
  const columns = [
    'pdr.data_row_id',
    'dr.last_activity_at',
    'pdr.x_head',
    'pdr.x_media',
  ] as unknown as RowColumns;
  const text = 'a \\ backslash, a \'quote\', a "double", a tab\t, a newline\n, é, 😀';

  it('reads the ready text as exactly its UTF-8 bytes, and the other columns as values', async () => {
    const rows = await ctx.store.snapshot(async (db, reader) => {
      expect(reader.copyOut === undefined).toBe(ctx.backend === 'sqlite');
      const { select, read } = rowReader(reader, columns);
      // The page's tables, as one-row subqueries under their aliases.
      const pdr = sql`(select
          cast(${"id-1 it's \\ $1 $2 é"} as text) as data_row_id,
          cast(${text} as text) as x_head,
          cast(null as text) as x_media)`;
      const dr = sql`(select cast(${1_700_000_000_123} as bigint) as last_activity_at)`;
      // A value that looks like a placeholder or a quote stays a value.
      return read(db.selectFrom([pdr.as('pdr'), dr.as('dr')] as never).select(select as never));
    });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.data_row_id).toBe("id-1 it's \\ $1 $2 é");
    expect(row.last_activity_at).toBe(1_700_000_000_123);
    expect(row.x_media).toBeNull();
    expect(Buffer.isBuffer(row.x_head)).toBe(true);
    expect((row.x_head as Buffer).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('cuts the fragments of a row apart on SQLite: lengths in bytes, NULL kept apart from empty', async () => {
    if (ctx.backend !== 'sqlite') return; // PostgreSQL reads each column through COPY (above).
    const all = [
      'pdr.data_row_id',
      'pdr.x_head',
      'pdr.x_media',
      'pdr.x_labels',
      'pdr.x_history',
    ] as unknown as RowColumns;
    const rows = await ctx.store.snapshot(async (db, reader) => {
      const { select, read } = rowReader(reader, all);
      const pdr = sql`(select 'r1' as data_row_id, 'é😀' as x_head, '' as x_media, null as x_labels, 'h' as x_history
        union all select 'r2', null, 'm', 'l', null)`;
      return read(db.selectFrom(pdr.as('pdr') as never).select(select as never));
    });
    const text = (v: unknown) => (v === null ? null : (v as Buffer).toString('utf8'));
    expect(
      rows.map((r) => [r.data_row_id, text(r.x_head), text(r.x_media), text(r.x_labels), text(r.x_history)]),
    ).toEqual([
      ['r1', 'é😀', '', null, 'h'],
      ['r2', null, 'm', 'l', null],
    ]);
  });

  it('runs COPY on the snapshot connection, inside its repeatable read transaction', async () => {
    if (ctx.backend !== 'postgres') return;
    const [viaQuery, viaCopy] = await ctx.store.snapshot(async (db, reader) => {
      const q = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      const { read } = rowReader(reader, ['pdr.data_row_id', 'pdr.x_head'] as unknown as RowColumns);
      const rows = await read(
        db.selectNoFrom([
          sql<string>`current_setting('transaction_isolation')`.as('data_row_id'),
          sql<string>`cast(pg_backend_pid() as text)`.as('x_head'),
        ]),
      );
      return [q.rows[0]!.pid, rows[0]!] as const;
    });
    expect(viaCopy.data_row_id).toBe('repeatable read');
    expect((viaCopy.x_head as Buffer).toString()).toBe(String(viaQuery));
  });
});
