/**
 * Starting a conversion: the options validated (choices, mapping, filters) and stored as an
 * export task of type `training-conversion`, which a worker runs like any export (same status,
 * progress, download, retention and permissions).
 */

import { parseExportRequest } from '../exports/request/export.request.ts';
import { storedRequest } from '../exports/tasks/export-start.service.ts';
import type { CreatedExportTask, CreateExportTaskInput } from '../exports/tasks/export-task.service.ts';
import { createExportTask } from '../exports/tasks/export-task.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import {
  CONVERSION_TASK_TYPE,
  type ConversionOptions,
  conversionOptionsSchema,
} from './conversion.options.ts';
import { loadTraining, mappingOf } from './training-source.ts';

export interface StartConversionInput {
  projectId: string;
  options: unknown;
  /** Export filters in the SDK's shape: which data rows are converted. */
  filters?: unknown;
  timezone?: string | null;
  taskName?: string | null;
}

export async function startConversion(
  store: Store,
  actor: Actor,
  input: StartConversionInput,
): Promise<CreatedExportTask> {
  return createExportTask(store, actor, await conversionJob(input));
}

/** The task a conversion is stored as; throws BAD_REQUEST naming the field for bad options. */
export async function conversionJob(input: StartConversionInput): Promise<CreateExportTaskInput> {
  const options = parseConversionOptions(input.options);
  if (options.mapping) mappingOf(await loadTraining(), JSON.stringify(options.mapping));
  const request = parseExportRequest({ filters: input.filters, timezone: input.timezone ?? undefined });
  return {
    projectId: input.projectId,
    type: CONVERSION_TASK_TYPE,
    name: input.taskName ?? null,
    params: options,
    filters: storedRequest(request).filters,
  };
}

/** Options as stored; the worker parses them again with this. */
export function parseConversionOptions(value: unknown): ConversionOptions {
  const parsed = conversionOptionsSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    const keys =
      first.code === 'unrecognized_keys'
        ? `; valid keys are: ${Object.keys(conversionOptionsSchema.shape).join(', ')}`
        : '';
    throw new AppError('BAD_REQUEST', `conversion ${where}${first.message}${keys}`);
  }
  const options = parsed.data;
  if (options.test_fraction > 0 && options.output === 'jsonl') {
    throw new AppError(
      'BAD_REQUEST',
      'conversion test_fraction: needs output jsonl-dataset or parquet (the splits are files of a dataset)',
    );
  }
  return options;
}
