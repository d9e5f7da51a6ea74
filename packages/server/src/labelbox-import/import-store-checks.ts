/**
 * Checks a page of parsed rows against what the store already holds. Kept ids must be free:
 * an id that exists (in this organization or another one: ids are global) is a listed fault,
 * never an overwrite, and the fault is the same wherever the id is: it never tells that another
 * organization holds it. Datasets, ontologies, metadata schemas and embeddings of this
 * organization are shared objects: an existing one with the same fields is reused.
 */
import type { Actor } from '../orgs/actor.ts';
import type { Tx } from '../store/store.ts';
import type { ParsedRow } from './export-row.types.ts';
import type { MigrationState } from './import-state.ts';

type IdTable = 'data_rows' | 'labels' | 'reviews' | 'attachments' | 'projects' | 'batches' | 'workflow_tasks';

const CHUNK = 500;

/** Ids of `ids` present in `table`. */
export async function existingIds(tx: Tx, table: IdTable, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await tx
      .selectFrom(table as 'labels')
      .select('id')
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

export async function checkPage(
  tx: Tx,
  actor: Actor,
  state: MigrationState,
  rows: readonly ParsedRow[],
): Promise<void> {
  const conflict = (line: number, path: string, what: string, id: string) =>
    state.fault(line, path, `conflict: ${what} ${id} already exists`);
  const each = (pick: (row: ParsedRow) => { id: string; path: string }[]) =>
    rows.flatMap((row) => pick(row).map((x) => ({ ...x, line: row.line })));
  const check = async (table: IdTable, what: string, items: { id: string; path: string; line: number }[]) => {
    const found = await existingIds(
      tx,
      table,
      items.map((x) => x.id),
    );
    for (const x of items) if (found.has(x.id)) conflict(x.line, x.path, what, x.id);
  };

  await check(
    'data_rows',
    'data row',
    each((r) => [{ id: r.id, path: '$.data_row.id' }]),
  );
  await check(
    'attachments',
    'attachment',
    each((r) => r.attachments.map((a, i) => ({ id: a.id, path: `$.attachments[${i}].id` }))),
  );
  const labels = each((r) =>
    r.projects.flatMap((p) => p.labels.map((l) => ({ id: l.id, path: `${l.path}.id` }))),
  );
  await check('labels', 'label', labels);
  const reviews = each((r) =>
    r.projects.flatMap((p) =>
      p.labels.flatMap((l) =>
        (l.details?.reviews ?? []).map((v, i) => ({
          id: v.id,
          path: `${l.path}.label_details.reviews[${i}].id`,
        })),
      ),
    ),
  );
  await check('reviews', 'review', reviews);
  await checkGlobalKeys(tx, actor, state, rows);
  await checkShared(tx, actor, state);
}

async function checkGlobalKeys(
  tx: Tx,
  actor: Actor,
  state: MigrationState,
  rows: readonly ParsedRow[],
): Promise<void> {
  const keyed = rows.filter((r) => r.globalKey !== null);
  for (let i = 0; i < keyed.length; i += CHUNK) {
    const page = keyed.slice(i, i + CHUNK);
    const found = await tx
      .selectFrom('data_rows')
      .select('global_key_lower')
      .where('org_id', '=', actor.orgId)
      .where(
        'global_key_lower',
        'in',
        page.map((r) => r.globalKey!.toLowerCase()),
      )
      .execute();
    const taken = new Set(found.map((f) => f.global_key_lower));
    for (const r of page) {
      if (taken.has(r.globalKey!.toLowerCase())) {
        state.fault(
          r.line,
          '$.data_row.global_key',
          `conflict: global key ${JSON.stringify(r.globalKey)} is already used`,
        );
      }
    }
  }
}

/** Settles `isNew` of every shared object seen for the first time since the last page. */
async function checkShared(tx: Tx, actor: Actor, state: MigrationState): Promise<void> {
  const unsettled = <T extends { isNew?: boolean }>(m: Map<string, T>) =>
    [...m.values()].filter((e) => e.isNew === undefined);

  for (const table of ['projects', 'batches'] as const) {
    const entries: { id: string; line: number; path: string; isNew?: boolean }[] =
      table === 'projects' ? unsettled(state.projects) : unsettled(state.batches);
    const found = await existingIds(
      tx,
      table,
      entries.map((e) => e.id),
    );
    for (const e of entries) {
      e.isNew = !found.has(e.id);
      if (!e.isNew)
        state.fault(
          e.line,
          e.path,
          `conflict: ${table === 'projects' ? 'project' : 'batch'} ${e.id} already exists`,
        );
    }
  }

  for (const e of unsettled(state.datasets)) {
    const row = await tx
      .selectFrom('datasets')
      .select(['org_id', 'name'])
      .where('id', '=', e.id)
      .executeTakeFirst();
    e.isNew = !row;
    // One answer whether the dataset is another organization's or this one's under another name:
    // the fault must not tell that another organization holds the id.
    if (row && (row.org_id !== actor.orgId || row.name !== e.name)) {
      state.fault(e.line, e.path, `conflict: dataset ${e.id} already exists and cannot be reused`);
    }
  }

  for (const e of unsettled(state.ontologies)) {
    const row = await tx.selectFrom('ontologies').select('org_id').where('id', '=', e.id).executeTakeFirst();
    e.isNew = !row;
    if (row && row.org_id !== actor.orgId)
      state.fault(e.line, e.path, `conflict: ontology ${e.id} already exists and cannot be reused`);
  }

  for (const e of unsettled(state.metadata)) {
    const rows = await tx
      .selectFrom('metadata_schemas')
      .select(['id', 'org_id', 'name', 'kind', 'options'])
      .where((w) =>
        w.or([w('id', '=', e.id), w.and([w('org_id', '=', actor.orgId), w('name', '=', e.name)])]),
      )
      .execute();
    e.isNew = rows.length === 0;
    const r = rows[0];
    const same = rows.length === 1 && r!.id === e.id && r!.org_id === actor.orgId && r!.name === e.name;
    if (rows.length > 0 && !(same && kindsAgree(r!.kind, e.kind))) {
      state.fault(
        e.line,
        e.path,
        `conflict: metadata schema ${e.id} (${e.name}) clashes with an existing schema`,
      );
    } else if (r?.kind === 'enum' && e.kind === 'string') {
      const options = JSON.parse(r.options ?? '[]') as { id: string; name: string }[];
      e.enumByName = new Map(options.map((o) => [o.name, o.id]));
    }
  }

  for (const e of unsettled(state.embeddings)) {
    const rows = await tx
      .selectFrom('embeddings')
      .select(['id', 'org_id', 'name', 'dimensions', 'is_custom'])
      .where((w) =>
        w.or([w('id', '=', e.id), w.and([w('org_id', '=', actor.orgId), w('name', '=', e.name)])]),
      )
      .execute();
    e.isNew = rows.length === 0;
    const r = rows[0];
    const same =
      rows.length === 1 &&
      r!.id === e.id &&
      r!.org_id === actor.orgId &&
      r!.name === e.name &&
      r!.dimensions === e.dimensions &&
      r!.is_custom === (e.isCustom ? 1 : 0);
    if (rows.length > 0 && !same)
      state.fault(e.line, e.path, `conflict: embedding ${e.id} (${e.name}) clashes with an existing one`);
  }
}

/** Exports give datetimes and enum options (by name) as strings: an existing schema of those kinds takes them. */
function kindsAgree(stored: string, inFile: string): boolean {
  return stored === inFile || (inFile === 'string' && (stored === 'datetime' || stored === 'enum'));
}
