/**
 * A multimodal chat evaluation project built through the real services: the §1.6 conversation
 * imported by the data row importer, the §2.1/§3.3 ontology, a project with its editor task type,
 * and a batch holding the row.
 */
import { Readable } from 'node:stream';
import { createBatch } from '../../src/batches/batch.service.ts';
import { importDataRows } from '../../src/data-rows/data-row.import.ts';
import { createDataset } from '../../src/datasets/dataset.service.ts';
import { createOntology } from '../../src/ontologies/ontology.service.ts';
import type { Actor } from '../../src/orgs/actor.ts';
import { createProject } from '../../src/projects/project.service.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { MMC_ONTOLOGY, MMC_ROW_TEXT } from '../fixtures/mmc.ts';
import { seedActor } from './seed-rows.ts';

export interface MmcProject {
  actor: Actor;
  projectId: string;
  ontologyId: string;
  datasetId: string;
  /** The §1.6 row (global key mmc-example-0001). */
  rowId: string;
  rater: string;
}

/** The §1.6 data row spec, as one object. */
export const mmcRowSpec = (): Record<string, unknown> => JSON.parse(MMC_ROW_TEXT) as Record<string, unknown>;

/** Runs the data row importer on NDJSON of the given specs. */
export function importRows(store: Store, actor: Actor, datasetId: string, specs: unknown[]) {
  const text = specs.map((s) => (typeof s === 'string' ? s : JSON.stringify(s))).join('\n');
  return importDataRows(store, actor, { datasetId, input: Readable.from([Buffer.from(text)]) });
}

export async function mmcProject(store: Store, options: { consensus?: number } = {}): Promise<MmcProject> {
  const actor = await seedActor(store);
  const { id: datasetId } = await createDataset(store, actor, { name: `mmc ${newId().slice(-6)}` });
  const imported = await importRows(store, actor, datasetId, [mmcRowSpec()]);
  if (!imported.ok) throw new Error(`row import refused: ${JSON.stringify(imported.errors)}`);
  const row = await store.db
    .selectFrom('data_rows')
    .where('dataset_id', '=', datasetId)
    .select('id')
    .executeTakeFirstOrThrow();
  const ontology = await createOntology(store, actor, { name: 'mmc', ontology: MMC_ONTOLOGY });
  const { id: projectId } = await createProject(store, actor, {
    name: 'mmc',
    ontologyId: ontology.id,
    editorTaskType: 'OFFLINE_MODEL_CHAT_EVALUATION',
    consensusLabels: options.consensus ?? 1,
  });
  await createBatch(store, actor, { projectId, name: 'b', dataRowIds: [row.id] });
  return {
    actor,
    projectId,
    ontologyId: ontology.id,
    datasetId,
    rowId: row.id,
    rater: `rater-${newId().slice(-10)}@example.com`,
  };
}
