/** Helpers of the data row test suites (data-rows*.test.ts). */

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { importDataRows } from '../src/data-rows/data-row.import.ts';
import { createDataset } from '../src/datasets/dataset.service.ts';
import type { Actor } from '../src/orgs/actor.ts';
import type { Store } from '../src/store/store.ts';
import { orgAdmin } from './support/org-admin.ts';

export const MIME = 'application/vnd.labelbox.conversational';

/** A fresh organization, user and dataset, so tests sharing a database never see each other. */
export async function freshDataset(store: Store): Promise<{ actor: Actor; datasetId: string }> {
  const actor = await orgAdmin(
    store.db,
    `org ${randomBytes(3).toString('hex')}`,
    `u-${randomBytes(4).toString('hex')}@example.com`,
  );
  const { id } = await createDataset(store, actor, { name: 'conversations' });
  return { actor, datasetId: id };
}

export function conversation(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: MIME,
    version: 1,
    messages: [
      {
        messageId: `${id}-p`,
        content: 'Which is better?',
        user: { userId: 'u1', name: 'Ann' },
        canLabel: true,
      },
    ],
    modelOutputs: [
      { title: 'Response A', content: 'A says hi', modelConfigName: 'a' },
      { title: 'Response B', content: 'B says hi', modelConfigName: 'b' },
    ],
    ...extra,
  };
}

export const spec = (key: string, extra: Record<string, unknown> = {}) => ({
  row_data: conversation(key),
  global_key: key,
  ...extra,
});

export const ndjson = (...values: unknown[]) => values.map((v) => `${JSON.stringify(v)}\n`).join('');

export const stream = (content: string | Buffer) => Readable.from([Buffer.from(content)]);

export function runImport(store: Store, actor: Actor, datasetId: string, content: string | Buffer) {
  return importDataRows(store, actor, { datasetId, input: stream(content) });
}

/** Every row an import can write for an organization, to assert that nothing was. */
export async function writtenCounts(store: Store, orgId: string) {
  const count = async (table: 'data_rows' | 'metadata_schemas' | 'embeddings') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .where('org_id', '=', orgId)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    dataRows: await count('data_rows'),
    metadataSchemas: await count('metadata_schemas'),
    embeddings: await count('embeddings'),
  };
}
