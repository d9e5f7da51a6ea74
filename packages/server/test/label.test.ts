import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importLabels } from '../src/labels/label.import.ts';
import { ID_PATTERN } from '../src/shared/ids.ts';
import { describeBackends } from './support/backends.ts';
import { type LabelProject, labelProject, maskIds, ndjson, SAMPLE_IDS } from './support/seed-rows.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

describeBackends('label import', (ctx) => {
  const labelsOf = (projectId: string) =>
    ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', projectId)
      .selectAll()
      .orderBy('data_row_id')
      .execute();

  const importOk = async (p: LabelProject, lines: unknown[], asEmail = p.rater) => {
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail,
      input: ndjson(lines),
    });
    if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.errors)}`);
    return result.counts;
  };

  /** The stored classifications of the only label of a row, as JSON text. */
  const storedClassifications = async (p: LabelProject, rowId: string) => {
    const labels = (await labelsOf(p.projectId)).filter((l) => l.data_row_id === rowId);
    expect(labels).toHaveLength(1);
    return (JSON.parse(labels[0]!.annotations) as { classifications: unknown[] }).classifications;
  };

  it('stores the sample row annotations exactly (golden, key order included)', async () => {
    const p = await labelProject(ctx.store, 1);
    const dataRow = { id: p.rows[0]!.id };
    const counts = await importOk(p, [
      {
        uuid: 'clpiybl7h000g3b6mil1amjme',
        dataRow,
        name: 'Choose the best response',
        answer: { name: 'Response B' },
      },
      {
        uuid: 'clpiybzp3000h3b6m9uowaci4',
        dataRow,
        schemaId: SAMPLE_IDS.reason,
        answer: 'Direct approach that is convenient',
      },
      {
        uuid: 'clpiyc10q000j3b6m01i2d1pv',
        dataRow,
        name: 'Evaluations done',
        answer: [{ name: 'Relevance' }, { name: 'Usefulness' }],
      },
    ]);
    expect(counts).toEqual({ labels: 1, annotations: 3, skipped: 0 });
    const [label] = await labelsOf(p.projectId);
    const sample = JSON.parse(fixture('seed-sample-export-row.json'));
    const expected = Object.values(
      sample.projects as Record<string, { labels: { annotations: unknown }[] }>,
    )[0]!.labels[0]!.annotations;
    expect(maskIds(label!.annotations)).toBe(maskIds(JSON.stringify(expected)));
    // The line uuids became the feature ids; answers got fresh ones.
    expect(
      label!.annotations.startsWith(
        '{"objects":[],"classifications":[{"feature_id":"clpiybl7h000g3b6mil1amjme"',
      ),
    ).toBe(true);
  });

  it('matches the seed page shapes of radio, text and checklist answers', async () => {
    const p = await labelProject(ctx.store, 1);
    const dataRow = { globalKey: p.rows[0]!.globalKey! };
    await importOk(p, [
      { dataRow, name: 'Choose the best response', answer: { name: 'Response B' } },
      { dataRow, name: 'Provide a reason for your choice', answer: 'Clear recommendation' },
      { dataRow, name: 'Evaluations done', answers: [{ name: 'Usefulness' }, { name: 'Toxicity' }] },
    ]);
    const stored = await storedClassifications(p, p.rows[0]!.id);
    const both = ['feature_id', 'feature_schema_id'];
    const golden = ['radio', 'text', 'checklist'].map((t) =>
      maskIds(JSON.stringify(JSON.parse(fixture(`seed-classification-${t}.json`))), both),
    );
    expect(stored.map((c) => maskIds(JSON.stringify(c), both))).toEqual(golden);
    for (const id of JSON.stringify(stored).match(/"feature_id":"[^"]*"/g)!)
      expect(id.slice(14, -1)).toMatch(ID_PATTERN);
  });

  it('renders nested answers recursively, by name, label or schemaId', async () => {
    const p = await labelProject(ctx.store, 1);
    const dataRow = { id: p.rows[0]!.id };
    await importOk(p, [
      {
        dataRow,
        name: 'Choose the best response',
        answer: {
          name: 'Response A',
          classifications: [
            {
              name: 'Confidence',
              answer: { name: 'High', classifications: [{ name: 'Why sure', answer: 'obvious' }] },
            },
          ],
        },
      },
      {
        dataRow,
        name: 'Evaluations done',
        answer: [{ name: 'Toxicity', classifications: [{ name: 'Kinds', answers: [{ name: 'threat' }] }] }],
      },
    ]);
    const [radio, checklist] = (await storedClassifications(p, p.rows[0]!.id)) as Record<string, unknown>[];
    const masked = maskIds(maskIds(JSON.stringify(radio)), ['feature_schema_id']);
    expect(masked).toBe(
      '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Choose the best response","radio_answer":{"feature_id":"<id>","feature_schema_id":"<id>","name":"Response A","classifications":[' +
        '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Confidence","radio_answer":{"feature_id":"<id>","feature_schema_id":"<id>","name":"High","classifications":[' +
        '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Why sure","text_answer":{"content":"obvious"}}]}}]}}',
    );
    expect(maskIds(maskIds(JSON.stringify(checklist)), ['feature_schema_id'])).toBe(
      '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Evaluations done","checklist_answers":[{"feature_id":"<id>","name":"Toxicity","classifications":[' +
        '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Kinds","checklist_answers":[{"feature_id":"<id>","name":"threat","classifications":[]}]}]}]}',
    );
  });

  it('renders message-scoped answers with message_id and conversational keys', async () => {
    const p = await labelProject(ctx.store, 1);
    const dataRow = { id: p.rows[0]!.id };
    await importOk(p, [
      { dataRow, name: 'Message quality', messageId: 'm2', answer: { name: 'bad' } },
      { dataRow, name: 'Message quality', messageId: 'm3', answer: { name: 'Bad answer' } },
      { dataRow, name: 'Message issues', messageId: 'm2', answers: [{ name: 'long' }] },
      { dataRow, name: 'Message note', messageId: 'm3', answer: 'too long' },
    ]);
    const stored = (await storedClassifications(p, p.rows[0]!.id)).map((c) =>
      maskIds(maskIds(JSON.stringify(c)), ['feature_schema_id']),
    );
    const head = (name: string, m: string) =>
      `{"feature_id":"<id>","feature_schema_id":"<id>","name":"${name}","message_id":"${m}",`;
    expect(stored).toEqual([
      `${head('Message quality', 'm2')}"conversational_radio_answer":{"feature_id":"<id>","feature_schema_id":"<id>","name":"Bad answer","classifications":[]}}`,
      `${head('Message quality', 'm3')}"conversational_radio_answer":{"feature_id":"<id>","feature_schema_id":"<id>","name":"Bad answer","classifications":[]}}`,
      `${head('Message issues', 'm2')}"conversational_checklist_answers":[{"feature_id":"<id>","name":"long","classifications":[]}]}`,
      `${head('Message note', 'm3')}"conversational_text_answer":{"content":"too long"}}`,
    ]);
  });

  it('groups the lines of each data row into one label, in file order, whatever the line order', async () => {
    const p = await labelProject(ctx.store, 3);
    const [a, b, c] = p.rows;
    await ctx.store.db
      .updateTable('data_rows')
      .set({ last_activity_at: 1 })
      .where(
        'id',
        'in',
        p.rows.map((r) => r.id),
      )
      .execute();
    const before = Date.now();
    const counts = await importOk(
      p,
      [
        { dataRow: { id: b!.id }, name: 'Provide a reason for your choice', answer: 'b first' },
        { dataRow: { id: a!.id }, name: 'Choose the best response', answer: { name: 'Tie' } },
        {
          dataRow: { globalKey: b!.globalKey!.toUpperCase() },
          name: 'Choose the best response',
          answer: { name: 'Tie' },
        },
        { dataRow: { id: a!.id }, name: 'Provide a reason for your choice', answer: 'a second' },
      ],
      `New.${p.rater.toUpperCase()}`,
    );
    expect(counts).toEqual({ labels: 2, annotations: 4, skipped: 0 });
    const labels = await labelsOf(p.projectId);
    expect(labels.map((l) => l.data_row_id).sort()).toEqual([a!.id, b!.id].sort());
    const user = await ctx.store.db
      .selectFrom('users')
      .where('email_lower', '=', `new.${p.rater}`)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(user.org_id).toBe(p.actor.orgId);
    for (const l of labels) {
      expect(l).toMatchObject({
        org_id: p.actor.orgId,
        created_by: user.id,
        label_kind: 'Default',
        version: '1.0.0',
        skipped: 0,
        seconds_to_create: null,
        seconds_to_review: null,
        consensus_score: null,
      });
      expect(l.id).toMatch(ID_PATTERN);
      expect(l.created_at).toBeGreaterThanOrEqual(before);
      expect(l.updated_at).toBe(l.created_at);
      expect(l.content_last_updated_at).toBe(l.created_at);
    }
    const names = (rowId: string) =>
      (
        JSON.parse(labels.find((l) => l.data_row_id === rowId)!.annotations).classifications as {
          name: string;
        }[]
      ).map((x) => x.name);
    expect(names(b!.id)).toEqual(['Provide a reason for your choice', 'Choose the best response']);
    expect(names(a!.id)).toEqual(['Choose the best response', 'Provide a reason for your choice']);
    const activity = await ctx.store.db
      .selectFrom('data_rows')
      .where(
        'id',
        'in',
        p.rows.map((r) => r.id),
      )
      .select(['id', 'last_activity_at'])
      .execute();
    for (const r of activity) {
      if (r.id === c!.id) expect(r.last_activity_at).toBe(1);
      else expect(r.last_activity_at).toBeGreaterThanOrEqual(before);
    }
  });

  it('reads a file path and a JSON array too; an empty file makes no labels', async () => {
    const p = await labelProject(ctx.store, 1);
    const path = join(ctx.dir, 'labels.json');
    writeFileSync(
      path,
      JSON.stringify([
        { dataRow: { id: p.rows[0]!.id }, name: 'Choose the best response', answer: { name: 'Tie' } },
      ]),
    );
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: path,
    });
    expect(result).toEqual({ ok: true, counts: { labels: 1, annotations: 1, skipped: 0 } });
    expect(await importOk(p, [])).toEqual({ labels: 0, annotations: 0, skipped: 0 });
  });

  it('lists every fault with line and path and stores nothing', async () => {
    const p = await labelProject(ctx.store, 2);
    const [a, b] = p.rows;
    const row = { id: a!.id };
    const lines: unknown[] = [
      { dataRow: row, name: 'Choose the best response', answer: { name: 'Tie' } },
      { dataRow: row, name: 'Nope', answer: 'x' },
      { dataRow: row, schemaId: 'cxxxxxxxxxxxxxxxxxxxxxxxx', answer: 'x' },
      { dataRow: { id: b!.id }, name: 'Choose the best response', answer: [{ name: 'Tie' }] },
      { dataRow: { id: b!.id }, name: 'Choose the best response', answers: [{ name: 'Tie' }] },
      { dataRow: { id: b!.id }, name: 'Evaluations done', answer: { name: 'Relevance' } },
      { dataRow: { id: b!.id }, name: 'Provide a reason for your choice', answer: { name: 'x' } },
      { dataRow: { id: b!.id }, name: 'Evaluations done', answer: [{ name: 'Honesty' }] },
      {
        dataRow: { id: b!.id },
        name: 'Message quality',
        messageId: 'm2',
        answer: { name: 'good', classifications: [{ name: 'Confidence', answer: { name: 'High' } }] },
      },
      { dataRow: row, name: 'Provide a reason for your choice', messageId: 'm2', answer: 'x' },
      { dataRow: row, name: 'Message note', answer: 'x' },
      { dataRow: row, name: 'Message note', messageId: 'm1', answer: 'x' },
      { dataRow: { id: 'cnope0000000000000000000' }, name: 'Message note', messageId: 'm2', answer: 'x' },
      { dataRow: { globalKey: 'no-such-key' }, name: 'Message note', messageId: 'm2', answer: 'x' },
      { dataRow: { id: p.outside.id }, name: 'Message note', messageId: 'm2', answer: 'x' },
      '{"dataRow": {"id": "x"}, "name": ',
      { dataRow: row, name: 'Message note', messageId: 'm2', answer: 'x', extra: 1 },
      {
        dataRow: row,
        name: 'Choose the best response',
        answer: { name: 'Response A', classifications: [{ name: 'Confidence', answer: { name: 'Medium' } }] },
      },
      { dataRow: row, name: 'Choose the best response', answer: { name: 'Tie' } },
    ];
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson(lines),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const got = result.errors.map((f) => [f.line, f.path]);
    expect(got).toEqual([
      [2, '$.name'],
      [3, '$.schemaId'],
      [4, '$.answer'],
      [5, '$.answers'],
      [6, '$.answer'],
      [7, '$.answer'],
      [8, '$.answer[0].name'],
      [9, '$.answer.classifications[0].name'],
      [10, '$.messageId'],
      [11, '$.messageId'],
      [12, '$.messageId'],
      [13, '$.dataRow.id'],
      [14, '$.dataRow.globalKey'],
      [15, '$.dataRow'],
      [16, '$.name'],
      [17, '$.extra'],
      [18, '$.answer.classifications[0].answer.name'],
      // Found after the whole file is staged: line 1 and line 19 answer the same question.
      [19, '$.name'],
    ]);
    expect(result.errorCount).toBe(18);
    expect(result.errors[10]!.message).toMatch(/not labelable/);
    expect(result.errors[13]!.message).toMatch(/not in the project/);
    expect(result.errors[17]!.message).toMatch(/2 answers to this question \(first at line 1\)/);
    expect(await labelsOf(p.projectId)).toEqual([]);
    const users = await ctx.store.db
      .selectFrom('users')
      .where('email_lower', '=', p.rater)
      .select('id')
      .execute();
    expect(users).toEqual([]);
  });

  it('refuses a uuid used twice and one that is neither a UUID nor a feature id', async () => {
    const p = await labelProject(ctx.store, 1);
    const dataRow = { id: p.rows[0]!.id };
    const uuid = 'clpiybl7h000g3b6mil1amjme';
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson([
        { uuid, dataRow, name: 'Choose the best response', answer: { name: 'Tie' } },
        { uuid: 'not-a-uuid', dataRow, name: 'Message note', messageId: 'm2', answer: 'x' },
        { uuid, dataRow, name: 'Provide a reason for your choice', answer: 'x' },
      ]),
    });
    expect(result.ok ? [] : result.errors.map((f) => [f.line, f.path])).toEqual([
      [2, '$.uuid'],
      [3, '$.uuid'],
    ]);
    const ok = await importOk(p, [
      {
        uuid: '2f0a6c8e-3b7d-4c1e-9a5f-6d2b8e4f1a3c',
        dataRow,
        name: 'Choose the best response',
        answer: { name: 'Tie' },
      },
    ]);
    expect(ok.labels).toBe(1);
  });

  it("answers another organization's project as not found", async () => {
    const p = await labelProject(ctx.store, 1);
    const other = await labelProject(ctx.store, 1);
    await expect(
      importLabels(ctx.store, other.actor, { projectId: p.projectId, asEmail: p.rater, input: ndjson([]) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
