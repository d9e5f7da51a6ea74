/**
 * Projects to export, inserted directly with Kysely at fixed times:
 * - `golden`: the seed page's sample row, stored as prefer stores it, so its export can be
 *   compared with `fixtures/seed-sample-export-row.json` byte for byte;
 * - `rich`: rows covering every section (labels with and without timing, reviews, history,
 *   attachments, metadata of each kind, embeddings, consensus via a batch, message-scoped and
 *   nested answers);
 * - another organization with its own project and row, which must never leak.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExportRequest } from '../../src/exports/request/export.request.ts';
import type { ExportOptions, ExportSink } from '../../src/exports/v2/export-v2.engine.ts';
import { runExportV2 } from '../../src/exports/v2/export-v2.engine.ts';
import type { Actor } from '../../src/orgs/actor.ts';
import type { Db, Store } from '../../src/store/store.ts';
import { lineSink } from './lines.ts';
import { SEED_PARAMS } from './seed-params.ts';

/** A readable 25-character cuid-shaped id: `cid('row1')` is `c` + zeros + `row1`. */
export const cid = (name: string) => `c${name.padStart(24, '0')}`;
const at = (iso: string) => Date.parse(iso);

export const goldenText = readFileSync(
  fileURLToPath(new URL('../fixtures/seed-sample-export-row.json', import.meta.url)),
  'utf8',
);
/** The seed row as one compact line, key order kept. */
export const goldenLine = JSON.stringify(JSON.parse(goldenText));
const golden = JSON.parse(goldenText);
const GP = 'clpiy2itz08vg0705akh60zc1';

export const ORG = cid('orga');
export const OTHER_ORG = cid('orgb');
export const USERS = {
  labeler: { id: cid('labeler'), email: 'labeler@example.com' },
  reviewer: { id: cid('reviewer'), email: 'Reviewer@Example.com' },
  other: { id: cid('otheruser'), email: 'someone@other.example' },
};
// Both act as their organization's admin: the HTTP tests use their keys on every project.
export const actor: Actor = {
  orgId: ORG,
  userId: USERS.labeler.id,
  email: USERS.labeler.email,
  role: 'admin',
};
export const otherActor: Actor = {
  orgId: OTHER_ORG,
  userId: USERS.other.id,
  email: USERS.other.email,
  role: 'admin',
};

export const GOLDEN = {
  projectId: GP,
  dataRowId: golden.data_row.id as string,
  params: { ...SEED_PARAMS, embeddings: false },
};

export const FS = {
  radio: cid('fsradio'),
  optA: cid('fsopta'),
  optB: cid('fsoptb'),
  tie: cid('fstie'),
  whyB: cid('fswhyb'),
  text: cid('fstext'),
  checklist: cid('fscheck'),
  relevance: cid('fsrelevance'),
  usefulness: cid('fsusefulness'),
  toxicity: cid('fstoxicity'),
  msg: cid('fsmsg'),
  good: cid('fsgood'),
  bad: cid('fsbad'),
};

const option = (value: string, featureSchemaId: string, options: unknown[] = []) => ({
  value,
  label: value,
  featureSchemaId,
  options,
});

export const ONTOLOGY = {
  tools: [],
  classifications: [
    {
      type: 'radio',
      name: 'Choose the best response',
      instructions: 'Choose the best response',
      scope: 'global',
      required: true,
      featureSchemaId: FS.radio,
      options: [
        option('Response A', FS.optA),
        option('Response B', FS.optB, [
          {
            type: 'text',
            name: 'Why B',
            instructions: 'Why B',
            scope: 'global',
            featureSchemaId: FS.whyB,
            options: [],
          },
        ]),
        // A label unlike its value: V1 titles come from labels, values from values.
        { value: 'Tie', label: 'It is a tie', featureSchemaId: FS.tie, options: [] },
      ],
    },
    {
      type: 'text',
      name: 'Provide a reason for your choice',
      instructions: 'Tell us why',
      scope: 'global',
      featureSchemaId: FS.text,
      options: [],
    },
    {
      type: 'checklist',
      name: 'Evaluations done',
      scope: 'global',
      featureSchemaId: FS.checklist,
      options: [
        option('Relevance', FS.relevance),
        option('Usefulness', FS.usefulness),
        option('Toxicity', FS.toxicity),
      ],
    },
    {
      type: 'radio',
      name: 'Message quality',
      scope: 'index',
      featureSchemaId: FS.msg,
      options: [option('Good', FS.good), option('Bad', FS.bad)],
    },
  ],
};

/** The annotations of label L1, in the stored export v2 form. */
export const L1_ANNOTATIONS = {
  objects: [],
  classifications: [
    {
      feature_id: cid('f1radio'),
      feature_schema_id: FS.radio,
      name: 'Choose the best response',
      radio_answer: {
        feature_id: cid('f1optb'),
        feature_schema_id: FS.optB,
        name: 'Response B',
        classifications: [
          {
            feature_id: cid('f1whyb'),
            feature_schema_id: FS.whyB,
            name: 'Why B',
            text_answer: { content: 'shorter, "quoted" & ünïcode' },
          },
        ],
      },
    },
    {
      feature_id: cid('f1text'),
      feature_schema_id: FS.text,
      name: 'Provide a reason for your choice',
      text_answer: { content: 'B answers the question' },
    },
    {
      feature_id: cid('f1check'),
      feature_schema_id: FS.checklist,
      name: 'Evaluations done',
      checklist_answers: [
        { feature_id: cid('f1rel'), name: 'Relevance', classifications: [] },
        { feature_id: cid('f1tox'), name: 'Toxicity', classifications: [] },
      ],
    },
    {
      feature_id: cid('f1msg'),
      feature_schema_id: FS.msg,
      name: 'Message quality',
      message_id: 'm3',
      conversational_radio_answer: {
        feature_id: cid('f1good'),
        feature_schema_id: FS.good,
        name: 'Good',
        classifications: [],
      },
    },
  ],
  relationships: [],
};

const simpleAnnotations = (tag: string, answer: string) => ({
  objects: [],
  classifications: [
    {
      feature_id: cid(`${tag}radio`),
      feature_schema_id: FS.radio,
      name: 'Choose the best response',
      radio_answer: {
        feature_id: cid(`${tag}opt`),
        feature_schema_id: answer === 'Tie' ? FS.tie : FS.optA,
        name: answer,
        classifications: [],
      },
    },
  ],
  relationships: [],
});
export const L3A_ANNOTATIONS = simpleAnnotations('f3a', 'Response A');
export const L3B_ANNOTATIONS = simpleAnnotations('f3b', 'Tie');

export const CONVERSATION = JSON.stringify({
  type: 'application/vnd.labelbox.conversational',
  version: 1,
  messages: [
    { messageId: 'm1', content: 'Hi, which laptop?', user: { userId: 'u', name: 'User' }, canLabel: true },
    { messageId: 'm2', content: 'Let me think', user: { userId: 'a', name: 'Bot' } },
    {
      messageId: 'm3',
      content: 'Line one\nline "two" é',
      user: { userId: 'a', name: 'Bot' },
      canLabel: true,
    },
    { messageId: 'm4', content: 'ok', user: { userId: 'u', name: 'User' } },
  ],
  modelOutputs: [
    { title: 'Response A', content: 'A', modelConfigName: 'm-a' },
    { title: 'Response B', content: 'B', modelConfigName: 'm-b' },
  ],
});

export const T = {
  created: at('2024-01-10T12:00:00.000Z'),
  updated: at('2024-01-10T12:00:01.000Z'),
  /** last_activity_at of R2, R3, R1 (R4 never changes). */
  act2: at('2024-01-11T08:00:00.000Z'),
  act3: at('2024-01-13T23:59:59.999Z'),
  act1: at('2024-01-15T10:30:00.250Z'),
  l3a: at('2024-01-12T09:00:00.000Z'),
  l3b: at('2024-01-13T09:00:00.000Z'),
  l1: at('2024-01-14T10:00:00.000Z'),
  review1: at('2024-01-15T10:30:00.250Z'),
  review3: at('2024-01-13T10:00:00.000Z'),
};

export const RICH = {
  projectId: cid('projrich'),
  projectName: 'Preference "rich" project',
  ontologyId: cid('ontorich'),
  datasetId: cid('dsrich'),
  datasetName: 'conversations',
  tasks: {
    label: cid('tasklabel'),
    review: cid('taskreview'),
    rework: cid('taskrework'),
    done: cid('taskdone'),
  },
  batch1: { id: 'b1000000-0000-4000-8000-000000000001', name: 'batch one', priority: 2 },
  batch2: { id: 'b2000000-0000-4000-8000-000000000002', name: 'batch two (consensus)', priority: 4 },
  rows: { r1: cid('row1'), r2: cid('row2'), r3: cid('row3'), r4: cid('row4') },
  labels: { l1: cid('label1'), l3a: cid('label3a'), l3b: cid('label3b') },
  reviews: { rv1: cid('review1'), rv3: cid('review3') },
  metadata: {
    split: cid('mdsplit'),
    score: cid('mdscore'),
    tier: cid('mdtier'),
    when: cid('mdwhen'),
    gold: cid('optgold'),
  },
  embedding: cid('embclip'),
  attachments: { a1: cid('att1'), a2: cid('att2') },
};

export const OTHER = {
  projectId: cid('projother'),
  rowId: cid('rowother'),
  globalKey: 'conv-1',
  batchId: 'b3000000-0000-4000-8000-000000000003',
};

export async function seedExportFixtures(db: Db): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('organizations')
      .values([
        { id: ORG, name: 'Acme', created_at: T.created },
        { id: OTHER_ORG, name: 'Other', created_at: T.created },
      ])
      .execute();
    await tx
      .insertInto('users')
      .values([
        {
          ...USERS.labeler,
          org_id: ORG,
          role: 'admin',
          email_lower: USERS.labeler.email.toLowerCase(),
          name: 'L',
          created_at: 1,
        },
        {
          ...USERS.reviewer,
          org_id: ORG,
          role: 'member',
          email_lower: USERS.reviewer.email.toLowerCase(),
          name: 'R',
          created_at: 1,
        },
        {
          ...USERS.other,
          org_id: OTHER_ORG,
          role: 'admin',
          email_lower: USERS.other.email,
          name: 'O',
          created_at: 1,
        },
      ])
      .execute();
    await seedGolden(tx as unknown as Db);
    await seedRich(tx as unknown as Db);
    await seedOther(tx as unknown as Db);
  });
}

async function seedGolden(db: Db): Promise<void> {
  const row = golden.data_row;
  const pd = golden.projects[GP].project_details;
  const label = golden.projects[GP].labels[0];
  const [moved, first] = pd.workflow_history;
  const labeler = USERS.labeler.id;
  await insertDataset(db, row.details.dataset_id, row.details.dataset_name, ORG, labeler);
  await db
    .insertInto('data_rows')
    .values({
      id: row.id,
      org_id: ORG,
      dataset_id: row.details.dataset_id,
      global_key: row.global_key,
      global_key_lower: row.global_key.toLowerCase(),
      external_id: null,
      row_data: row.row_data,
      media_type: 'CONVERSATIONAL',
      mime_type: golden.media_attributes.mime_type,
      labelable_ids: JSON.stringify(golden.media_attributes.labelable_ids),
      message_count: golden.media_attributes.message_count,
      created_at: at(row.details.created_at),
      updated_at: at(row.details.updated_at),
      last_activity_at: at(row.details.last_activity_at),
      created_by: labeler,
    })
    .execute();
  await insertOntology(db, pd.ontology_id, 'seed', ORG);
  await insertProject(db, GP, golden.projects[GP].name, pd.ontology_id, 1);
  await db
    .insertInto('workflow_tasks')
    .values([
      { id: first.next_task_id, project_id: GP, name: first.next_task_name, kind: 'LABEL', position: 0 },
      { id: pd.task_id, project_id: GP, name: pd.task_name, kind: 'REVIEW', position: 1 },
      { id: cid('goldrework'), project_id: GP, name: 'Rework', kind: 'REWORK', position: 2 },
      { id: cid('golddone'), project_id: GP, name: 'Done', kind: 'DONE', position: 3 },
    ])
    .execute();
  await db
    .insertInto('batches')
    .values({
      id: pd.batch_id,
      org_id: ORG,
      project_id: GP,
      name: pd.batch_name,
      priority: pd.priority,
      consensus_label_count: null,
      created_at: 1,
      created_by: labeler,
    })
    .execute();
  await db
    .insertInto('project_data_rows')
    .values({
      project_id: GP,
      data_row_id: row.id,
      org_id: ORG,
      batch_id: pd.batch_id,
      task_id: pd.task_id,
      workflow_status: pd.workflow_status,
      priority: pd.priority,
      added_at: 1,
      updated_at: 1,
      lease_user_id: null,
      lease_expires_at: null,
    })
    .execute();
  for (const [i, h] of [first, moved].entries()) {
    await db
      .insertInto('workflow_history')
      .values({
        id: cid(`goldhist${i}`),
        project_id: GP,
        data_row_id: row.id,
        action: h.action,
        created_at: at(h.created_at),
        created_by: labeler,
        previous_task_id: h.previous_task_id ?? null,
        previous_task_name: h.previous_task_name ?? null,
        next_task_id: h.next_task_id,
        next_task_name: h.next_task_name,
      })
      .execute();
  }
  await db
    .insertInto('labels')
    .values({
      id: label.id,
      org_id: ORG,
      project_id: GP,
      data_row_id: row.id,
      created_by: labeler,
      created_at: at(label.label_details.created_at),
      updated_at: at(label.label_details.updated_at),
      content_last_updated_at: at(label.label_details.content_last_updated_at),
      label_kind: label.label_kind,
      version: label.version,
      annotations: JSON.stringify(label.annotations),
      seconds_to_create: null,
      seconds_to_review: null,
      skipped: 0,
      consensus_score: null,
    })
    .execute();
}

async function insertOntology(db: Db, id: string, name: string, org: string) {
  await db
    .insertInto('ontologies')
    .values({ id, org_id: org, name, normalized: JSON.stringify(ONTOLOGY), created_at: 1, updated_at: 1 })
    .execute();
}

async function insertDataset(db: Db, id: string, name: string, org: string, createdBy: string) {
  await db
    .insertInto('datasets')
    .values({ id, org_id: org, name, description: null, created_at: 1, updated_at: 1, created_by: createdBy })
    .execute();
}

async function insertProject(
  db: Db,
  id: string,
  name: string,
  ontologyId: string,
  consensus: number,
  org = ORG,
) {
  await db
    .insertInto('projects')
    .values({
      id,
      org_id: org,
      name,
      description: null,
      ontology_id: ontologyId,
      media_type: 'CONVERSATIONAL',
      consensus_expected_label_count: consensus,
      created_at: 1,
      updated_at: 1,
      created_by: org === ORG ? USERS.labeler.id : USERS.other.id,
    })
    .execute();
}

async function seedRich(db: Db): Promise<void> {
  const P = RICH.projectId;
  const { labeler, reviewer } = USERS;
  await insertOntology(db, RICH.ontologyId, 'pref', ORG);
  await insertProject(db, P, RICH.projectName, RICH.ontologyId, 1);
  await db
    .insertInto('workflow_tasks')
    .values([
      { id: RICH.tasks.label, project_id: P, name: 'Initial labeling task', kind: 'LABEL', position: 0 },
      { id: RICH.tasks.review, project_id: P, name: 'Initial review task', kind: 'REVIEW', position: 1 },
      { id: RICH.tasks.rework, project_id: P, name: 'Rework', kind: 'REWORK', position: 2 },
      { id: RICH.tasks.done, project_id: P, name: 'Done', kind: 'DONE', position: 3 },
    ])
    .execute();
  await db
    .insertInto('batches')
    .values([
      {
        ...RICH.batch1,
        org_id: ORG,
        project_id: P,
        consensus_label_count: null,
        created_at: 1,
        created_by: labeler.id,
      },
      {
        ...RICH.batch2,
        org_id: ORG,
        project_id: P,
        consensus_label_count: 2,
        created_at: 1,
        created_by: labeler.id,
      },
    ])
    .execute();
  await insertDataset(db, RICH.datasetId, RICH.datasetName, ORG, labeler.id);
  const dataRow = (
    id: string,
    extra: Partial<{ global_key: string; external_id: string; row_data: string }>,
    activity: number,
    by = labeler.id,
  ) => ({
    id,
    org_id: ORG,
    dataset_id: RICH.datasetId,
    global_key: extra.global_key ?? null,
    global_key_lower: extra.global_key?.toLowerCase() ?? null,
    external_id: extra.external_id ?? null,
    row_data: extra.row_data ?? CONVERSATION,
    media_type: 'CONVERSATIONAL',
    mime_type: 'application/vnd.labelbox.conversational',
    labelable_ids: extra.row_data ? '[]' : '["m1","m3"]',
    message_count: extra.row_data ? 0 : 4,
    created_at: T.created,
    updated_at: T.updated,
    last_activity_at: activity,
    created_by: by,
  });
  const { r1, r2, r3, r4 } = RICH.rows;
  await db
    .insertInto('data_rows')
    .values([
      dataRow(r1, { global_key: 'conv-1', external_id: 'ext-1' }, T.act1),
      dataRow(r2, { row_data: 'https://example.com/conversations/2.json' }, T.act2, reviewer.id),
      dataRow(r3, { global_key: 'Conv-3' }, T.act3),
      dataRow(r4, { global_key: 'conv-4' }, T.created),
    ])
    .execute();
  const pdr = (
    data_row_id: string,
    batch: { id: string; priority: number },
    task_id: string,
    workflow_status: 'TO_LABEL' | 'IN_REVIEW' | 'IN_REWORK' | 'DONE',
  ) => ({
    project_id: P,
    data_row_id,
    org_id: ORG,
    batch_id: batch.id,
    task_id,
    workflow_status,
    priority: batch.priority,
    added_at: T.created,
    updated_at: T.created,
    lease_user_id: null,
    lease_expires_at: null,
  });
  await db
    .insertInto('project_data_rows')
    .values([
      pdr(r1, RICH.batch1, RICH.tasks.done, 'DONE'),
      pdr(r2, RICH.batch1, RICH.tasks.label, 'TO_LABEL'),
      pdr(r3, RICH.batch2, RICH.tasks.rework, 'IN_REWORK'),
    ])
    .execute();
  const move = (
    id: string,
    row: string,
    atMs: number,
    by: string,
    from: [string, string] | null,
    to: [string, string],
    action = 'Move',
  ) => ({
    id: cid(id),
    project_id: P,
    data_row_id: row,
    action,
    created_at: atMs,
    created_by: by,
    previous_task_id: from?.[0] ?? null,
    previous_task_name: from?.[1] ?? null,
    next_task_id: to[0],
    next_task_name: to[1],
  });
  const L: [string, string] = [RICH.tasks.label, 'Initial labeling task'];
  const R: [string, string] = [RICH.tasks.review, 'Initial review task'];
  const W: [string, string] = [RICH.tasks.rework, 'Rework'];
  const D: [string, string] = [RICH.tasks.done, 'Done'];
  await db
    .insertInto('workflow_history')
    .values([
      move('h11', r1, T.created, labeler.id, null, L),
      // Two moves at the same millisecond: the later id comes first.
      move('h12', r1, T.review1, labeler.id, L, R),
      move('h13', r1, T.review1, reviewer.id, R, D, 'Approve'),
      move('h21', r2, T.created, reviewer.id, null, L),
      move('h31', r3, T.created, labeler.id, null, L),
      move('h32', r3, T.l3a, labeler.id, L, R),
      move('h33', r3, T.review3, reviewer.id, R, W, 'Reject'),
    ])
    .execute();
  const label = (
    id: string,
    row: string,
    by: string,
    created: number,
    annotations: unknown,
    timing: [number, number | null, number, number | null] | null,
  ) => ({
    id,
    org_id: ORG,
    project_id: P,
    data_row_id: row,
    created_by: by,
    created_at: created,
    updated_at: created + 1000,
    content_last_updated_at: created + 500,
    label_kind: 'Default',
    version: '1.0.0',
    annotations: JSON.stringify(annotations),
    seconds_to_create: timing?.[0] ?? null,
    seconds_to_review: timing?.[1] ?? null,
    skipped: timing?.[2] ?? 0,
    consensus_score: timing?.[3] ?? null,
  });
  await db
    .insertInto('labels')
    .values([
      label(RICH.labels.l1, r1, labeler.id, T.l1, L1_ANNOTATIONS, [120.5, 30, 0, 0.5]),
      label(RICH.labels.l3a, r3, labeler.id, T.l3a, L3A_ANNOTATIONS, [42, null, 1, 0.8]),
      label(RICH.labels.l3b, r3, reviewer.id, T.l3b, L3B_ANNOTATIONS, null),
    ])
    .execute();
  await db
    .insertInto('reviews')
    .values([
      {
        id: RICH.reviews.rv1,
        org_id: ORG,
        project_id: P,
        label_id: RICH.labels.l1,
        data_row_id: r1,
        score: 1,
        reason: null,
        created_at: T.review1,
        created_by: reviewer.id,
      },
      {
        id: RICH.reviews.rv3,
        org_id: ORG,
        project_id: P,
        label_id: RICH.labels.l3a,
        data_row_id: r3,
        score: -1,
        reason: 'no',
        created_at: T.review3,
        created_by: reviewer.id,
      },
    ])
    .execute();
  await db
    .insertInto('attachments')
    .values([
      {
        id: RICH.attachments.a1,
        data_row_id: r1,
        type: 'RAW_TEXT',
        value: 'context: "shopping"',
        name: 'context',
        position: 0,
      },
      {
        id: RICH.attachments.a2,
        data_row_id: r1,
        type: 'IMAGE',
        value: 'https://example.com/a.png',
        name: null,
        position: 1,
      },
    ])
    .execute();
  const md = RICH.metadata;
  await db
    .insertInto('metadata_schemas')
    .values([
      { id: md.split, org_id: ORG, name: 'split', kind: 'string', options: null },
      { id: md.score, org_id: ORG, name: 'score', kind: 'number', options: null },
      {
        id: md.tier,
        org_id: ORG,
        name: 'tier',
        kind: 'enum',
        options: JSON.stringify([{ id: md.gold, name: 'gold' }]),
      },
      { id: md.when, org_id: ORG, name: 'captured', kind: 'datetime', options: null },
    ])
    .execute();
  await db
    .insertInto('metadata_values')
    .values([
      { data_row_id: r1, schema_id: md.split, value: 'train', position: 0 },
      { data_row_id: r1, schema_id: md.score, value: '0.75', position: 1 },
      { data_row_id: r1, schema_id: md.tier, value: md.gold, position: 2 },
      { data_row_id: r1, schema_id: md.when, value: '2024-01-01T00:00:00.000Z', position: 3 },
    ])
    .execute();
  await db
    .insertInto('embeddings')
    .values({ id: RICH.embedding, org_id: ORG, name: 'clip', dimensions: 3, is_custom: 1 })
    .execute();
  await db
    .insertInto('embedding_vectors')
    .values({ data_row_id: r1, embedding_id: RICH.embedding, vector: '[0.1,0.2,-3.5e-7]' })
    .execute();
}

async function seedOther(db: Db): Promise<void> {
  const ontologyId = cid('ontoother');
  const datasetId = cid('dsother');
  await insertOntology(db, ontologyId, 'o', OTHER_ORG);
  await insertProject(db, OTHER.projectId, 'Other org project', ontologyId, 1, OTHER_ORG);
  await insertDataset(db, datasetId, 'theirs', OTHER_ORG, USERS.other.id);
  await db
    .insertInto('data_rows')
    .values({
      id: OTHER.rowId,
      org_id: OTHER_ORG,
      dataset_id: datasetId,
      global_key: OTHER.globalKey,
      global_key_lower: OTHER.globalKey,
      external_id: null,
      row_data: CONVERSATION,
      media_type: 'CONVERSATIONAL',
      mime_type: 'application/vnd.labelbox.conversational',
      labelable_ids: '["m1","m3"]',
      message_count: 4,
      created_at: T.created,
      updated_at: T.created,
      last_activity_at: T.act1,
      created_by: USERS.other.id,
    })
    .execute();
  await db
    .insertInto('batches')
    .values({
      id: OTHER.batchId,
      org_id: OTHER_ORG,
      project_id: OTHER.projectId,
      name: 'b',
      priority: 1,
      consensus_label_count: null,
      created_at: 1,
      created_by: USERS.other.id,
    })
    .execute();
  await db
    .insertInto('workflow_tasks')
    .values({
      id: cid('othertask'),
      project_id: OTHER.projectId,
      name: 'Initial labeling task',
      kind: 'LABEL',
      position: 0,
    })
    .execute();
  await db
    .insertInto('project_data_rows')
    .values({
      project_id: OTHER.projectId,
      data_row_id: OTHER.rowId,
      org_id: OTHER_ORG,
      batch_id: OTHER.batchId,
      task_id: cid('othertask'),
      workflow_status: 'TO_LABEL',
      priority: 1,
      added_at: 1,
      updated_at: 1,
      lease_user_id: null,
      lease_expires_at: null,
    })
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Running an export into memory

export interface Collected {
  lines: string[];
  errors: string[];
  progress: [number, number][];
  counts: { rows: number; errors: number };
}

export async function collect(
  store: Store,
  actor: Actor,
  projectId: string,
  input: { params?: unknown; filters?: unknown; timezone?: string },
  options: ExportOptions & { onLine?: (line: string, index: number) => Promise<void> } = {},
): Promise<Collected> {
  const out: Collected = { lines: [], errors: [], progress: [], counts: { rows: 0, errors: 0 } };
  const sink: ExportSink = {
    result: lineSink(async (line) => {
      out.lines.push(line);
      await options.onLine?.(line, out.lines.length - 1);
    }),
    errors: lineSink((line) => {
      out.errors.push(line);
    }),
    progress: (done, total) => {
      out.progress.push([done, total]);
    },
  };
  out.counts = await runExportV2(store, actor, projectId, parseExportRequest(input), sink, options);
  return out;
}

/** Ids of the exported rows, in output order. */
export const idsOf = (c: Collected) =>
  c.lines.map((l) => (JSON.parse(l) as { data_row: { id: string } }).data_row.id);
