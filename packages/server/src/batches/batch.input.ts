/** Checks the input of `createBatch` before any query: one source, sane lists, priority 1..5. */
import { MAX_CONSENSUS_LABELS } from '../projects/project.service.ts';
import { AppError, type Fault } from '../shared/errors.ts';
import { FaultList } from '../shared/result.ts';

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 5;

export interface CreateBatchInput {
  projectId: string;
  name: string;
  /** 1 (highest) to 5 (lowest, the default). */
  priority?: number | undefined;
  dataRowIds?: string[] | undefined;
  /** Matched case-insensitively, as global keys are unique that way. */
  globalKeys?: string[] | undefined;
  datasetId?: string | undefined;
  /** Labels wanted per row of this batch (consensus), 1 to 10; default: the project's. */
  consensusLabels?: number | undefined;
}

export type BatchSource =
  | { kind: 'ids'; values: string[] }
  | { kind: 'keys'; values: string[] }
  | { kind: 'dataset'; datasetId: string };

export interface CheckedBatchInput {
  projectId: string;
  name: string;
  priority: number;
  /** null: the project's count. */
  consensusLabels: number | null;
  source: BatchSource;
}

export function checkBatchInput(input: CreateBatchInput): CheckedBatchInput {
  const faults = new FaultList();
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') faults.add({ path: '$.name', message: 'must be a non-empty string' });
  if (typeof input.projectId !== 'string' || input.projectId === '') {
    faults.add({ path: '$.projectId', message: 'must be a project id' });
  }
  const priority = input.priority ?? MAX_PRIORITY;
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    faults.add({
      path: '$.priority',
      message: `must be an integer from ${MIN_PRIORITY} (highest) to ${MAX_PRIORITY} (lowest)`,
    });
  }
  const consensus = input.consensusLabels;
  if (
    consensus !== undefined &&
    (!Number.isInteger(consensus) || consensus < 1 || consensus > MAX_CONSENSUS_LABELS)
  ) {
    faults.add({
      path: '$.consensusLabels',
      message: `must be an integer from 1 to ${MAX_CONSENSUS_LABELS}`,
    });
  }
  const given = (['dataRowIds', 'globalKeys', 'datasetId'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) {
    faults.add({
      path: '$',
      message: `give exactly one source of data rows: dataRowIds, globalKeys or datasetId (got ${given.length === 0 ? 'none' : given.join(', ')})`,
    });
  }
  let source: BatchSource | undefined;
  if (given.length === 1) {
    if (input.dataRowIds !== undefined) {
      source = { kind: 'ids', values: checkList(input.dataRowIds, '$.dataRowIds', (v) => v, faults) };
    } else if (input.globalKeys !== undefined) {
      // Keys are unique case-insensitively, so "A" and "a" name the same row twice.
      source = {
        kind: 'keys',
        values: checkList(input.globalKeys, '$.globalKeys', (v) => v.toLowerCase(), faults),
      };
    } else if (typeof input.datasetId === 'string' && input.datasetId !== '') {
      source = { kind: 'dataset', datasetId: input.datasetId };
    } else {
      faults.add({ path: '$.datasetId', message: 'must be a dataset id' });
    }
  }
  if (!faults.empty || !source) throw invalid(faults.faults, faults.count);
  return { projectId: input.projectId, name, priority, consensusLabels: consensus ?? null, source };
}

function checkList(list: unknown, path: string, key: (v: string) => string, faults: FaultList): string[] {
  if (!Array.isArray(list) || list.length === 0) {
    faults.add({ path, message: 'must be a non-empty list' });
    return [];
  }
  const first = new Map<string, number>();
  for (const [i, v] of list.entries()) {
    if (typeof v !== 'string' || v === '') {
      faults.add({ path: `${path}[${i}]`, message: 'must be a non-empty string' });
      continue;
    }
    const k = key(v);
    const at = first.get(k);
    if (at !== undefined) {
      faults.add({
        path: `${path}[${i}]`,
        message: `${JSON.stringify(v)} is listed twice (first at ${path}[${at}])`,
      });
    } else first.set(k, i);
  }
  return list as string[];
}

/** VALIDATION_FAILED with the faults as details and the first few in the message. */
export function invalid(faults: Fault[], count = faults.length): AppError {
  const shown = faults
    .slice(0, 5)
    .map((f) => `${f.path}: ${f.message}`)
    .join('; ');
  const more = count > 5 ? ` (and ${count - 5} more)` : '';
  return new AppError('VALIDATION_FAILED', `${shown}${more}`, faults);
}

/** The service's input names as the REST API and the README spell them, for fault paths. */
export const BATCH_WIRE_NAMES = {
  dataRowIds: 'data_row_ids',
  globalKeys: 'global_keys',
  datasetId: 'dataset_id',
  consensusLabels: 'consensus_expected_label_count',
};
