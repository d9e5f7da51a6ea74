/**
 * Checks of the export fragments (exports/v2/fragments.ts) shared by the fragment suites: the stored
 * fragments against a fresh render, and the export that splices them against one rendered from
 * the tables alone.
 */
import { expect } from 'vitest';
import { loadExportContext } from '../../src/exports/v2/export-context.ts';
import { flushFragments } from '../../src/exports/v2/fragment-refresh.ts';
import { FRAGMENT_PARAMS, type FragmentSource, renderRows } from '../../src/exports/v2/fragments.ts';
import type { Actor } from '../../src/orgs/actor.ts';
import type { Store } from '../../src/store/store.ts';
import { collect } from './export-fixtures.ts';
import { ALL_PARAMS, SEED_PARAMS } from './seed-params.ts';

/** Param sets that splice both fragments, one of them, or neither. */
export const PARAM_SETS = [
  ALL_PARAMS,
  SEED_PARAMS,
  { label_details: true },
  { performance_details: true, project_details: true },
  { attachments: true },
  { metadata_fields: true, data_row_details: true },
  {},
];

export async function storedFragments(store: Store, projectId: string) {
  return store.db
    .selectFrom('project_data_rows as pdr')
    .innerJoin('data_rows as dr', 'dr.id', 'pdr.data_row_id')
    .where('pdr.project_id', '=', projectId)
    .select([
      'pdr.data_row_id',
      'pdr.batch_id',
      'dr.global_key',
      'dr.external_id',
      'dr.row_data',
      'dr.mime_type',
      'dr.labelable_ids',
      'dr.message_count',
      'pdr.x_head',
      'pdr.x_media',
      'pdr.x_attachments',
      'pdr.x_metadata',
      'pdr.x_labels',
      'pdr.x_history',
    ])
    .orderBy('pdr.data_row_id')
    .execute();
}

/** Each row's fragments as rendered from the tables now. */
export async function rendered(
  store: Store,
  actor: Actor,
  projectId: string,
  rows: readonly FragmentSource[],
) {
  const ctx = await loadExportContext(store.db, actor, projectId, FRAGMENT_PARAMS);
  return new Map(await renderRows(ctx, rows));
}

export async function exportsOf(store: Store, actor: Actor, projectId: string) {
  const out: string[][] = [];
  for (const params of PARAM_SETS) {
    const c = await collect(store, actor, projectId, { params });
    expect(c.errors).toEqual([]);
    out.push(c.lines);
  }
  return out;
}

/**
 * Every row of the project has fragments equal to a fresh render, and the exports with them
 * equal the exports without them (the rows rendered from the tables by the exporter).
 */
export async function expectFresh(store: Store, actor: Actor, projectId: string): Promise<void> {
  // What the request path left to the background renderer is rendered first.
  await flushFragments(store);
  const stored = await storedFragments(store, projectId);
  expect(stored.length).toBeGreaterThan(0);
  // Without the stored text, so that every fragment is rendered from the tables now.
  const now = await rendered(
    store,
    actor,
    projectId,
    stored.map(({ x_head: _h, x_media: _d, x_attachments: _a, x_metadata: _m, ...row }) => row),
  );
  for (const row of stored) {
    expect(row.x_labels, `x_labels of ${row.data_row_id}`).not.toBeNull();
    expect(row.x_history, `x_history of ${row.data_row_id}`).not.toBeNull();
    expect(row.x_head, `x_head of ${row.data_row_id}`).not.toBeNull();
    expect(row.x_media, `x_media of ${row.data_row_id}`).not.toBeNull();
    expect(row.x_attachments, `x_attachments of ${row.data_row_id}`).not.toBeNull();
    expect(row.x_metadata, `x_metadata of ${row.data_row_id}`).not.toBeNull();
    const { x_head, x_media, x_attachments, x_metadata, x_labels, x_history } = row;
    expect({ x_head, x_media, x_attachments, x_metadata, x_labels, x_history }).toEqual(
      now.get(row.data_row_id),
    );
  }
  const spliced = await exportsOf(store, actor, projectId);
  await clearFragments(store, projectId);
  expect(await exportsOf(store, actor, projectId)).toEqual(spliced);
  // Put them back as they were, so the next step starts from the writers' own state.
  for (const row of stored) {
    await store.db
      .updateTable('project_data_rows')
      .set({
        x_head: row.x_head,
        x_media: row.x_media,
        x_attachments: row.x_attachments,
        x_metadata: row.x_metadata,
        x_labels: row.x_labels,
        x_history: row.x_history,
      })
      .where('project_id', '=', projectId)
      .where('data_row_id', '=', row.data_row_id)
      .execute();
  }
}

export const clearFragments = (store: Store, projectId: string) =>
  store.db
    .updateTable('project_data_rows')
    .set({
      x_head: null,
      x_media: null,
      x_attachments: null,
      x_metadata: null,
      x_labels: null,
      x_history: null,
    })
    .where('project_id', '=', projectId)
    .execute();

/**
 * After a write made behind the fragments' back (a direct UPDATE of an input): every stored
 * fragment that is not NULL equals a fresh render, and the export that splices them equals the
 * export rendered from the tables alone. Answers the spliced export with ALL_PARAMS' lines.
 */
export async function expectNothingStale(store: Store, actor: Actor, projectId: string): Promise<string[]> {
  const stored = await storedFragments(store, projectId);
  const now = await rendered(
    store,
    actor,
    projectId,
    stored.map(({ x_head: _h, x_media: _d, x_attachments: _a, x_metadata: _m, ...row }) => row),
  );
  for (const row of stored) {
    const fresh = now.get(row.data_row_id)!;
    for (const key of ['x_head', 'x_media', 'x_attachments', 'x_metadata', 'x_labels', 'x_history'] as const)
      if (row[key] !== null) expect(row[key], `${key} of ${row.data_row_id}`).toBe(fresh[key]);
  }
  const spliced = await exportsOf(store, actor, projectId);
  await clearFragments(store, projectId);
  expect(await exportsOf(store, actor, projectId)).toEqual(spliced);
  return spliced[0]!;
}
