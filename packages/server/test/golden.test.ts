/**
 * The golden round trip: a Labelbox export v2 row, imported with its ids kept, exports back as
 * the very same text, key order included. The seed sample must come back identical with the
 * seed's params; prefer's own fixtures with every param.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { parseExportRequest } from '../src/exports/request/export.request.ts';
import { runExportV2 } from '../src/exports/v2/export-v2.engine.ts';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import type { Store } from '../src/store/store.ts';
import { fixtureText, ndjson, newOrgActor } from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';
import { lineSink } from './support/lines.ts';
import { ALL_PARAMS as ALL, SEED_PARAMS as SEED } from './support/seed-params.ts';

const SEED_PARAMS = Object.keys(SEED);
const ALL_PARAMS = Object.keys(ALL);

const GOLDEN: { fixture: string; params: string[] }[] = [
  { fixture: 'seed-sample-export-row.json', params: SEED_PARAMS },
  { fixture: 'migration-message-scoped.json', params: ALL_PARAMS },
  { fixture: 'migration-consensus.json', params: ALL_PARAMS },
  { fixture: 'migration-reviews.json', params: ALL_PARAMS },
  { fixture: 'migration-metadata-attachments.json', params: ALL_PARAMS },
  // Multimodal chat evaluation: a v2 row with the three message tools and message-level answers.
  { fixture: 'migration-mmc.json', params: ALL_PARAMS },
];

async function exportLines(
  store: Store,
  actor: Actor,
  projectId: string,
  params: string[],
): Promise<string[]> {
  const lines: string[] = [];
  const errors: string[] = [];
  const request = parseExportRequest({ params: Object.fromEntries(params.map((p) => [p, true])) });
  await runExportV2(store, actor, projectId, request, {
    result: lineSink((line) => void lines.push(line)),
    errors: lineSink((line) => void errors.push(line)),
  });
  expect(errors).toEqual([]);
  return lines;
}

describeBackends('golden round trip: Labelbox export v2 → import → export', (ctx) => {
  let actor: Actor;
  beforeAll(async () => {
    actor = await newOrgActor(ctx.store, 'Golden org');
  });

  for (const { fixture, params } of GOLDEN) {
    it(`${fixture} comes back identical`, async () => {
      const expected = JSON.stringify(JSON.parse(fixtureText(fixture)));
      const row = JSON.parse(expected) as { projects: Record<string, unknown> };
      const imported = await importLabelboxExport(ctx.store, actor, { input: ndjson(expected) });
      expect(imported).toMatchObject({ ok: true });
      const projectIds = Object.keys(row.projects);
      expect(projectIds).toHaveLength(1);
      expect(await exportLines(ctx.store, actor, projectIds[0]!, params)).toEqual([expected]);
    });
  }

  it('a 450-line file, streamed in 1 KiB chunks, comes back line for line', async () => {
    const base = JSON.stringify(JSON.parse(fixtureText('migration-consensus.json')));
    const lines = Array.from({ length: 450 }, (_, i) => {
      const tag = i.toString(36).padStart(3, '0');
      // New row, global key and label ids per line; one new project, batch and task set for all.
      return base
        .replaceAll('crowconsensus000000000000', `crowconsensus00000000l${tag}`)
        .replaceAll('laptops/travel-0002', `laptops/travel-big-${tag}`)
        .replaceAll('clabelconsensus1000000000', `clabelconsensus100000l${tag}`)
        .replaceAll('clabelconsensus2000000000', `clabelconsensus200000l${tag}`)
        .replaceAll('cprojconsensus00000000000', 'cprojconsensusbig00000000')
        .replaceAll('7c2d1b63-1e9f-4a3f-8b68-2e4a1d0b2', '7c2d1b63-1e9f-4a3f-8b68-2e4a1d0bb');
    });
    // The last line entered the project first: project and batch (written with page 1) take its time.
    lines[449] = lines[449]!.replace('2024-03-06T07:00:00.000+00:00', '2024-03-01T07:00:00.000+00:00');
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 1024) }, (_, i) =>
      bytes.subarray(i * 1024, (i + 1) * 1024),
    );
    const imported = await importLabelboxExport(ctx.store, actor, { input: Readable.from(chunks) });
    expect(imported).toMatchObject({
      ok: true,
      counts: { dataRows: 450, projects: 1, batches: 1, labels: 900 },
    });
    const oldest = Date.parse('2024-03-01T07:00:00.000Z');
    const project = await ctx.store.db
      .selectFrom('projects')
      .select('created_at')
      .where('id', '=', 'cprojconsensusbig00000000')
      .executeTakeFirstOrThrow();
    const batch = await ctx.store.db
      .selectFrom('batches')
      .select('created_at')
      .where('project_id', '=', 'cprojconsensusbig00000000')
      .executeTakeFirstOrThrow();
    expect([project.created_at, batch.created_at]).toEqual([oldest, oldest]);
    const exported = await exportLines(ctx.store, actor, 'cprojconsensusbig00000000', ALL_PARAMS);
    expect(exported).toEqual([...lines].sort());
  });
});
