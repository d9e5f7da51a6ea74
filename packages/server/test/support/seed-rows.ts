/**
 * Test data for the project, batch and label suites, inserted directly (not through the data row
 * importer, which is tested on its own): an organization with a user, datasets, data rows.
 */

import { Readable } from 'node:stream';
import { createBatch } from '../../src/batches/batch.service.ts';
import { createOntology } from '../../src/ontologies/ontology.service.ts';
import type { Actor } from '../../src/orgs/actor.ts';
import { createProject } from '../../src/projects/project.service.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { orgAdmin } from './org-admin.ts';

export async function seedActor(
  store: Store,
  email = `owner-${newId().slice(-8)}@example.com`,
): Promise<Actor> {
  return store.write(async (tx) => {
    return orgAdmin(tx, `org ${email}`, email);
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

// ---------------------------------------------------------------------------------------------
// Label import tests: the seed page's preference questions (with the sample row's feature schema
// ids, so stored annotations compare with the sample exactly), nested and message-scoped
// questions. Rows have messages m1..m3, of which m2 and m3 are labelable.

export const SAMPLE_IDS = {
  choice: 'clpiqh0v104mq0729homqffup',
  responseB: 'clpiqh0v104mt0729atflgvvw',
  reason: 'clpiqh0v104my072907gt7id0',
  evaluations: 'clpiya8h507dx072efo9kb97j',
};

export const LABEL_TEST_ONTOLOGY = {
  tools: [],
  classifications: [
    {
      type: 'radio',
      name: 'Choose the best response',
      required: true,
      featureSchemaId: SAMPLE_IDS.choice,
      options: [
        {
          value: 'Response A',
          options: [
            {
              type: 'radio',
              name: 'Confidence',
              options: [
                { value: 'high', label: 'High', options: [{ type: 'text', name: 'Why sure' }] },
                { value: 'low', label: 'Low' },
              ],
            },
          ],
        },
        { value: 'Response B', featureSchemaId: SAMPLE_IDS.responseB },
        { value: 'Tie' },
      ],
    },
    { type: 'text', name: 'Provide a reason for your choice', featureSchemaId: SAMPLE_IDS.reason },
    {
      type: 'checklist',
      name: 'Evaluations done',
      featureSchemaId: SAMPLE_IDS.evaluations,
      options: [
        { value: 'Relevance' },
        { value: 'Usefulness' },
        {
          value: 'Toxicity',
          options: [
            { type: 'checklist', name: 'Kinds', options: [{ value: 'insult' }, { value: 'threat' }] },
          ],
        },
        { value: 'Factuality' },
      ],
    },
    {
      type: 'radio',
      name: 'Message quality',
      scope: 'index',
      options: [{ value: 'good' }, { value: 'bad', label: 'Bad answer' }],
    },
    {
      type: 'checklist',
      name: 'Message issues',
      scope: 'index',
      options: [{ value: 'long' }, { value: 'rude' }],
    },
    { type: 'text', name: 'Message note', scope: 'index' },
  ],
};

export interface LabelProject {
  actor: Actor;
  projectId: string;
  /** In the project. */
  rows: SeededRow[];
  /** In the organization, not in the project. */
  outside: SeededRow;
  /** A labeler email of this organization only (emails are unique across organizations). */
  rater: string;
}

export async function labelProject(store: Store, rowCount = 3): Promise<LabelProject> {
  const actor = await seedActor(store);
  const ontology = await createOntology(store, actor, { name: 'labels', ontology: LABEL_TEST_ONTOLOGY });
  const { id: projectId } = await createProject(store, actor, { name: 'labels', ontologyId: ontology.id });
  const { rows } = await seedDataset(store, actor, rowCount + 1);
  const inside = rows.slice(0, rowCount);
  await createBatch(store, actor, { projectId, name: 'b', dataRowIds: inside.map((r) => r.id) });
  return {
    actor,
    projectId,
    rows: inside,
    outside: rows[rowCount]!,
    rater: `rater-${newId().slice(-10)}@example.com`,
  };
}

/** NDJSON of the given lines, as a stream (the importer also takes a path). */
export const ndjson = (lines: unknown[]): Readable =>
  Readable.from([lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')]);

/** Masks generated ids so shapes compare exactly, key order included. */
export function maskIds(json: string, keys: string[] = ['feature_id']): string {
  let out = json;
  for (const key of keys) out = out.replace(new RegExp(`"${key}":"c[0-9a-z]{24}"`, 'g'), `"${key}":"<id>"`);
  return out;
}
