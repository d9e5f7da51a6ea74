/**
 * Message tool answers of multimodal chat rows: the Labelbox SDK's NDJsonConverter file (§3.2-3.3)
 * imports unchanged; every fault names line and path and nothing is written; the workflow submit
 * takes the same answers beside classifications and the label read API returns them.
 */
import { expect, it } from 'vitest';
import { importLabels } from '../src/labels/label.import.ts';
import { getLabel } from '../src/workflow/label-read.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { nextReview } from '../src/workflow/review-queue.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import { MMC_IDS, MMC_SDK_FILE, MMC_TOOL_LINES } from './fixtures/mmc.ts';
import { describeBackends } from './support/backends.ts';
import { type MmcProject, mmcProject } from './support/mmc-project.ts';
import { maskIds, ndjson } from './support/seed-rows.ts';
import { colleague } from './workflow-helpers.ts';

const masked = (json: string) => maskIds(json, ['feature_id', 'feature_schema_id']);

/** The §3.2 objects as stored (and exported), written out by hand; ids masked. */
export const EXPECTED_OBJECTS =
  '[{"feature_id":"<id>","feature_schema_id":"<id>","name":"Message ranking","annotation_kind":"MessageRanking","classifications":[],' +
  `"ranked_messages":{"ranked_messages":[{"message_id":"${MMC_IDS.c1}","model_config_name":"Model C","order":1},` +
  `{"message_id":"${MMC_IDS.a1}","model_config_name":"Model A","order":2},{"message_id":"${MMC_IDS.b1}","model_config_name":"Model B","order":3}],` +
  `"parent_message_id":"${MMC_IDS.prompt1}"}},` +
  '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Single message selection","annotation_kind":"MessageSingleSelection","classifications":[],' +
  `"selected_message":{"message_id":"${MMC_IDS.c1}","model_config_name":"Model C","parent_message_id":"${MMC_IDS.prompt1}"}},` +
  '{"feature_id":"<id>","feature_schema_id":"<id>","name":"Multi message selection","annotation_kind":"MessageMultiSelection","classifications":[],' +
  `"selected_messages":{"messages":[{"message_id":"${MMC_IDS.a1}","model_config_name":"Model A"},{"message_id":"${MMC_IDS.c1}","model_config_name":"Model C"}],` +
  `"parent_message_id":"${MMC_IDS.prompt1}"}}]`;

type Line = Record<string, unknown> & {
  messageEvaluationTask: { format: string; data: Record<string, unknown> };
};
const ranking = (): Line => JSON.parse(MMC_TOOL_LINES[0]!) as Line;
const single = (): Line => JSON.parse(MMC_TOOL_LINES[1]!) as Line;
const multi = (): Line => JSON.parse(MMC_TOOL_LINES[2]!) as Line;
const ranked = (l: Line) => l.messageEvaluationTask.data.rankedMessages as Record<string, unknown>[];

const faultCases: { name: string; line: () => unknown; path: string; message: RegExp }[] = [
  {
    name: 'orders that skip a number',
    line: () => {
      const l = ranking();
      ranked(l)[2]!.order = 4;
      return l;
    },
    path: '$.messageEvaluationTask.data.rankedMessages[2].order',
    message: /order 4 is out of range: 3 ranked messages take the orders 1 to 3/,
  },
  {
    name: 'a tie',
    line: () => {
      const l = ranking();
      ranked(l)[1]!.order = 1;
      return l;
    },
    path: '$.messageEvaluationTask.data.rankedMessages[1].order',
    message: /ties are not allowed/,
  },
  {
    name: 'a parent that is a model reply',
    line: () => {
      const l = single();
      l.messageEvaluationTask.data.parentMessageId = MMC_IDS.a1;
      return l;
    },
    path: '$.messageEvaluationTask.data.parentMessageId',
    message: /is a model reply; parentMessageId is the human prompt/,
  },
  {
    name: 'a reply of another prompt',
    line: () => {
      const l = ranking();
      ranked(l)[0]!.messageId = MMC_IDS.a2;
      ranked(l)[0]!.modelConfigName = 'Model A';
      return l;
    },
    path: '$.messageEvaluationTask.data.rankedMessages[0].messageId',
    message: new RegExp(`"${MMC_IDS.a2}" is not a reply to "${MMC_IDS.prompt1}"`),
  },
  {
    name: 'a modelConfigName that is not the reply’s',
    line: () => {
      const l = multi();
      (l.messageEvaluationTask.data.selectedMessages as Record<string, unknown>[])[1]!.modelConfigName =
        'Model B';
      return l;
    },
    path: '$.messageEvaluationTask.data.selectedMessages[1].modelConfigName',
    message: /is by "Model C", not "Model B"/,
  },
  {
    name: 'a format that is not the tool’s',
    line: () => ({ ...single(), name: 'Message ranking' }),
    path: '$.messageEvaluationTask.format',
    message: /"Message ranking" is a message-ranking tool: format must be "message-ranking"/,
  },
  {
    name: 'an unknown tool',
    line: () => ({ ...single(), name: 'Best reply' }),
    path: '$.name',
    message:
      /unknown tool "Best reply"; tools: "Single message selection", "Multi message selection", "Message ranking"/,
  },
  {
    name: 'a missing modelConfigName',
    line: () => {
      const l = single();
      delete l.messageEvaluationTask.data.modelConfigName;
      return l;
    },
    path: '$.messageEvaluationTask.data.modelConfigName',
    message: /./,
  },
  {
    name: 'an unknown data key',
    line: () => {
      const l = single();
      l.messageEvaluationTask.data.score = 1;
      return l;
    },
    path: '$.messageEvaluationTask.data.score',
    message: /unknown key "score"; valid keys: messageId, modelConfigName, parentMessageId/,
  },
  {
    name: 'an unknown message',
    line: () => {
      const l = single();
      l.messageEvaluationTask.data.parentMessageId = 'clnope';
      return l;
    },
    path: '$.messageEvaluationTask.data.parentMessageId',
    message: /unknown message id "clnope"/,
  },
];

describeBackends('multimodal chat labels', (ctx) => {
  const labelsOf = (p: MmcProject) =>
    ctx.store.db.selectFrom('labels').where('project_id', '=', p.projectId).selectAll().execute();

  it('imports the SDK’s NDJsonConverter file unchanged: tools as objects, classifications as before', async () => {
    const p = await mmcProject(ctx.store);
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson([MMC_SDK_FILE]),
    });
    expect(result).toEqual({ ok: true, counts: { labels: 1, annotations: 6, skipped: 0 } });
    const [label] = await labelsOf(p);
    const doc = JSON.parse(label!.annotations) as { objects: unknown[]; classifications: unknown[] };
    expect(masked(JSON.stringify(doc.objects))).toBe(EXPECTED_OBJECTS);
    expect(masked(JSON.stringify(doc.classifications))).toBe(
      '[{"feature_id":"<id>","feature_schema_id":"<id>","name":"Choose the best response","radio_answer":{"feature_id":"<id>","feature_schema_id":"<id>","name":"Response A","classifications":[]}},' +
        `{"feature_id":"<id>","feature_schema_id":"<id>","name":"checklist_convo","message_id":"${MMC_IDS.b1}","conversational_checklist_answers":[{"feature_id":"<id>","name":"first_checklist_answer","classifications":[]}]},` +
        `{"feature_id":"<id>","feature_schema_id":"<id>","name":"text_convo","message_id":"${MMC_IDS.b1}","conversational_text_answer":{"content":"Factually wrong"}}]`,
    );
    expect(label!.annotations.endsWith('],"relationships":[]}')).toBe(true);
  });

  it('accepts answers for checklists, a schemaId for the tool, and list order free of rank order', async () => {
    const p = await mmcProject(ctx.store);
    const ontology = await ctx.store.db
      .selectFrom('ontologies')
      .where('id', '=', p.ontologyId)
      .select('normalized')
      .executeTakeFirstOrThrow();
    const rankingId = (
      JSON.parse(ontology.normalized) as { tools: { name: string; featureSchemaId: string }[] }
    ).tools.find((t) => t.name === 'Message ranking')!.featureSchemaId;
    const l = ranking();
    delete l.name;
    l.schemaId = rankingId;
    ranked(l).reverse();
    const checklist = {
      name: 'checklist_convo',
      answers: [{ name: 'second_checklist_answer' }],
      dataRow: { globalKey: 'mmc-example-0001' },
      messageId: MMC_IDS.prompt1,
    };
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson([l, checklist]),
    });
    expect(result).toEqual({ ok: true, counts: { labels: 1, annotations: 2, skipped: 0 } });
    const [label] = await labelsOf(p);
    const doc = JSON.parse(label!.annotations) as {
      objects: { ranked_messages: { ranked_messages: { order: number }[] } }[];
    };
    expect(doc.objects[0]!.ranked_messages.ranked_messages.map((m) => m.order)).toEqual([3, 2, 1]);
  });

  it('imports a label of tool and classification lines under one labelExternalId once', async () => {
    const p = await mmcProject(ctx.store);
    const checklist = {
      name: 'checklist_convo',
      answers: [{ name: 'second_checklist_answer' }],
      dataRow: { globalKey: 'mmc-example-0001' },
      messageId: MMC_IDS.prompt1,
    };
    const lines = [ranking(), single(), multi(), checklist].map((l) => ({
      ...l,
      labelExternalId: 'review-77',
    }));
    const run = () =>
      importLabels(ctx.store, p.actor, { projectId: p.projectId, asEmail: p.rater, input: ndjson(lines) });
    expect(await run()).toEqual({ ok: true, counts: { labels: 1, annotations: 4, skipped: 0 } });
    expect(await run()).toEqual({ ok: true, counts: { labels: 0, annotations: 0, skipped: 1 } });
    const labels = await labelsOf(p);
    expect(labels.map((l) => l.external_id)).toEqual(['review-77']);
    expect((JSON.parse(labels[0]!.annotations) as { objects: unknown[] }).objects).toHaveLength(3);
  });

  it('refuses tool lines of one label that disagree on labelExternalId, or give an empty one', async () => {
    const p = await mmcProject(ctx.store);
    const lines = [
      { ...ranking(), labelExternalId: 'review-1' },
      { ...single(), labelExternalId: 'review-2' },
    ];
    const mixed = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson(lines),
    });
    expect(mixed).toMatchObject({
      ok: false,
      errors: [
        {
          line: 2,
          path: '$.labelExternalId',
          message: expect.stringMatching(/must all give the same labelExternalId/),
        },
      ],
    });
    const empty = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson([{ ...multi(), labelExternalId: '' }]),
    });
    expect(empty).toMatchObject({
      ok: false,
      errors: [{ line: 1, path: '$.labelExternalId', message: 'labelExternalId must not be empty' }],
    });
    expect(await labelsOf(p)).toEqual([]);
  });

  for (const c of faultCases) {
    it(`refuses ${c.name}, naming line and path, writing nothing`, async () => {
      const p = await mmcProject(ctx.store);
      const result = await importLabels(ctx.store, p.actor, {
        projectId: p.projectId,
        asEmail: p.rater,
        input: ndjson([MMC_TOOL_LINES[2]!, c.line()]),
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors, JSON.stringify(result.errors)).toContainEqual({
        line: 2,
        path: c.path,
        message: expect.stringMatching(c.message),
      });
      expect(await labelsOf(p)).toEqual([]);
    });
  }

  it('refuses a tool answering the same prompt twice in one label', async () => {
    const p = await mmcProject(ctx.store);
    const result = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson([
        MMC_TOOL_LINES[0]!,
        MMC_TOOL_LINES[1]!,
        MMC_TOOL_LINES[0]!.replace('000000000001', '000000000009'),
      ]),
    });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { line: 3, path: '$.name', message: expect.stringMatching(/gets 2 answers to this question/) },
      ],
    });
  });

  it('takes tool answers with classifications through the workflow submit, validated the same way, and reads them back', async () => {
    const p = await mmcProject(ctx.store);
    const labeler = await colleague(ctx.store, p.actor, 'labeler');
    const leased = await nextRow(ctx.store, labeler, { projectId: p.projectId });
    expect(leased?.dataRowId).toBe(p.rowId);
    const tool = (line: Line) => ({ name: line.name, messageEvaluationTask: line.messageEvaluationTask });
    const bad = ranking();
    ranked(bad)[0]!.modelConfigName = 'Model A';
    const refused = await submitLabel(ctx.store, labeler, {
      projectId: p.projectId,
      dataRowId: p.rowId,
      idempotencyKey: 'k0',
      secondsToCreate: 3,
      classifications: [],
      annotations: [tool(bad), { ...tool(single()), dataRow: { id: p.rowId } }],
    }).catch((e: unknown) => e);
    expect((refused as { details: unknown }).details).toEqual([
      {
        path: '$.annotations[0].messageEvaluationTask.data.rankedMessages[0].modelConfigName',
        message: `message "${MMC_IDS.c1}" is by "Model C", not "Model A"`,
      },
      { path: '$.annotations[1].dataRow', message: expect.stringMatching(/unknown key "dataRow"/) },
    ]);
    const result = await submitLabel(ctx.store, labeler, {
      projectId: p.projectId,
      dataRowId: p.rowId,
      idempotencyKey: 'k1',
      secondsToCreate: 3,
      classifications: [{ name: 'text_convo', answer: 'Factually wrong', messageId: MMC_IDS.b1 }],
      annotations: [tool(ranking()), tool(single()), tool(multi())],
    });
    const label = await getLabel(ctx.store, labeler, {
      projectId: p.projectId,
      labelId: result.labelId,
      role: 'labeler',
    });
    const annotations = label.annotations as { objects: unknown[]; classifications: unknown[] };
    expect(masked(JSON.stringify(annotations.objects))).toBe(EXPECTED_OBJECTS);
    expect(annotations.classifications).toHaveLength(1);
  });

  it('runs consensus and review on a v2 row as on v1: rankings agree by Kendall tau', async () => {
    const p = await mmcProject(ctx.store, { consensus: 2 });
    const tool = (line: Line) => ({ name: line.name, messageEvaluationTask: line.messageEvaluationTask });
    const first = await colleague(ctx.store, p.actor, 'first');
    const second = await colleague(ctx.store, p.actor, 'second');
    const reviewer = await colleague(ctx.store, p.actor, 'reviewer');
    // The second labeler swaps the top two: tau over 3 replies = 1/3, agreement (1/3 + 1) / 2.
    const swapped = ranking();
    ranked(swapped)[0]!.order = 2;
    ranked(swapped)[1]!.order = 1;
    const submitted = [];
    for (const [who, line, key] of [
      [first, ranking(), 'a'],
      [second, swapped, 'b'],
    ] as const) {
      const leased = await nextRow(ctx.store, who, { projectId: p.projectId });
      expect(leased?.dataRowId).toBe(p.rowId);
      submitted.push(
        await submitLabel(ctx.store, who, {
          projectId: p.projectId,
          dataRowId: p.rowId,
          idempotencyKey: key,
          secondsToCreate: 5,
          classifications: [],
          annotations: [tool(line)],
        }),
      );
    }
    expect(submitted.map((r) => r.workflowStatus)).toEqual(['TO_LABEL', 'IN_REVIEW']);
    const scores = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', p.projectId)
      .select('consensus_score')
      .execute();
    for (const s of scores) expect(s.consensus_score).toBeCloseTo(2 / 3, 12);
    const review = await nextReview(ctx.store, reviewer, { projectId: p.projectId, role: 'reviewer' });
    expect(review?.consensus?.agreement).toBeCloseTo(2 / 3, 12);
    expect(review?.labels.map((l) => (l.annotations.objects as unknown[]).length)).toEqual([1, 1]);
    const approved = await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: submitted[0]!.labelId,
      decision: 'approve',
      secondsToReview: 2,
    });
    expect(approved.workflowStatus).toBe('DONE');
  });
});
