/**
 * Multimodal chat evaluation (conversation v2) data rows, ontologies and projects: the §1.6 row
 * imports inline or as JSON text beside v1 rows; every graph fault is named by line and JSON path
 * and nothing is written; the §2.1 tools are stored with ids; projects record the editor task type.
 */
import { expect, it } from 'vitest';
import { createDataset } from '../src/datasets/dataset.service.ts';
import { createOntology, getOntology } from '../src/ontologies/ontology.service.ts';
import { createProject, getProject } from '../src/projects/project.service.ts';
import { AppError } from '../src/shared/errors.ts';
import { conversation } from './data-rows-helpers.ts';
import { MMC_IDS, MMC_ONTOLOGY, MMC_TOOLS } from './fixtures/mmc.ts';
import { describeBackends } from './support/backends.ts';
import { importRows, mmcRowSpec } from './support/mmc-project.ts';
import { LABEL_TEST_ONTOLOGY, seedActor } from './support/seed-rows.ts';

const MMC = 'application/vnd.labelbox.conversational.model-chat-evaluation';

type Conv = {
  actors: Record<string, { role: string; metadata?: Record<string, unknown> }>;
  messages: Record<string, { actorId: string; content: unknown[]; childMessageIds: string[] }>;
  rootMessageIds: string[];
  [k: string]: unknown;
};

/** The §1.6 spec with its conversation changed by `edit`. */
function variant(edit: (c: Conv) => void, key = 'v'): Record<string, unknown> {
  const spec = mmcRowSpec();
  edit(spec.row_data as Conv);
  return { ...spec, global_key: key };
}

const faultCases: { name: string; spec: () => unknown; path: string; message: RegExp }[] = [
  {
    name: 'an unknown actor id',
    spec: () => variant((c) => (c.messages[MMC_IDS.b1]!.actorId = 'clnobody')),
    path: `$.row_data.messages.${MMC_IDS.b1}.actorId`,
    message: /unknown actor id "clnobody"; actors: "clmmcact00hum/,
  },
  {
    name: 'a dangling childMessageIds entry',
    spec: () => variant((c) => c.messages[MMC_IDS.prompt1]!.childMessageIds.push('clgone')),
    path: `$.row_data.messages.${MMC_IDS.prompt1}.childMessageIds[3]`,
    message: /unknown message id "clgone"/,
  },
  {
    name: 'a cycle',
    spec: () => variant((c) => c.messages[MMC_IDS.a2]!.childMessageIds.push(MMC_IDS.prompt1)),
    path: `$.row_data.messages.${MMC_IDS.a2}.childMessageIds[0]`,
    message: /must not form a cycle/,
  },
  {
    name: 'a root that is a model reply',
    spec: () => variant((c) => c.rootMessageIds.push(MMC_IDS.a1)),
    path: '$.row_data.rootMessageIds[1]',
    message: /is a model reply; a conversation starts with a human message/,
  },
  {
    name: 'an unknown root',
    spec: () => variant((c) => (c.rootMessageIds = ['clmissing'])),
    path: '$.row_data.rootMessageIds[0]',
    message: /unknown message id "clmissing"/,
  },
  {
    name: 'a message no root reaches',
    spec: () =>
      variant((c) => {
        c.messages.clorphan = {
          actorId: MMC_IDS.human,
          content: [{ type: 'text', content: 'hi' }],
          childMessageIds: [],
        };
      }),
    path: '$.row_data.messages.clorphan',
    message: /not reachable from rootMessageIds/,
  },
  {
    name: 'empty content',
    spec: () => variant((c) => (c.messages[MMC_IDS.b1]!.content = [])),
    path: `$.row_data.messages.${MMC_IDS.b1}.content`,
    message: /at least 1 content item/,
  },
  {
    name: 'empty text',
    spec: () => variant((c) => (c.messages[MMC_IDS.b1]!.content = [{ type: 'text', content: ' ' }])),
    path: `$.row_data.messages.${MMC_IDS.b1}.content[0].content`,
    message: /text content must not be empty/,
  },
  {
    name: 'an unknown content type',
    spec: () => variant((c) => (c.messages[MMC_IDS.b1]!.content = [{ type: 'html', content: '<b>x</b>' }])),
    path: `$.row_data.messages.${MMC_IDS.b1}.content[0].type`,
    message: /unknown content type "html"; valid types: text, fileData/,
  },
  {
    name: 'a fileData item with an http URL',
    spec: () =>
      variant(
        (c) =>
          (c.messages[MMC_IDS.b1]!.content = [
            { type: 'fileData', fileUri: 'http://example.com/a.png', mimeType: 'image/png' },
          ]),
      ),
    path: `$.row_data.messages.${MMC_IDS.b1}.content[0].fileUri`,
    message: /must be an https URL/,
  },
  {
    name: 'a fileData item without mimeType',
    spec: () =>
      variant(
        (c) =>
          (c.messages[MMC_IDS.b1]!.content = [{ type: 'fileData', fileUri: 'https://example.com/a.png' }]),
      ),
    path: `$.row_data.messages.${MMC_IDS.b1}.content[0].mimeType`,
    message: /./,
  },
  {
    name: 'a model actor without modelConfigName',
    spec: () => variant((c) => delete c.actors.clmmcact00mdb000000000000!.metadata!.modelConfigName),
    path: '$.row_data.actors.clmmcact00mdb000000000000.metadata.modelConfigName',
    message: /a model actor needs metadata.modelConfigName/,
  },
  {
    name: 'an unknown actor role',
    spec: () => variant((c) => (c.actors[MMC_IDS.human]!.role = 'system')),
    path: `$.row_data.actors.${MMC_IDS.human}.role`,
    message: /role must be human or model/,
  },
  {
    name: 'an unknown message key',
    spec: () => variant((c) => ((c.messages[MMC_IDS.b1] as Record<string, unknown>).children = [])),
    path: `$.row_data.messages.${MMC_IDS.b1}.children`,
    message: /unknown key "children"; valid keys: actorId, content, childMessageIds/,
  },
  {
    name: 'version 1 with the v2 type',
    spec: () => variant((c) => (c.version = 1)),
    path: '$.row_data.version',
    message: /version must be 2/,
  },
  {
    name: 'JSON text that does not parse',
    spec: () => ({ row_data: '{"type": ', global_key: 'bad-text' }),
    path: '$.row_data',
    message: /conversation JSON text that does not parse/,
  },
];

describeBackends('multimodal chat rows and projects', (ctx) => {
  it('imports the §1.6 row inline and as JSON text, beside a v1 row, stored compact with its media facts', async () => {
    const actor = await seedActor(ctx.store);
    const { id: datasetId } = await createDataset(ctx.store, actor, { name: 'mmc' });
    const inline = mmcRowSpec();
    const asText = {
      ...mmcRowSpec(),
      row_data: JSON.stringify(inline.row_data, null, 2),
      global_key: 'as-text',
    };
    const v1 = { row_data: conversation('v1'), global_key: 'v1-row' };
    const result = await importRows(ctx.store, actor, datasetId, [inline, asText, v1]);
    expect(result).toEqual({ ok: true, counts: expect.objectContaining({ dataRows: 3 }) });
    const rows = await ctx.store.db
      .selectFrom('data_rows')
      .where('dataset_id', '=', datasetId)
      .select(['global_key', 'row_data', 'mime_type', 'labelable_ids', 'message_count'])
      .orderBy('global_key')
      .execute();
    const byKey = new Map(rows.map((r) => [r.global_key, r]));
    const compact = JSON.stringify(inline.row_data);
    expect(byKey.get('mmc-example-0001')).toEqual({
      global_key: 'mmc-example-0001',
      row_data: compact,
      mime_type: MMC,
      labelable_ids: JSON.stringify(Object.values(MMC_IDS).filter((id) => id.startsWith('clmmcmsg'))),
      message_count: 7,
    });
    // The JSON text form is stored exactly as the object form.
    expect(byKey.get('as-text')!.row_data).toBe(compact);
    expect(byKey.get('v1-row')!.mime_type).toBe('application/vnd.labelbox.conversational');
  });

  it('accepts the live template row (draft, empty) and a fileData item, and never fetches its URL', async () => {
    const actor = await seedActor(ctx.store);
    const { id: datasetId } = await createDataset(ctx.store, actor, { name: 'mmc' });
    const template = {
      row_data: { type: MMC, draft: true, rootMessageIds: [], actors: {}, version: 2, messages: {} },
      global_key: 'gk',
      attachments: [],
      embeddings: [],
      metadata_fields: [],
    };
    // A host that cannot resolve: a fetch would fail the import.
    const file = variant(
      (c) =>
        c.messages[MMC_IDS.prompt1]!.content.push({
          type: 'fileData',
          fileUri: 'https://unreachable.invalid/photo.png',
          mimeType: 'image/png',
        }),
      'with-file',
    );
    const result = await importRows(ctx.store, actor, datasetId, [template, file]);
    expect(result.ok).toBe(true);
  });

  for (const c of faultCases) {
    it(`refuses ${c.name}, naming line and path, writing nothing`, async () => {
      const actor = await seedActor(ctx.store);
      const { id: datasetId } = await createDataset(ctx.store, actor, { name: 'mmc' });
      const result = await importRows(ctx.store, actor, datasetId, [mmcRowSpec(), c.spec()]);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const fault = result.errors.find((f) => f.path === c.path);
      expect(fault, JSON.stringify(result.errors)).toBeDefined();
      expect(fault!.line).toBe(2);
      expect(fault!.message).toMatch(c.message);
      const written = await ctx.store.db
        .selectFrom('data_rows')
        .where('dataset_id', '=', datasetId)
        .select('id')
        .execute();
      expect(written).toEqual([]);
    });
  }

  it('stores the SDK’s tools with ids and colours, and message-scoped questions', async () => {
    const actor = await seedActor(ctx.store);
    const created = await createOntology(ctx.store, actor, { name: 'mmc', ontology: MMC_ONTOLOGY });
    const stored = await getOntology(ctx.store, actor, created.id);
    expect(stored.normalized.tools.map((t) => [t.tool, t.name, t.color, t.required])).toEqual(
      MMC_TOOLS.map((t) => [t.tool, t.name, t.color, false]),
    );
    for (const t of stored.normalized.tools) expect(t.featureSchemaId).toMatch(/^c[0-9a-z]{24}$/);
    expect(stored.normalized.tools[2]!.classifications.map((c) => [c.name, c.type])).toEqual([
      ['why', 'text'],
    ]);
    expect(stored.normalized.classifications.map((c) => c.scope)).toEqual(['global', 'index', 'index']);
    // Without colours, the SDK's evenly spaced hues.
    const bare = await createOntology(ctx.store, actor, {
      name: 'bare',
      ontology: { tools: MMC_TOOLS.map(({ color: _c, ...t }) => t), classifications: [] },
    });
    expect(bare.normalized.tools.map((t) => t.color)).toEqual(['#ff0000', '#00ff00', '#0000ff']);
  });

  it('refuses unknown tools and duplicate tool names with paths', async () => {
    const actor = await seedActor(ctx.store);
    const refusal = async (ontology: unknown) => {
      const err = await createOntology(ctx.store, actor, { name: 'bad', ontology }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      return (err as AppError).details;
    };
    expect(await refusal({ tools: [{ tool: 'bbox', name: 'Box' }], classifications: [] })).toEqual([
      {
        path: '$.tools[0].tool',
        message: expect.stringMatching(/^tool must be one of message-single-selection, /),
      },
    ]);
    expect(await refusal({ tools: [MMC_TOOLS[0], MMC_TOOLS[1], MMC_TOOLS[0]], classifications: [] })).toEqual(
      [{ path: '$.tools[2].name', message: 'duplicate tool name "Single message selection"' }],
    );
  });

  it('records the editor task type; a v1 project beside it cannot take a tool ontology', async () => {
    const actor = await seedActor(ctx.store);
    const mmc = await createOntology(ctx.store, actor, { name: 'mmc', ontology: MMC_ONTOLOGY });
    const v1 = await createOntology(ctx.store, actor, { name: 'v1', ontology: LABEL_TEST_ONTOLOGY });
    const live = await createProject(ctx.store, actor, {
      name: 'live',
      ontologyId: mmc.id,
      editorTaskType: 'MODEL_CHAT_EVALUATION',
    });
    const classic = await createProject(ctx.store, actor, { name: 'v1', ontologyId: v1.id });
    expect((await getProject(ctx.store, actor, live.id)).editorTaskType).toBe('MODEL_CHAT_EVALUATION');
    expect((await getProject(ctx.store, actor, classic.id)).editorTaskType).toBeNull();
    const refused = await createProject(ctx.store, actor, { name: 'x', ontologyId: mmc.id }).catch(
      (e: unknown) => e,
    );
    expect((refused as AppError).details).toEqual([
      { path: '$.editorTaskType', message: 'required for an ontology with message tools' },
    ]);
    const wrong = await createProject(ctx.store, actor, {
      name: 'y',
      ontologyId: mmc.id,
      editorTaskType: 'CHAT' as never,
    }).catch((e: unknown) => e);
    expect((wrong as AppError).details).toEqual([
      {
        path: '$.editorTaskType',
        message: 'must be one of OFFLINE_MODEL_CHAT_EVALUATION, MODEL_CHAT_EVALUATION',
      },
    ]);
  });
});
