/**
 * What the import makes of the less common shapes: message-scoped and nested answers, a given
 * ontology, rows without details or project details, several rows of one project, enum metadata.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { parseExportRequest } from '../src/exports/request/export.request.ts';
import { runExportV2 } from '../src/exports/v2/export-v2.engine.ts';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { parseIsoWithOffset } from '../src/shared/time.ts';
import {
  fixtureRow,
  ndjson,
  newOrgActor,
  renameIds,
  tableCounts,
  variant,
} from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';
import { expectFresh } from './support/fragments.ts';
import { lineSink } from './support/lines.ts';

const SOME_PARAMS = [
  'attachments',
  'metadata_fields',
  'data_row_details',
  'project_details',
  'label_details',
];
const ALL_PARAMS = [...SOME_PARAMS, 'embeddings', 'performance_details'];
const firstProject = (row: { projects: Record<string, unknown> }) => Object.keys(row.projects)[0]!;

describeBackends('migration: shapes', (ctx) => {
  let actor: Actor;
  beforeAll(async () => {
    actor = await newOrgActor(ctx.store, 'Shapes org');
  });

  async function exportAll(projectId: string, params = SOME_PARAMS): Promise<string[]> {
    const lines: string[] = [];
    const request = parseExportRequest({ params: Object.fromEntries(params.map((p) => [p, true])) });
    await runExportV2(ctx.store, actor, projectId, request, {
      result: lineSink((l) => void lines.push(l)),
      errors: () => {},
    });
    return lines;
  }

  it('rebuilds message-scoped classifications with scope index and nested ones under their option', async () => {
    const row = fixtureRow('migration-message-scoped.json');
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(row) })).ok).toBe(true);
    const ontologyId = row.projects[firstProject(row)]!.project_details!.ontology_id as string;
    const stored = await ctx.store.db
      .selectFrom('ontologies')
      .selectAll()
      .where('id', '=', ontologyId)
      .executeTakeFirstOrThrow();
    const { classifications } = JSON.parse(stored.normalized);
    expect(
      classifications.map((c: { name: string; type: string; scope: string }) => [c.name, c.type, c.scope]),
    ).toEqual([
      ['Choose the best response', 'radio', 'global'],
      ['Is this turn helpful?', 'radio', 'index'],
      ['Turn issues', 'checklist', 'index'],
      ['Turn note', 'text', 'index'],
    ]);
    const [optionA] = classifications[0].options;
    expect(optionA.value).toBe('Response A');
    expect(optionA.options.map((c: { name: string; type: string }) => [c.name, c.type])).toEqual([
      ['Why is A better?', 'checklist'],
      ['Anything else about A?', 'text'],
    ]);
    expect(optionA.options[0].options.map((o: { value: string }) => o.value)).toEqual([
      'Shorter',
      'Answers the question',
    ]);
  });

  it('stores a given ontology as it is and refuses labels naming schemas outside it', async () => {
    const ontology = {
      tools: [],
      classifications: [
        {
          featureSchemaId: 'clpiqh0v104mq0729homqffup',
          type: 'radio',
          name: 'Choose the best response',
          options: [
            { featureSchemaId: 'clpiqh0v104mt0729atflgvvw', value: 'Response B', label: 'Response B' },
            { value: 'Response A', label: 'Response A' },
          ],
        },
        {
          featureSchemaId: 'clpiqh0v104my072907gt7id0',
          type: 'text',
          name: 'Provide a reason for your choice',
        },
      ],
    };
    const before = await tableCounts(ctx.store);
    const refused = await importLabelboxExport(ctx.store, actor, { input: ndjson(variant(30)), ontology });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.errors.map((f) => f.message)).toEqual([
        'feature schema clpiya8h507dx072efo9kb97j is not a question here in the given ontology',
      ]);
    }
    expect(await tableCounts(ctx.store)).toEqual(before);

    ontology.classifications.push({
      featureSchemaId: 'clpiya8h507dx072efo9kb97j',
      type: 'checklist',
      name: 'Evaluations done',
      options: [
        { featureSchemaId: 'cevalrelevance00000000000', value: 'Relevance', label: 'Relevance' },
        { featureSchemaId: 'cevalusefulness0000000000', value: 'Usefulness', label: 'Usefulness' },
      ],
    });
    // An answer that is not an option of its question (checklist answers are matched by name).
    const toxic = renameIds(variant(31), { '"Relevance"': '"Toxicity"' });
    const wrongOption = await importLabelboxExport(ctx.store, actor, { input: ndjson(toxic), ontology });
    expect(wrongOption).toMatchObject({
      ok: false,
      errors: [
        {
          path: `$.projects["${firstProject(toxic)}"].labels[0].annotations.classifications[2].checklist_answers[0]`,
          message: '"Toxicity" is not an option of Evaluations done in the given ontology',
        },
      ],
    });
    const row = renameIds(variant(31), { clpiqh0ud04mp0729adeoccsl: 'cgivenontology00000000001' });
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(row), ontology })).ok).toBe(true);
    const stored = await ctx.store.db
      .selectFrom('ontologies')
      .select('normalized')
      .where('id', '=', 'cgivenontology00000000001')
      .executeTakeFirstOrThrow();
    const normalized = JSON.parse(stored.normalized);
    expect(normalized.classifications[0].options[0].featureSchemaId).toBe('clpiqh0v104mt0729atflgvvw');
    // The option without an id got one; the given ids are kept.
    expect(normalized.classifications[0].options[1].featureSchemaId).toMatch(/^c[0-9a-z]{24}$/);
    expect(normalized.classifications[1]).toEqual({
      featureSchemaId: 'clpiqh0v104my072907gt7id0',
      type: 'text',
      name: 'Provide a reason for your choice',
      instructions: 'Provide a reason for your choice',
      required: false,
      scope: 'global',
      options: [],
    });
    expect(
      normalized.classifications[2].options.map((o: { featureSchemaId: string }) => o.featureSchemaId),
    ).toEqual(['cevalrelevance00000000000', 'cevalusefulness0000000000']);
  });

  it('checks nested and message-scoped answers against a given ontology, and still round-trips', async () => {
    const cid = (s: string) => `c${s.padEnd(24, '0')}`;
    const option = (value: string, id?: string, options: unknown[] = []) => ({
      ...(id ? { featureSchemaId: cid(id) } : {}),
      value,
      options,
    });
    const ontology = {
      classifications: [
        {
          featureSchemaId: cid('schemabest'),
          type: 'radio',
          name: 'Choose the best response',
          options: [
            option('Response A', 'schemabesta', [
              {
                featureSchemaId: cid('schemawhya'),
                type: 'checklist',
                name: 'Why is A better?',
                options: [option('Shorter'), option('Answers the question')],
              },
              { featureSchemaId: cid('schemawhyatext'), type: 'text', name: 'Anything else about A?' },
            ]),
            option('Response B'),
          ],
        },
        {
          featureSchemaId: cid('schematurnok'),
          type: 'radio',
          name: 'Is this turn helpful?',
          scope: 'index',
          options: [option('Yes', 'schematurnyes'), option('No')],
        },
        {
          featureSchemaId: cid('schematurnissues'),
          type: 'checklist',
          name: 'Turn issues',
          scope: 'index',
          options: [option('Ambiguous'), option('Off-topic')],
        },
        { featureSchemaId: cid('schematurnnote'), type: 'text', name: 'Turn note', scope: 'index' },
      ],
    };
    const fixture = fixtureRow('migration-message-scoped.json');
    const row = renameIds(fixture, {
      [fixture.data_row.id as string]: cid('rowmsggiven'),
      [firstProject(fixture)]: cid('projmsggiven'),
      [fixture.projects[firstProject(fixture)]!.labels[0]!.id]: cid('labelmsggiven'),
      [fixture.projects[firstProject(fixture)]!.project_details!.ontology_id as string]: cid('ontmsggiven'),
      'laptops/travel-0001': 'laptops/travel-given',
      '6b1c0a52-0d8e-4f2e-9a57-1d3f0c9a1': '6b1c0a52-0d8e-4f2e-9a57-1d3f0c9a9',
    });
    const expected = JSON.stringify(row);

    // The nested checklist answer of another question is refused, with its full path.
    const wrong = renameIds(row, { '"Shorter"': '"Longer"' });
    const refused = await importLabelboxExport(ctx.store, actor, { input: ndjson(wrong), ontology });
    expect(refused).toMatchObject({
      ok: false,
      errors: [{ message: '"Longer" is not an option of Why is A better? in the given ontology' }],
    });
    if (!refused.ok)
      expect(refused.errors[0]!.path).toMatch(/radio_answer\.classifications\[0\]\.checklist_answers\[0\]$/);

    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(expected), ontology })).ok).toBe(
      true,
    );
    expect(await exportAll(cid('projmsggiven'), ALL_PARAMS)).toEqual([expected]);
  });

  it('puts rows without details in an "Imported from Labelbox" dataset, active at their newest time', async () => {
    const row = variant(32);
    delete row.data_row.details;
    const label = row.projects[firstProject(row)]!.labels[0]!;
    (label.label_details as { created_at: string }).created_at = '2023-11-29T01:00:00.000+00:00';
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(row) })).ok).toBe(true);
    const stored = await ctx.store.db
      .selectFrom('data_rows')
      .selectAll()
      .where('id', '=', row.data_row.id as string)
      .executeTakeFirstOrThrow();
    expect(stored.last_activity_at).toBe(parseIsoWithOffset('2023-11-29T01:00:00.000+00:00'));
    // Created no later than its oldest event (here the label's updated_at).
    expect(stored.created_at).toBe(parseIsoWithOffset('2023-11-28T23:11:07.000+00:00'));
    expect(stored.created_by).toBe(actor.userId);
    const dataset = await ctx.store.db
      .selectFrom('datasets')
      .selectAll()
      .where('id', '=', stored.dataset_id)
      .executeTakeFirstOrThrow();
    expect(dataset).toMatchObject({ name: 'Imported from Labelbox', org_id: actor.orgId });
  });

  it('takes the newest time of a row whose details lack last_activity_at', async () => {
    const row = variant(41);
    delete row.data_row.details!.last_activity_at;
    const review = {
      id: 'creviewlate0000000000000a',
      score: 1,
      created_at: '2023-12-01T08:00:00.500+00:00',
      created_by: 'lead@example.com',
    };
    (row.projects[firstProject(row)]!.labels[0]!.label_details as { reviews: unknown[] }).reviews.push(
      review,
    );
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(row) })).ok).toBe(true);
    const stored = await ctx.store.db
      .selectFrom('data_rows')
      .select('last_activity_at')
      .where('id', '=', row.data_row.id as string)
      .executeTakeFirstOrThrow();
    expect(stored.last_activity_at).toBe(parseIsoWithOffset('2023-12-01T08:00:00.500+00:00'));
  });

  it('gives rows without project_details a batch and the default workflow', async () => {
    const labeled = variant(33);
    const projectId = firstProject(labeled);
    delete labeled.projects[projectId]!.project_details;
    const empty = variant(34);
    empty.projects = { [projectId]: { ...labeled.projects[projectId]!, labels: [] } };
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(labeled, empty) })).ok).toBe(true);
    const members = await ctx.store.db
      .selectFrom('project_data_rows')
      .innerJoin('workflow_tasks', 'workflow_tasks.id', 'project_data_rows.task_id')
      .innerJoin('batches', 'batches.id', 'project_data_rows.batch_id')
      .select(['data_row_id', 'workflow_status', 'workflow_tasks.name as task', 'batches.name as batch'])
      .where('project_data_rows.project_id', '=', projectId)
      .orderBy('workflow_status')
      .execute();
    expect(members.map((m) => [m.workflow_status, m.task, m.batch])).toEqual([
      ['DONE', 'Done', 'Imported from Labelbox'],
      ['TO_LABEL', 'Initial labeling task', 'Imported from Labelbox'],
    ]);
    const tasks = await ctx.store.db
      .selectFrom('workflow_tasks')
      .select('kind')
      .where('project_id', '=', projectId)
      .orderBy('position')
      .execute();
    expect(tasks.map((t) => t.kind)).toEqual(['LABEL', 'REVIEW', 'REWORK', 'DONE']);
  });

  it('makes one project of several lines, and exports every line back identical', async () => {
    const a = variant(35);
    const shared = firstProject(a);
    const ids = (row: typeof a) => {
      const d = row.projects[firstProject(row)]!.project_details!;
      const h = d.workflow_history as { next_task_id: string }[];
      return { p: firstProject(row), b: d.batch_id as string, r: d.task_id as string, l: h[1]!.next_task_id };
    };
    const to = ids(a);
    const rows = [36, 37].map((n) => {
      const from = ids(variant(n));
      return renameIds(variant(n), { [from.p]: to.p, [from.b]: to.b, [from.r]: to.r, [from.l]: to.l });
    });
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(a, ...rows) });
    expect(result).toMatchObject({ ok: true, counts: { dataRows: 3, projects: 1, batches: 1, labels: 3 } });
    const expected = [a, ...rows]
      .sort((x, y) => String(x.data_row.id).localeCompare(String(y.data_row.id)))
      .map((r) => JSON.stringify(r));
    expect(await exportAll(shared)).toEqual(expected);
  });

  it('keeps a consensus count per batch when batches of one project differ', async () => {
    const a = variant(46);
    const to = firstProject(a);
    const from = variant(47);
    const source = firstProject(from);
    const h = (row: typeof a, p: string) =>
      row.projects[p]!.project_details!.workflow_history as { next_task_id: string }[];
    const b = renameIds(from, {
      [source]: to,
      [h(from, source)[0]!.next_task_id]: h(a, to)[0]!.next_task_id,
      [h(from, source)[1]!.next_task_id]: h(a, to)[1]!.next_task_id,
    });
    b.projects[to]!.project_details!.consensus_expected_label_count = 2;
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(a, b) })).ok).toBe(true);
    const batches = await ctx.store.db
      .selectFrom('batches')
      .select(['id', 'consensus_label_count'])
      .where('project_id', '=', to)
      .execute();
    expect(batches.map((x) => x.consensus_label_count).sort()).toEqual([2, null]);
    // The seed's params: its rows carry no embeddings key.
    const params = [...SOME_PARAMS, 'performance_details'];
    expect(await exportAll(to, params)).toEqual([JSON.stringify(a), JSON.stringify(b)].sort());
  });

  it('puts a row in every project of its line (exports of several projects merged per data row)', async () => {
    const a = variant(48);
    const b = variant(49);
    const pa = firstProject(a);
    const pb = firstProject(b);
    const both = { ...a, projects: { [pa]: a.projects[pa]!, [pb]: b.projects[pb]! } };
    expect(await importLabelboxExport(ctx.store, actor, { input: ndjson(both) })).toMatchObject({
      ok: true,
      counts: { dataRows: 1, projects: 2, batches: 2, labels: 2 },
    });
    // Each project exports the row with its own project only, as Labelbox does.
    const params = [...SOME_PARAMS, 'performance_details'];
    expect(await exportAll(pa, params)).toEqual([JSON.stringify(a)]);
    const [line] = await exportAll(pb, params);
    expect(JSON.parse(line!).projects).toEqual({ [pb]: b.projects[pb] });
    // Each project row went in with its own project's fragments, rendered from the page in memory.
    await expectFresh(ctx.store, actor, pa);
    await expectFresh(ctx.store, actor, pb);
  });

  it('keeps custom workflow task names, kinds from the row status', async () => {
    const row = renameIds(variant(50), { 'Initial review task': 'Expert review' });
    const projectId = firstProject(row);
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(row) })).ok).toBe(true);
    const tasks = await ctx.store.db
      .selectFrom('workflow_tasks')
      .select(['name', 'kind'])
      .where('project_id', '=', projectId)
      .orderBy('position')
      .execute();
    // IN_REVIEW made "Expert review" the review step: no default review task is added.
    expect(tasks.map((t) => [t.name, t.kind])).toEqual([
      ['Initial labeling task', 'LABEL'],
      ['Expert review', 'REVIEW'],
      ['Rework', 'REWORK'],
      ['Done', 'DONE'],
    ]);
    expect(await exportAll(projectId, [...SOME_PARAMS, 'performance_details'])).toEqual([
      JSON.stringify(row),
    ]);
  });

  it('reads a JSON array of rows as well as NDJSON', async () => {
    const rows = [variant(42), variant(43)];
    const input = Readable.from([Buffer.from(JSON.stringify(rows, null, 2))]);
    expect(await importLabelboxExport(ctx.store, actor, { input })).toMatchObject({
      ok: true,
      counts: { dataRows: 2, projects: 2, labels: 2 },
    });
  });

  it('keeps enum metadata options and takes them back by name', async () => {
    const enumField = (value: unknown) => [
      { schema_id: 'cmetasplit00000000000000a', schema_name: 'split', value },
    ];
    const first = {
      ...variant(38),
      metadata_fields: enumField({ schema_id: 'coptiontrain00000000000a', schema_name: 'train' }),
    };
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(first) })).ok).toBe(true);
    const schema = await ctx.store.db
      .selectFrom('metadata_schemas')
      .selectAll()
      .where('id', '=', 'cmetasplit00000000000000a')
      .executeTakeFirstOrThrow();
    expect(schema).toMatchObject({
      kind: 'enum',
      options: '[{"id":"coptiontrain00000000000a","name":"train"}]',
    });
    // prefer exports an enum value as its option's name: importing that text finds the option.
    const second = { ...variant(39), metadata_fields: enumField('train') };
    expect((await importLabelboxExport(ctx.store, actor, { input: ndjson(second) })).ok).toBe(true);
    const value = await ctx.store.db
      .selectFrom('metadata_values')
      .select('value')
      .where('data_row_id', '=', second.data_row.id as string)
      .executeTakeFirstOrThrow();
    expect(value.value).toBe('coptiontrain00000000000a');
    const third = { ...variant(40), metadata_fields: enumField('validation') };
    const refused = await importLabelboxExport(ctx.store, actor, { input: ndjson(third) });
    expect(refused).toMatchObject({
      ok: false,
      errors: [
        { line: 1, path: '$.metadata_fields[0].value', message: '"validation" is not an option of split' },
      ],
    });
  });
});
