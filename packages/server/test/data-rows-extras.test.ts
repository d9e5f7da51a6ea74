/** Metadata, attachments and embeddings of imported data rows. */
import { expect, it } from 'vitest';
import { freshDataset, ndjson, runImport, spec, writtenCounts } from './data-rows-helpers.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('data row import extras', (ctx) => {
  it('stores attachments in order, metadata by name and by schema id, embeddings with their dimensions', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    await ctx.store.db
      .insertInto('metadata_schemas')
      .values([
        { id: `n-${actor.orgId}`, org_id: actor.orgId, name: 'score', kind: 'number', options: null },
        { id: `d-${actor.orgId}`, org_id: actor.orgId, name: 'when', kind: 'datetime', options: null },
        {
          id: `e-${actor.orgId}`,
          org_id: actor.orgId,
          name: 'split',
          kind: 'enum',
          options: JSON.stringify([
            { id: 'opt-train', name: 'train' },
            { id: 'opt-test', name: 'test' },
          ]),
        },
      ])
      .execute();
    const content = ndjson(
      spec('x-1', {
        attachments: [
          { type: 'RAW_TEXT', value: 'context notes', name: 'notes' },
          { type: 'IMAGE', value: 'https://x.io/i.png' },
        ],
        metadata_fields: [
          { name: 'source', value: 'crawl' },
          { schema_id: `n-${actor.orgId}`, value: 4.5 },
          { name: 'when', value: '2024-01-31T13:00:00+01:00' },
          { name: 'split', value: 'test' },
        ],
        embeddings: [{ name: 'clip', vector: [0.5, -1, 2e-3] }],
      }),
      spec('x-2', {
        metadata_fields: [{ name: 'source', value: 'human' }],
        embeddings: [{ name: 'clip', vector: [1, 2, 3] }],
      }),
    );
    const result = await runImport(ctx.store, actor, datasetId, content);
    expect(result).toEqual({ ok: true, counts: { dataRows: 2, attachments: 2, metadata: 5, embeddings: 2 } });

    const row = await ctx.store.db
      .selectFrom('data_rows')
      .where('global_key', '=', 'x-1')
      .where('org_id', '=', actor.orgId)
      .select('id')
      .executeTakeFirstOrThrow();
    const attachments = await ctx.store.db
      .selectFrom('attachments')
      .where('data_row_id', '=', row.id)
      .selectAll()
      .orderBy('position')
      .execute();
    expect(attachments.map((a) => [a.type, a.value, a.name, a.position])).toEqual([
      ['RAW_TEXT', 'context notes', 'notes', 0],
      ['IMAGE', 'https://x.io/i.png', null, 1],
    ]);
    const values = await ctx.store.db
      .selectFrom('metadata_values as v')
      .innerJoin('metadata_schemas as s', 's.id', 'v.schema_id')
      .where('v.data_row_id', '=', row.id)
      .select(['s.name', 's.kind', 'v.value', 'v.position'])
      .orderBy('v.position')
      .execute();
    expect(values).toEqual([
      { name: 'source', kind: 'string', value: 'crawl', position: 0 },
      { name: 'score', kind: 'number', value: '4.5', position: 1 },
      { name: 'when', kind: 'datetime', value: '2024-01-31T12:00:00.000Z', position: 2 },
      { name: 'split', kind: 'enum', value: 'opt-test', position: 3 },
    ]);
    const embeddings = await ctx.store.db
      .selectFrom('embeddings')
      .where('org_id', '=', actor.orgId)
      .selectAll()
      .execute();
    expect(embeddings).toMatchObject([{ name: 'clip', dimensions: 3, is_custom: 1 }]);
    const vector = await ctx.store.db
      .selectFrom('embedding_vectors')
      .where('data_row_id', '=', row.id)
      .select('vector')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(vector.vector)).toEqual([0.5, -1, 2e-3]);
    expect((await writtenCounts(ctx.store, actor.orgId)).metadataSchemas).toBe(4);
  });

  it('rejects values that do not fit the field, unknown schema ids and mismatched vectors, writing nothing', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    await ctx.store.db
      .insertInto('metadata_schemas')
      .values([
        { id: `n2-${actor.orgId}`, org_id: actor.orgId, name: 'score', kind: 'number', options: null },
        { id: `d2-${actor.orgId}`, org_id: actor.orgId, name: 'when', kind: 'datetime', options: null },
        {
          id: `e2-${actor.orgId}`,
          org_id: actor.orgId,
          name: 'split',
          kind: 'enum',
          options: '[{"id":"o1","name":"train"}]',
        },
      ])
      .execute();
    const before = await writtenCounts(ctx.store, actor.orgId);
    const content = ndjson(
      spec('y-1', {
        metadata_fields: [{ name: 'score', value: 'high' }],
        embeddings: [{ name: 'e', vector: [1, 2] }],
      }),
      spec('y-2', { metadata_fields: [{ name: 'when', value: 'yesterday' }] }),
      spec('y-3', { metadata_fields: [{ name: 'split', value: 'dev' }] }),
      spec('y-4', { metadata_fields: [{ schema_id: 'nope', value: 'x' }] }),
      spec('y-5', { embeddings: [{ name: 'e', vector: [1, 2, 3] }] }),
      spec('y-6', {
        metadata_fields: [
          { name: 'new-field', value: 'a' },
          { name: 'new-field', value: 'b' },
        ],
      }),
      spec('y-7', { metadata_fields: [{ name: 'fresh', value: 3 }] }),
      spec('y-8', { attachments: [{ type: 'AUDIO', value: 'x' }] }),
      spec('y-9', { metadata_fields: [{ name: 'a', schema_id: 'b', value: 'x' }] }),
    );
    const result = await runImport(ctx.store, actor, datasetId, content);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        line: 1,
        path: '$.metadata_fields[0].value',
        message: 'metadata field "score" is a number field: value must be a number',
      },
      {
        line: 2,
        path: '$.metadata_fields[0].value',
        message: expect.stringMatching(/"when" is a datetime field: value must be an ISO-8601 time/),
      },
      {
        line: 3,
        path: '$.metadata_fields[0].value',
        message: 'metadata field "split" is an enum field: value must be one of "train"',
      },
      { line: 4, path: '$.metadata_fields[0].schema_id', message: 'metadata schema nope not found' },
      { line: 5, path: '$.embeddings[0].vector', message: 'vector has 3 dimensions; embedding "e" has 2' },
      {
        line: 6,
        path: '$.metadata_fields[1]',
        message: 'the same metadata field is given twice for this data row',
      },
      {
        line: 7,
        path: '$.metadata_fields[0].value',
        message: 'metadata field "fresh" is a string field: value must be a string',
      },
      { line: 8, path: '$.attachments[0].type', message: expect.stringMatching(/IMAGE.*CAMERA_IMAGE/) },
      { line: 9, path: '$.metadata_fields[0]', message: 'give exactly one of schema_id or name' },
    ]);
    // Schemas and embeddings created on the way were rolled back with the rows.
    expect(await writtenCounts(ctx.store, actor.orgId)).toEqual(before);
  });

  it("never resolves another organization's metadata schema", async () => {
    const other = await freshDataset(ctx.store);
    await ctx.store.db
      .insertInto('metadata_schemas')
      .values({
        id: `theirs-${other.actor.orgId}`,
        org_id: other.actor.orgId,
        name: 'secret',
        kind: 'string',
        options: null,
      })
      .execute();
    const { actor, datasetId } = await freshDataset(ctx.store);
    const result = await runImport(
      ctx.store,
      actor,
      datasetId,
      ndjson(spec('z', { metadata_fields: [{ schema_id: `theirs-${other.actor.orgId}`, value: 'x' }] })),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { line: 1, path: '$.metadata_fields[0].schema_id', message: expect.stringMatching(/not found/) },
      ],
    });
  });
});
