/**
 * The demo project `npm start` opens on: the demo conversations imported into a dataset, the
 * canonical preference ontology, a project, and one batch holding every row. Everything goes
 * through the public services, so the demo is built exactly as a user's project would be.
 *
 * Seeding is idempotent and resumable: each step first looks for what an earlier (possibly
 * interrupted) run made, by name, and only creates what is missing.
 */
import { Readable } from 'node:stream';
import { CANONICAL_PREFERENCE_ONTOLOGY } from '@prefer/schemas';
import { createBatch } from '../batches/batch.service.ts';
import { importDataRows } from '../data-rows/data-row.import.ts';
import { createDataset } from '../datasets/dataset.service.ts';
import { createOntology } from '../ontologies/ontology.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { createProject } from '../projects/project.service.ts';
import { AppError, describeFaults } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { demoDataRows } from './conversations.ts';

export const DEMO_PROJECT_NAME = 'Demo: assistant preference';
export const DEMO_DATASET_NAME = 'Demo: assistant conversations';
const DEMO_ONTOLOGY_NAME = 'Demo: preference ontology';
const DEMO_BATCH_NAME = 'Demo batch';

export interface DemoIds {
  /** False when the demo project already existed and nothing was created. */
  created: boolean;
  datasetId: string;
  ontologyId: string;
  projectId: string;
  batchId: string;
  dataRows: number;
}

export async function seedDemo(store: Store, actor: Actor): Promise<DemoIds> {
  const dataset = await demoDataset(store, actor);
  let project = await store.db
    .selectFrom('projects')
    .where('org_id', '=', actor.orgId)
    .where('name', '=', DEMO_PROJECT_NAME)
    .select(['id', 'ontology_id'])
    .orderBy('created_at')
    .executeTakeFirst();
  let created = false;
  if (!project) {
    const ontology = await createOntology(store, actor, {
      name: DEMO_ONTOLOGY_NAME,
      ontology: CANONICAL_PREFERENCE_ONTOLOGY,
    });
    const { id } = await createProject(store, actor, {
      name: DEMO_PROJECT_NAME,
      ontologyId: ontology.id,
      description: 'Which of two assistant responses is better? A few conversations to try prefer on.',
    });
    project = { id, ontology_id: ontology.id };
    created = true;
  }
  const batch = await store.db
    .selectFrom('batches')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', project.id)
    .select('id')
    .orderBy('created_at')
    .executeTakeFirst();
  const batchId =
    batch?.id ??
    (await createBatch(store, actor, { projectId: project.id, name: DEMO_BATCH_NAME, datasetId: dataset.id }))
      .id;
  return {
    created: created || !batch || dataset.created,
    datasetId: dataset.id,
    ontologyId: project.ontology_id,
    projectId: project.id,
    batchId,
    dataRows: dataset.dataRows,
  };
}

/** The demo dataset with its rows, imported unless an earlier run already did. */
async function demoDataset(
  store: Store,
  actor: Actor,
): Promise<{ id: string; dataRows: number; created: boolean }> {
  const existing = await store.db
    .selectFrom('datasets')
    .leftJoin('data_rows', 'data_rows.dataset_id', 'datasets.id')
    .where('datasets.org_id', '=', actor.orgId)
    .where('datasets.name', '=', DEMO_DATASET_NAME)
    .groupBy('datasets.id')
    .select(['datasets.id', (e) => e.fn.count<number | string>('data_rows.id').as('rows')])
    .orderBy('datasets.id')
    .execute();
  const filled = existing.find((d) => Number(d.rows) > 0);
  if (filled) return { id: filled.id, dataRows: Number(filled.rows), created: false };

  const id = existing[0]?.id ?? (await createDataset(store, actor, { name: DEMO_DATASET_NAME })).id;
  const ndjson = demoDataRows()
    .map((row) => `${JSON.stringify(row)}\n`)
    .join('');
  const result = await importDataRows(store, actor, {
    datasetId: id,
    input: Readable.from([Buffer.from(ndjson)]),
  });
  if (!result.ok) {
    // The demo rows are ours: a refusal is a bug in this file or in the importer, not user error.
    throw new AppError('INTERNAL', `the demo data rows were refused:\n${describeFaults(result.errors)}`);
  }
  return { id, dataRows: result.counts.dataRows, created: true };
}
