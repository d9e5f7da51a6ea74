/**
 * The end of an import, once every line is read: workflow tasks of the new projects (the ids the
 * file named, plus the default tasks it never mentioned, so every project has all four kinds),
 * and the content of the new ontologies (given or rebuilt from every label).
 */

import { newUuid } from '../shared/ids.ts';
import type { TaskKind } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import { DEFAULT_WORKFLOW_TASKS } from '../workflow/workflow-tasks.ts';
import type { TaskEntry } from './import-entries.ts';
import type { MigrationState } from './import-state.ts';
import { existingIds } from './import-store-checks.ts';
import { checkRebuiltOntology } from './ontology-given.ts';
import { insertRows } from './page-rows.ts';

const KIND_ORDER = new Map(DEFAULT_WORKFLOW_TASKS.map((t, i) => [t.kind, i]));

/** Checks that need the whole file: task ids against the store, and the rebuilt ontologies. */
export async function checkAtEnd(tx: Tx, state: MigrationState, ontologyGiven: boolean): Promise<void> {
  const tasks = [...state.tasks.values()];
  const found = await existingIds(
    tx,
    'workflow_tasks',
    tasks.map((t) => t.id),
  );
  for (const t of tasks) {
    if (found.has(t.id)) state.fault(t.line, t.path, `conflict: workflow task ${t.id} already exists`);
  }
  if (ontologyGiven) return;
  for (const o of state.ontologies.values()) {
    if (o.isNew) for (const f of checkRebuiltOntology(o.builder.toJson(), o.id)) state.faults.add(f);
  }
}

export async function finishImport(
  store: Store,
  tx: Tx,
  state: MigrationState,
  givenOntology: string | null,
): Promise<void> {
  const rows: { id: string; project_id: string; name: string; kind: TaskKind; position: number }[] = [];
  for (const project of state.projects.values()) {
    if (!project.isNew) continue;
    const tasks: Pick<TaskEntry, 'id' | 'name' | 'kind'>[] = [...state.tasks.values()].filter(
      (t) => t.projectId === project.id,
    );
    const fb = project.fallback;
    if (fb) {
      tasks.push({ id: fb.labelTaskId, name: 'Initial labeling task', kind: 'LABEL' });
      tasks.push({ id: fb.doneTaskId, name: 'Done', kind: 'DONE' });
    }
    for (const d of DEFAULT_WORKFLOW_TASKS) {
      if (!tasks.some((t) => t.kind === d.kind)) tasks.push({ id: newUuid(), name: d.name, kind: d.kind });
    }
    // Stable sort: tasks of one kind keep the order the file showed them in.
    tasks.sort((a, b) => KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)!);
    tasks.forEach((t, position) => {
      rows.push({ id: t.id, project_id: project.id, name: t.name, kind: t.kind, position });
    });
  }
  await insertRows(store, tx, 'workflow_tasks', rows);

  // Shared objects were inserted when first needed: their times become the oldest of all their rows.
  for (const d of state.datasets.values()) {
    if (d.isNew)
      await tx
        .updateTable('datasets')
        .set({ created_at: d.createdAt, updated_at: d.createdAt })
        .where('id', '=', d.id)
        .execute();
  }
  for (const p of state.projects.values()) {
    if (!p.isNew) continue;
    const at = { created_at: p.createdAt, updated_at: p.createdAt };
    await tx.updateTable('projects').set(at).where('id', '=', p.id).execute();
    if (p.fallback)
      await tx
        .updateTable('batches')
        .set({ created_at: p.createdAt })
        .where('id', '=', p.fallback.batchId)
        .execute();
  }
  for (const b of state.batches.values()) {
    if (b.isNew)
      await tx.updateTable('batches').set({ created_at: b.createdAt }).where('id', '=', b.id).execute();
  }

  // Enum schemas list the options the file named, after those already stored.
  for (const m of state.metadata.values()) {
    if (m.kind !== 'enum') continue;
    const stored = await tx
      .selectFrom('metadata_schemas')
      .select('options')
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    const options = JSON.parse(stored.options ?? '[]') as { id: string; name: string }[];
    for (const [id, name] of m.options) if (!options.some((o) => o.id === id)) options.push({ id, name });
    await tx
      .updateTable('metadata_schemas')
      .set({ options: JSON.stringify(options) })
      .where('id', '=', m.id)
      .execute();
  }

  for (const o of state.ontologies.values()) {
    if (!o.isNew) continue;
    await tx
      .updateTable('ontologies')
      .set({ normalized: givenOntology ?? o.builder.toJson() })
      .where('id', '=', o.id)
      .execute();
  }
}
