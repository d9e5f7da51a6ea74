/** The legacy V1 export: one object per label, V1 keys and camelCase shapes, date bounds. */
import { beforeAll, expect, it } from 'vitest';
import { type ExportV1Input, writeExportV1Array } from '../src/exports/v1/export-v1.ts';
import { formatV1 } from '../src/shared/time.ts';
import { describeBackends } from './support/backends.ts';
import {
  actor,
  CONVERSATION,
  cid,
  FS,
  GOLDEN,
  OTHER,
  RICH,
  seedExportFixtures,
  T,
  USERS,
} from './support/export-fixtures.ts';

const BASE = 'https://prefer.example/';
const P = RICH.projectId;

const answer = (featureId: string, schemaId: string, title: string, value = title) => ({
  featureId,
  schemaId,
  title,
  value,
});

const L1 = {
  objects: [],
  classifications: [
    {
      ...answer(cid('f1radio'), FS.radio, 'Choose the best response'),
      answer: {
        ...answer(cid('f1optb'), FS.optB, 'Response B'),
        classifications: [
          { ...answer(cid('f1whyb'), FS.whyB, 'Why B'), answer: 'shorter, "quoted" & ünïcode' },
        ],
      },
    },
    {
      ...answer(cid('f1text'), FS.text, 'Tell us why', 'Provide a reason for your choice'),
      answer: 'B answers the question',
    },
    {
      ...answer(cid('f1check'), FS.checklist, 'Evaluations done'),
      answers: [
        answer(cid('f1rel'), FS.relevance, 'Relevance'),
        answer(cid('f1tox'), FS.toxicity, 'Toxicity'),
      ],
    },
    {
      ...answer(cid('f1msg'), FS.msg, 'Message quality'),
      answer: answer(cid('f1good'), FS.good, 'Good'),
      messageId: 'm3',
    },
  ],
  relationships: [],
};

const radioOnly = (tag: string, schemaId: string, title: string, value: string) => ({
  objects: [],
  classifications: [
    {
      ...answer(cid(`${tag}radio`), FS.radio, 'Choose the best response'),
      answer: answer(cid(`${tag}opt`), schemaId, title, value),
    },
  ],
  relationships: [],
});

const media = {
  mimeType: 'application/vnd.labelbox.conversational',
  labelableIds: ['m1', 'm3'],
  messageCount: 4,
};
const common = { 'Project Name': RICH.projectName };

const EXPECTED = {
  l1: {
    ID: RICH.labels.l1,
    'DataRow ID': RICH.rows.r1,
    'Labeled Data': CONVERSATION,
    Label: L1,
    'Created By': USERS.labeler.email,
    ...common,
    'Created At': formatV1(T.l1),
    'Updated At': formatV1(T.l1 + 1000),
    'Seconds to Label': 150.5,
    'External ID': 'ext-1',
    'Global Key': 'conv-1',
    Agreement: 0.5,
    'Benchmark Agreement': -1,
    'Benchmark ID': null,
    'Dataset Name': RICH.datasetName,
    Reviews: [
      { score: 1, id: RICH.reviews.rv1, createdAt: formatV1(T.review1), createdBy: USERS.reviewer.email },
    ],
    'View Label': `https://prefer.example/projects/${P}/labels/${RICH.labels.l1}`,
    'Has Open Issues': 0,
    Skipped: false,
    'DataRow Metadata': [
      { schemaId: RICH.metadata.split, schemaName: 'split', value: 'train' },
      { schemaId: RICH.metadata.score, schemaName: 'score', value: 0.75 },
      { schemaId: RICH.metadata.tier, schemaName: 'tier', value: 'gold' },
      { schemaId: RICH.metadata.when, schemaName: 'captured', value: '2024-01-01T00:00:00.000Z' },
    ],
    'Media Attributes': media,
  },
  l3a: {
    ID: RICH.labels.l3a,
    'DataRow ID': RICH.rows.r3,
    'Labeled Data': CONVERSATION,
    Label: radioOnly('f3a', FS.optA, 'Response A', 'Response A'),
    'Created By': USERS.labeler.email,
    ...common,
    'Created At': formatV1(T.l3a),
    'Updated At': formatV1(T.l3a + 1000),
    'Seconds to Label': 42,
    'External ID': null,
    'Global Key': 'Conv-3',
    Agreement: 0.8,
    'Benchmark Agreement': -1,
    'Benchmark ID': null,
    'Dataset Name': RICH.datasetName,
    Reviews: [
      { score: -1, id: RICH.reviews.rv3, createdAt: formatV1(T.review3), createdBy: USERS.reviewer.email },
    ],
    'View Label': `https://prefer.example/projects/${P}/labels/${RICH.labels.l3a}`,
    'Has Open Issues': 0,
    Skipped: true,
    'DataRow Metadata': [],
    'Media Attributes': media,
  },
  l3b: {
    ID: RICH.labels.l3b,
    'DataRow ID': RICH.rows.r3,
    'Labeled Data': CONVERSATION,
    Label: radioOnly('f3b', FS.tie, 'It is a tie', 'Tie'),
    'Created By': USERS.reviewer.email,
    ...common,
    'Created At': formatV1(T.l3b),
    'Updated At': formatV1(T.l3b + 1000),
    'Seconds to Label': 0,
    'External ID': null,
    'Global Key': 'Conv-3',
    Agreement: -1,
    'Benchmark Agreement': -1,
    'Benchmark ID': null,
    'Dataset Name': RICH.datasetName,
    Reviews: [],
    'View Label': `https://prefer.example/projects/${P}/labels/${RICH.labels.l3b}`,
    'Has Open Issues': 0,
    Skipped: false,
    'DataRow Metadata': [],
    'Media Attributes': media,
  },
};

describeBackends('export V1', (ctx) => {
  beforeAll(() => seedExportFixtures(ctx.store.db));

  async function text(input: ExportV1Input, projectId = P, pageSize?: number): Promise<string> {
    let out = '';
    await writeExportV1Array(
      ctx.store,
      actor,
      projectId,
      input,
      (chunk) => {
        out += chunk;
      },
      { baseUrl: BASE, ...(pageSize ? { pageSize } : {}) },
    );
    return out;
  }
  const ids = async (input: ExportV1Input) =>
    (JSON.parse(await text(input)) as { ID: string }[]).map((l) => l.ID);

  it('is a JSON array of one object per label, V1 keys in order, V1 answer shapes', async () => {
    const expected = JSON.stringify([EXPECTED.l1, EXPECTED.l3a, EXPECTED.l3b]);
    expect(await text({})).toBe(expected);
    expect(await text({}, P, 1)).toBe(expected);
  });

  it('bounds label creation with start and end (date-only end covers the day)', async () => {
    const { l1, l3a, l3b } = RICH.labels;
    expect(await ids({ start: '2024-01-13' })).toEqual([l1, l3b]);
    expect(await ids({ end: '2024-01-12' })).toEqual([l3a]);
    expect(await ids({ start: '2024-01-12 09:00:00', end: '2024-01-13 08:59:59' })).toEqual([l3a]);
    expect(await ids({ start: '2024-01-14T11:00:00+01:00', end: null })).toEqual([l1]);
  });

  it('bounds data row activity with lastActivityStart and lastActivityEnd', async () => {
    const { l1, l3a, l3b } = RICH.labels;
    expect(await ids({ lastActivityStart: '2024-01-14' })).toEqual([l1]);
    expect(await ids({ lastActivityEnd: '2024-01-13' })).toEqual([l3a, l3b]);
    expect(await ids({ lastActivityEnd: '2024-01-13', start: '2024-01-13' })).toEqual([l3b]);
  });

  it('an empty result is an empty array', async () => {
    expect(await text({ start: '2030-01-01' })).toBe('[]');
  });

  it('refuses bad dates and reversed ranges with the export messages', async () => {
    await expect(text({ start: '2024-13-01' })).rejects.toThrow(
      'Incorrect format for: 2024-13-01. Format must be "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" or ISO 8061 format "YYYY-MM-DDThh:mm:ss±hhmm" (that is ISO 8601; prefer also accepts Z, ±hh:mm and fractions of a second)',
    );
    await expect(
      text({ lastActivityStart: '2024-02-02', lastActivityEnd: '2024-02-01' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('answers another organization’s project as not found', async () => {
    await expect(text({}, OTHER.projectId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports the seed label with its labeler and project', async () => {
    const [label] = JSON.parse(await text({}, GOLDEN.projectId)) as Record<string, unknown>[];
    expect(Object.keys(label!)).toEqual(Object.keys(EXPECTED.l1));
    expect(label!['Created By']).toBe('labeler@example.com');
    expect(label!['Project Name']).toBe('Test LLM Human Preference');
    expect(label!.Agreement).toBe(-1);
  });
});
