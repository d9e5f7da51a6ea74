/**
 * Test data for the project, batch and label suites, inserted directly (not through the data row
 * importer, which is tested on its own): an organization with a user, datasets, data rows.
 */

import type { Actor } from '../../src/orgs/actor.ts';
import { createOrganization, ensureUser } from '../../src/orgs/org.service.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Store } from '../../src/store/store.ts';

export async function seedActor(
  store: Store,
  email = `owner-${newId().slice(-8)}@example.com`,
): Promise<Actor> {
  return store.write(async (tx) => {
    const orgId = await createOrganization(tx, `org ${email}`);
    const user = await ensureUser(tx, orgId, email);
    return { orgId, userId: user.id, email: user.email };
  });
}

export interface SeedRow {
  globalKey?: string | null;
  /** Messages with `canLabel: true`; default m2 and m3 of three messages m1..m3. */
  labelable?: string[];
}

export interface SeededRow {
  id: string;
  globalKey: string | null;
}

/** A dataset of `rows` (a count or specs); rows get global keys `key-<n>` unless given. */
export async function seedDataset(
  store: Store,
  actor: Actor,
  rows: number | SeedRow[],
  prefix = newId().slice(-6),
): Promise<{ datasetId: string; rows: SeededRow[] }> {
  const specs: SeedRow[] = typeof rows === 'number' ? Array.from({ length: rows }, () => ({})) : rows;
  const now = Date.now();
  const datasetId = newId(now);
  const seeded: SeededRow[] = [];
  await store.write(async (tx) => {
    await tx
      .insertInto('datasets')
      .values({
        id: datasetId,
        org_id: actor.orgId,
        name: `dataset ${prefix}`,
        description: null,
        created_at: now,
        updated_at: now,
        created_by: actor.userId,
      })
      .execute();
    const values = specs.map((spec, i) => {
      const id = newId(now);
      const globalKey = spec.globalKey === undefined ? `key-${prefix}-${i}` : spec.globalKey;
      seeded.push({ id, globalKey });
      const labelable = spec.labelable ?? ['m2', 'm3'];
      const messages = ['m1', 'm2', 'm3'].map((messageId) => ({
        messageId,
        content: `message ${messageId}`,
        user: { userId: 'u', name: 'user' },
        ...(labelable.includes(messageId) ? { canLabel: true } : {}),
      }));
      return {
        id,
        org_id: actor.orgId,
        dataset_id: datasetId,
        global_key: globalKey,
        global_key_lower: globalKey?.toLowerCase() ?? null,
        external_id: null,
        row_data: JSON.stringify({ type: 'application/vnd.labelbox.conversational', version: 1, messages }),
        media_type: 'CONVERSATIONAL',
        mime_type: 'application/vnd.labelbox.conversational',
        labelable_ids: JSON.stringify(labelable),
        message_count: messages.length,
        created_at: now,
        updated_at: now,
        last_activity_at: now,
        created_by: actor.userId,
      };
    });
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insertInto('data_rows')
        .values(values.slice(i, i + 500))
        .execute();
    }
  });
  return { datasetId, rows: seeded };
}
