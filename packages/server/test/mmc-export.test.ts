/**
 * Golden export of a multimodal chat evaluation project: the §1.6 conversation with the §3.2-3.3
 * labels (the SDK's file, unchanged) goes through the real importers and comes out of the export
 * v2 engine as the hand-written row of fixtures/mmc-export-row.json, compared whole, key order
 * included; the pre-rendered fragments give the same text as a fresh rendering; the V1 export
 * carries the tool answers unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseExportRequest } from '../src/exports/request/export.request.ts';
import { writeExportV1Array } from '../src/exports/v1/export-v1.ts';
import { runExportV2 } from '../src/exports/v2/export-v2.engine.ts';
import { importLabels } from '../src/labels/label.import.ts';
import { getOntology } from '../src/ontologies/ontology.service.ts';
import type { Store } from '../src/store/store.ts';
import { MMC_SDK_FILE } from './fixtures/mmc.ts';
import { describeBackends } from './support/backends.ts';
import { lineSink } from './support/lines.ts';
import { type MmcProject, mmcProject } from './support/mmc-project.ts';
import { maskIds, ndjson } from './support/seed-rows.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

async function exportLines(store: Store, p: MmcProject, params: string[] = []): Promise<string[]> {
  const lines: string[] = [];
  const errors: string[] = [];
  const request = parseExportRequest({ params: Object.fromEntries(params.map((k) => [k, true])) });
  await runExportV2(store, p.actor, p.projectId, request, {
    result: lineSink((line) => void lines.push(line)),
    errors: lineSink((line) => void errors.push(line)),
  });
  expect(errors).toEqual([]);
  return lines;
}

/** The hand-written row with this run's ids filled in (feature ids stay masked). */
async function expectedRow(store: Store, p: MmcProject): Promise<string> {
  const ontology = await getOntology(store, p.actor, p.ontologyId);
  const schema = new Map<string, string>();
  for (const t of ontology.normalized.tools) schema.set(t.name, t.featureSchemaId);
  for (const c of ontology.normalized.classifications) {
    schema.set(c.name, c.featureSchemaId);
    for (const o of c.options) schema.set(o.value, o.featureSchemaId);
  }
  const label = await store.db
    .selectFrom('labels')
    .where('project_id', '=', p.projectId)
    .select('id')
    .executeTakeFirstOrThrow();
  const text = fixture('mmc-export-row.json')
    .replaceAll('<DATA_ROW_ID>', p.rowId)
    .replaceAll('<PROJECT_ID>', p.projectId)
    .replaceAll('<LABEL_ID>', label.id)
    .replace(/<schema:([^>]+)>/g, (_, name: string) => schema.get(name) ?? `missing ${name}`);
  return JSON.stringify(JSON.parse(text));
}

describeBackends('multimodal chat export (golden)', (ctx) => {
  const build = async () => {
    const p = await mmcProject(ctx.store);
    const imported = await importLabels(ctx.store, p.actor, {
      projectId: p.projectId,
      asEmail: p.rater,
      input: ndjson([MMC_SDK_FILE]),
    });
    expect(imported.ok).toBe(true);
    return p;
  };

  it('exports the §1.6 row with the §3.2-3.3 labels exactly as the hand-written row', async () => {
    const p = await build();
    const [line] = await exportLines(ctx.store, p);
    expect(maskIds(line!)).toBe(await expectedRow(ctx.store, p));
    // row_data is a string; the tool objects carry no value key.
    const row = JSON.parse(line!) as { data_row: { row_data: unknown } };
    expect(typeof row.data_row.row_data).toBe('string');
    expect(line!).not.toContain('"value"');
  });

  it('gives the same text from the pre-rendered fragments as from a fresh rendering, with every param', async () => {
    const p = await build();
    const params = ['data_row_details', 'project_details', 'label_details', 'performance_details'];
    const rendered = await exportLines(ctx.store, p, params);
    const fragments = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('project_id', '=', p.projectId)
      .select(['x_labels', 'x_media', 'x_head'])
      .executeTakeFirstOrThrow();
    expect(fragments.x_labels).toContain('"annotation_kind":"MessageRanking"');
    expect(fragments.x_media).toContain('model-chat-evaluation');
    await ctx.store.write((tx) =>
      tx
        .updateTable('project_data_rows')
        .set({ x_labels: null, x_history: null, x_head: null, x_media: null })
        .where('project_id', '=', p.projectId)
        .execute(),
    );
    expect(await exportLines(ctx.store, p, params)).toEqual(rendered);
  });

  it('V1 carries the tool answers unchanged in Label.objects (prefer decision) beside V1 classifications', async () => {
    const p = await build();
    let out = '';
    await writeExportV1Array(
      ctx.store,
      p.actor,
      p.projectId,
      {},
      (chunk) => {
        out += chunk;
      },
      {
        baseUrl: 'https://prefer.example/',
      },
    );
    const [label] = JSON.parse(out) as {
      Label: { objects: unknown[]; classifications: { messageId?: string }[] };
    }[];
    const [v2] = await exportLines(ctx.store, p);
    const v2Objects = Object.values(
      (JSON.parse(v2!) as { projects: Record<string, { labels: { annotations: { objects: unknown[] } }[] }> })
        .projects,
    )[0]!.labels[0]!.annotations.objects;
    expect(label!.Label.objects).toEqual(v2Objects);
    expect(label!.Label.classifications.map((c) => c.messageId ?? null)).toEqual([
      null,
      'clmmcmsg01rsb000000000000',
      'clmmcmsg01rsb000000000000',
    ]);
  });
});
