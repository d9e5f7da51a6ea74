/**
 * What an import has seen so far, across lines: ids already used in the file, and the shared
 * objects (datasets, projects, batches, workflow tasks, ontologies, metadata schemas, embeddings)
 * that several lines name. A second sighting must agree with the first, else it is a fault.
 * No database access here: `import-writer.ts` checks against the store and writes.
 */

import type { ClassificationLookup } from '../ontologies/ontology.index.ts';
import { newId, newUuid } from '../shared/ids.ts';
import { FaultList } from '../shared/result.ts';
import type { TaskKind } from '../store/schema.ts';
import type { ParsedProject, ParsedRow } from './export-row.types.ts';
import {
  type BatchEntry,
  type DatasetEntry,
  type EmbeddingEntry,
  FALLBACK_NAME,
  KIND_BY_NAME,
  KIND_BY_STATUS,
  type MetadataEntry,
  type OntologyEntry,
  type ProjectEntry,
  type Seen,
  type TaskEntry,
} from './import-entries.ts';
import { checkAgainstOntology } from './ontology-check.ts';
import { OntologyBuilder } from './ontology-rebuild.ts';
import { rowAddedAt, rowCreatedAt } from './row-times.ts';

/** Entry fields as the export names them, for fault messages. */
const FIELD_NAMES: Record<string, string> = {
  hasDetails: 'project_details presence',
  ontologyId: 'ontology_id',
  consensus: 'consensus_expected_label_count',
  projectId: 'project',
  isCustom: 'is_custom',
};

export class MigrationState {
  readonly faults = new FaultList();
  readonly dataRowIds = new Set<string>();
  readonly globalKeys = new Set<string>();
  readonly labelIds = new Set<string>();
  readonly reviewIds = new Set<string>();
  readonly attachmentIds = new Set<string>();
  readonly datasets = new Map<string, DatasetEntry>();
  readonly projects = new Map<string, ProjectEntry>();
  readonly batches = new Map<string, BatchEntry>();
  readonly tasks = new Map<string, TaskEntry>();
  readonly ontologies = new Map<string, OntologyEntry>();
  readonly metadata = new Map<string, MetadataEntry>();
  readonly embeddings = new Map<string, EmbeddingEntry>();
  private fallbackDataset: DatasetEntry | null = null;

  /** The questions of the given ontology, or null when the ontology is rebuilt. */
  constructor(
    private readonly givenQuestions: ClassificationLookup | null,
    private readonly now: number,
  ) {}

  fault(line: number, path: string, message: string): void {
    this.faults.add({ line, path, message });
  }

  /** Registers a parsed row; answers false (with faults listed) when it clashes with earlier lines. */
  check(row: ParsedRow): boolean {
    const before = this.faults.count;
    const line = row.line;
    this.unique(this.dataRowIds, row.id, line, '$.data_row.id', 'data row id');
    if (row.globalKey !== null) {
      this.unique(this.globalKeys, row.globalKey.toLowerCase(), line, '$.data_row.global_key', 'global key');
    }
    this.dataset(row);
    row.attachments.forEach((a, i) => {
      this.unique(this.attachmentIds, a.id, line, `$.attachments[${i}].id`, 'attachment id');
    });
    row.metadata.forEach((m, i) => {
      const path = `$.metadata_fields[${i}]`;
      const e = this.same(
        this.metadata,
        m.schemaId,
        line,
        path,
        { id: m.schemaId, name: m.schemaName, kind: m.kind, options: new Map() },
        ['name', 'kind'],
        'metadata schema',
      );
      if (e && m.option) e.options.set(m.option.id, m.option.name);
    });
    row.embeddings.forEach((e, i) => {
      this.same(
        this.embeddings,
        e.id,
        line,
        `$.embeddings[${i}]`,
        { id: e.id, name: e.name, dimensions: e.dimensions, isCustom: e.isCustom },
        ['name', 'dimensions', 'isCustom'],
        'embedding',
      );
    });
    for (const p of row.projects) this.project(row, p);
    return this.faults.count === before;
  }

  private unique(set: Set<string>, id: string, line: number, path: string, what: string): void {
    if (set.has(id)) this.fault(line, path, `${what} ${JSON.stringify(id)} appears twice in the file`);
    set.add(id);
  }

  /** Finds or registers a shared object; a second sighting with other field values is a fault. */
  private same<T extends Seen>(
    map: Map<string, T>,
    id: string,
    line: number,
    path: string,
    fresh: Omit<T, 'line' | 'path'>,
    fields: readonly (keyof T & string)[],
    what: string,
  ): T | undefined {
    const seen = map.get(id);
    if (!seen) {
      const entry = { ...fresh, line, path } as T;
      map.set(id, entry);
      return entry;
    }
    const diff = fields.filter((f) => seen[f] !== (fresh as T)[f]).map((f) => FIELD_NAMES[f] ?? f);
    if (diff.length === 0) return seen;
    this.fault(line, path, `${what} ${id} has another ${diff.join(' and ')} than on line ${seen.line}`);
    return undefined;
  }

  private dataset(row: ParsedRow): void {
    const d = row.details;
    if (!d) {
      this.fallbackDataset ??= {
        id: newId(this.now),
        name: FALLBACK_NAME,
        createdAt: this.now,
        line: row.line,
        path: '$.data_row',
      };
      this.datasets.set(this.fallbackDataset.id, this.fallbackDataset);
      // No older than its oldest row.
      this.fallbackDataset.createdAt = Math.min(this.fallbackDataset.createdAt, rowCreatedAt(row, this.now));
      return;
    }
    const e = this.same(
      this.datasets,
      d.datasetId,
      row.line,
      '$.data_row.details',
      { id: d.datasetId, name: d.datasetName, createdAt: d.createdAt },
      ['name'],
      'dataset',
    );
    if (e && d.createdAt < e.createdAt) e.createdAt = d.createdAt;
  }

  datasetOf(row: ParsedRow): string {
    return row.details?.datasetId ?? this.fallbackDataset!.id;
  }

  private project(row: ParsedRow, p: ParsedProject): void {
    const line = row.line;
    const d = p.details;
    const fresh = {
      id: p.id,
      name: p.name,
      hasDetails: d !== null,
      ontologyId: d?.ontologyId ?? newId(this.now),
      consensus: d?.consensusExpectedLabelCount ?? 1,
      createdAt: rowAddedAt(row, p, this.now),
      fallback: d ? null : { batchId: newUuid(), labelTaskId: newUuid(), doneTaskId: newUuid() },
    };
    const fields = d ? (['name', 'hasDetails', 'ontologyId'] as const) : (['name', 'hasDetails'] as const);
    const e = this.same(this.projects, p.id, line, p.path, fresh, fields, 'project');
    if (!e) return;
    e.createdAt = Math.min(e.createdAt, fresh.createdAt);
    const ontology = this.ontologies.get(e.ontologyId) ?? {
      id: e.ontologyId,
      name: p.name,
      builder: new OntologyBuilder(),
      line,
      path: p.path,
    };
    this.ontologies.set(e.ontologyId, ontology);
    for (const label of p.labels) {
      this.unique(this.labelIds, label.id, line, `${label.path}.id`, 'label id');
      label.details?.reviews.forEach((r, i) => {
        this.unique(this.reviewIds, r.id, line, `${label.path}.label_details.reviews[${i}].id`, 'review id');
      });
      const path = `${label.path}.annotations.classifications`;
      const report = (at: string, message: string) => {
        this.fault(line, at, message);
        return false as const;
      };
      ontology.builder.add(label.classifications, path, report);
      if (this.givenQuestions) checkAgainstOntology(label.classifications, this.givenQuestions, path, report);
    }
    if (!d) return;
    const batch = this.same(
      this.batches,
      d.batchId,
      line,
      `${p.path}.project_details.batch_id`,
      {
        id: d.batchId,
        projectId: p.id,
        name: d.batchName,
        priority: d.priority,
        consensus: d.consensusExpectedLabelCount,
        createdAt: fresh.createdAt,
      },
      ['projectId', 'name', 'consensus'],
      'batch',
    );
    if (batch) batch.createdAt = Math.min(batch.createdAt, fresh.createdAt);
    const at = `${p.path}.project_details`;
    this.task(
      p.id,
      d.taskId,
      d.taskName,
      KIND_BY_NAME.get(d.taskName) ?? KIND_BY_STATUS.get(d.workflowStatus)!,
      line,
      at,
      true,
    );
    for (const h of d.history) {
      if (h.previousTaskId !== null)
        this.task(p.id, h.previousTaskId, h.previousTaskName!, undefined, line, at, false);
      this.task(p.id, h.nextTaskId, h.nextTaskName, undefined, line, at, false);
    }
  }

  /** Tasks named only in history take their kind from the name; unknown names count as REVIEW steps. */
  private task(
    projectId: string,
    id: string,
    name: string,
    kind: TaskKind | undefined,
    line: number,
    path: string,
    current: boolean,
  ): void {
    const seen = this.tasks.get(id);
    if (seen && seen.projectId !== projectId) {
      this.fault(line, path, `workflow task ${id} belongs to project ${seen.projectId} on line ${seen.line}`);
      return;
    }
    if (seen && !current) return;
    const entry = { id, projectId, name, kind: kind ?? KIND_BY_NAME.get(name) ?? 'REVIEW', line, path };
    // The current task's name and the row's status describe the task best: they win over history.
    if (!seen || current) this.tasks.set(id, seen ? { ...seen, name: entry.name, kind: entry.kind } : entry);
  }
}
