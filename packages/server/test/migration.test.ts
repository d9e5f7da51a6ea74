import { beforeAll, expect, it } from 'vitest';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { parseIsoWithOffset } from '../src/shared/time.ts';
import {
  BATCH,
  fixtureRow,
  LABEL,
  LABEL_TASK,
  ndjson,
  newOrgActor,
  ONTOLOGY,
  PROJECT,
  REVIEW_TASK,
  ROW,
  SEED,
  tableCounts,
  variant,
} from './fixtures/labelbox-lines.ts';

const ms = (iso: string) => parseIsoWithOffset(iso)!;

import { describeBackends } from './support/backends.ts';

describeBackends('migration: Labelbox export v2 import', (ctx) => {
  let actor: Actor;
  beforeAll(async () => {
    actor = await newOrgActor(ctx.store, 'Migrated org');
  });

  it('imports the seed row keeping every id and stored form', async () => {
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(fixtureRow(SEED)) });
    expect(result).toEqual({
      ok: true,
      counts: {
        dataRows: 1,
        datasets: 1,
        projects: 1,
        batches: 1,
        labels: 1,
        reviews: 0,
        historyEntries: 2,
        attachments: 0,
        metadata: 0,
      },
    });
    const db = ctx.store.db;
    const row = await db.selectFrom('data_rows').selectAll().where('id', '=', ROW).executeTakeFirstOrThrow();
    const labeler = await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'labeler@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      org_id: actor.orgId,
      dataset_id: 'clpiqgrsr00f60737sqeiaf4v',
      global_key: '0914c7da-5999-464b-b621-054a5247cf48',
      external_id: null,
      row_data: 'https://storage.googleapis.com/labelbox-developer-testing-assets/Pranoy/shopping_3.json',
      mime_type: 'application/vnd.labelbox.conversational',
      labelable_ids: '["message-1","message-3"]',
      message_count: 4,
      created_at: ms('2023-11-28T19:30:49.729+00:00'),
      updated_at: ms('2023-11-28T19:30:50.609+00:00'),
      last_activity_at: ms('2023-11-28T23:11:08.000+00:00'),
      created_by: labeler.id,
    });
    expect(labeler.org_id).toBe(actor.orgId);
    const dataset = await db
      .selectFrom('datasets')
      .selectAll()
      .where('id', '=', row.dataset_id)
      .executeTakeFirstOrThrow();
    expect(dataset.name).toBe('pairwise_demo_42454af2-b7b5-45c0-a25a-90f97efd49be');

    const project = await db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', PROJECT)
      .executeTakeFirstOrThrow();
    expect(project).toMatchObject({
      name: 'Test LLM Human Preference',
      ontology_id: ONTOLOGY,
      consensus_expected_label_count: 1,
    });
    const tasks = await db
      .selectFrom('workflow_tasks')
      .select(['id', 'name', 'kind'])
      .where('project_id', '=', PROJECT)
      .orderBy('position')
      .execute();
    expect(tasks.map((t) => [t.name, t.kind])).toEqual([
      ['Initial labeling task', 'LABEL'],
      ['Initial review task', 'REVIEW'],
      ['Rework', 'REWORK'],
      ['Done', 'DONE'],
    ]);
    expect(tasks.slice(0, 2).map((t) => t.id)).toEqual([LABEL_TASK, REVIEW_TASK]);

    const batch = await db
      .selectFrom('batches')
      .selectAll()
      .where('id', '=', BATCH)
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({
      project_id: PROJECT,
      name: 'test_llm_human_preference_batch_1',
      priority: 5,
    });
    const member = await db
      .selectFrom('project_data_rows')
      .selectAll()
      .where('data_row_id', '=', ROW)
      .executeTakeFirstOrThrow();
    expect(member).toMatchObject({
      batch_id: BATCH,
      task_id: REVIEW_TASK,
      workflow_status: 'IN_REVIEW',
      priority: 5,
    });
    expect(member.added_at).toBe(ms('2023-11-28T23:11:07.631+00:00'));

    const history = await db
      .selectFrom('workflow_history')
      .selectAll()
      .where('data_row_id', '=', ROW)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(history.map((h) => [h.action, h.previous_task_id, h.next_task_id, h.next_task_name])).toEqual([
      ['Move', LABEL_TASK, REVIEW_TASK, 'Initial review task'],
      ['Move', null, LABEL_TASK, 'Initial labeling task'],
    ]);

    const label = await db.selectFrom('labels').selectAll().where('id', '=', LABEL).executeTakeFirstOrThrow();
    const seedLabel = fixtureRow(SEED).projects[PROJECT]!.labels[0]!;
    expect(label.annotations).toBe(JSON.stringify(seedLabel.annotations));
    expect(label).toMatchObject({
      created_by: labeler.id,
      created_at: ms('2023-11-28T23:11:08.000+00:00'),
      updated_at: ms('2023-11-28T23:11:07.000+00:00'),
      content_last_updated_at: ms('2023-11-28T23:11:07.568+00:00'),
      seconds_to_create: null,
      seconds_to_review: null,
      skipped: 0,
      consensus_score: null,
    });
  });

  it('rebuilds the ontology from the labels, keeping feature schema ids', async () => {
    const o = await ctx.store.db
      .selectFrom('ontologies')
      .selectAll()
      .where('id', '=', ONTOLOGY)
      .executeTakeFirstOrThrow();
    const ontology = JSON.parse(o.normalized);
    expect(ontology.tools).toEqual([]);
    const [radio, text, checklist] = ontology.classifications;
    expect(radio).toMatchObject({
      featureSchemaId: 'clpiqh0v104mq0729homqffup',
      type: 'radio',
      name: 'Choose the best response',
      scope: 'global',
    });
    expect(radio.options).toEqual([
      { featureSchemaId: 'clpiqh0v104mt0729atflgvvw', value: 'Response B', label: 'Response B', options: [] },
    ]);
    expect(text).toMatchObject({ featureSchemaId: 'clpiqh0v104my072907gt7id0', type: 'text', options: [] });
    expect(checklist).toMatchObject({ featureSchemaId: 'clpiya8h507dx072efo9kb97j', type: 'checklist' });
    // Checklist answers carry no schema id in v2: their options get new, distinct ids.
    expect(checklist.options.map((x: { value: string }) => x.value)).toEqual(['Relevance', 'Usefulness']);
    const ids = checklist.options.map((x: { featureSchemaId: string }) => x.featureSchemaId);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });

  it('refuses a replayed import, listing every conflicting id, and writes nothing', async () => {
    const before = await tableCounts(ctx.store);
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(fixtureRow(SEED)) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => `${e.line} ${e.path} ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        `1 $.data_row.id conflict: data row ${ROW} already exists`,
        `1 $.data_row.global_key conflict: global key "0914c7da-5999-464b-b621-054a5247cf48" is already used`,
        `1 $.projects["${PROJECT}"].labels[0].id conflict: label ${LABEL} already exists`,
        `1 $.projects["${PROJECT}"] conflict: project ${PROJECT} already exists`,
      ]),
    );
    expect(await tableCounts(ctx.store)).toEqual(before);
  });

  it('imports a fresh copy into the existing dataset and ontology', async () => {
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(variant(1)) });
    expect(result).toMatchObject({ ok: true, counts: { dataRows: 1, datasets: 0, projects: 1, labels: 1 } });
  });
});
