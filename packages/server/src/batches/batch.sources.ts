/**
 * The data rows a batch names, as pages of resolved ids. Lists are looked up a page at a time and
 * a dataset is walked by keyset pages (never loaded whole), so a million-row dataset streams
 * through in bounded memory. Unknown ids and keys are collected as faults, not thrown, so one
 * error can list them all.
 */
import { requireDataset } from '../datasets/dataset.service.ts';
import { keysetPages } from '../shared/paging.ts';
import type { FaultList } from '../shared/result.ts';
import type { Tx } from '../store/store.ts';
import type { BatchSource } from './batch.input.ts';

export const PAGE_SIZE = 1000;

export interface SourcePage {
  ids: string[];
  /** Where each id came from in the input, for faults: `$.dataRowIds[3]`, `$.datasetId`. */
  paths: string[];
}

export async function* sourcePages(
  tx: Tx,
  orgId: string,
  source: BatchSource,
  unknown: FaultList,
): AsyncGenerator<SourcePage> {
  switch (source.kind) {
    case 'ids':
      yield* listPages(source.values, '$.dataRowIds', unknown, async (chunk) => {
        // By id alone, the organization checked here: with `org_id = ?` in the query SQLite
        // walks the organization's key index instead of the primary key.
        const rows = await tx
          .selectFrom('data_rows')
          .where('id', 'in', chunk)
          .select(['id', 'org_id'])
          .execute();
        return new Map(rows.filter((r) => r.org_id === orgId).map((r) => [r.id, r.id]));
      });
      return;
    case 'keys':
      yield* listPages(source.values, '$.globalKeys', unknown, async (chunk) => {
        const rows = await tx
          .selectFrom('data_rows')
          .where('org_id', '=', orgId)
          .where(
            'global_key_lower',
            'in',
            chunk.map((k) => k.toLowerCase()),
          )
          .select(['id', 'global_key_lower'])
          .execute();
        const byLower = new Map(rows.map((r) => [r.global_key_lower ?? '', r.id]));
        return new Map(chunk.map((k) => [k, byLower.get(k.toLowerCase())]));
      });
      return;
    case 'dataset':
      yield* datasetPages(tx, orgId, source.datasetId);
      return;
    default: {
      const never: never = source;
      throw new Error(`unknown batch source ${JSON.stringify(never)}`);
    }
  }
}

async function* listPages(
  values: string[],
  path: string,
  unknown: FaultList,
  resolve: (chunk: string[]) => Promise<Map<string, string | undefined>>,
): AsyncGenerator<SourcePage> {
  const what = path === '$.dataRowIds' ? 'data row id' : 'global key';
  for (let start = 0; start < values.length; start += PAGE_SIZE) {
    const chunk = values.slice(start, start + PAGE_SIZE);
    const found = await resolve(chunk);
    const page: SourcePage = { ids: [], paths: [] };
    for (const [i, value] of chunk.entries()) {
      const id = found.get(value);
      const at = `${path}[${start + i}]`;
      if (id === undefined) unknown.add({ path: at, message: `unknown ${what} ${JSON.stringify(value)}` });
      else {
        page.ids.push(id);
        page.paths.push(at);
      }
    }
    if (page.ids.length > 0) yield page;
  }
}

async function* datasetPages(tx: Tx, orgId: string, datasetId: string): AsyncGenerator<SourcePage> {
  await requireDataset(tx, orgId, datasetId);
  const pages = keysetPages(
    PAGE_SIZE,
    (after: string | null) =>
      tx
        .selectFrom('data_rows')
        .where('dataset_id', '=', datasetId)
        .where('org_id', '=', orgId)
        .where('id', '>', after ?? '')
        .select('id')
        .orderBy('id')
        .limit(PAGE_SIZE)
        .execute(),
    (last) => last.id,
  );
  for await (const rows of pages) {
    const ids = rows.map((r) => r.id);
    yield { ids, paths: ids.map(() => '$.datasetId') };
  }
}
