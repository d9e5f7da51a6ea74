/**
 * The golden round trip: a Labelbox export v2 row, imported with its ids kept, exports back as
 * the very same text, key order included. The seed sample must come back identical with the
 * seed's params; prefer's own fixtures with every param.
 */
import { beforeAll, expect, it } from 'vitest';
import { parseExportRequest } from '../src/exports/export.request.ts';
import { runExportV2 } from '../src/exports/export-v2.engine.ts';
import { importLabelboxExport } from '../src/migration/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import type { Store } from '../src/store/store.ts';
import { fixtureText, ndjson, newOrgActor } from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';

const SEED_PARAMS = [
  'attachments',
  'metadata_fields',
  'data_row_details',
  'project_details',
  'label_details',
  'performance_details',
];
const ALL_PARAMS = [...SEED_PARAMS, 'embeddings'];

const GOLDEN: { fixture: string; params: string[] }[] = [
  { fixture: 'seed-sample-export-row.json', params: SEED_PARAMS },
  { fixture: 'migration-message-scoped.json', params: ALL_PARAMS },
  { fixture: 'migration-consensus.json', params: ALL_PARAMS },
  { fixture: 'migration-reviews.json', params: ALL_PARAMS },
  { fixture: 'migration-metadata-attachments.json', params: ALL_PARAMS },
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
    result: (line) => void lines.push(line),
    errors: (line) => void errors.push(line),
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
});
