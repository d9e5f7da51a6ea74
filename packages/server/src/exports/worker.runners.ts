/**
 * The engines behind each task type. A task stores its request in the SDK's shape, already
 * validated when it was created; it is parsed again here so the engine gets the same typed
 * request whichever process created the task.
 */
import { AppError } from '../shared/errors.ts';
import { parseExportRequest } from './export.request.ts';
import type { ExportRunner } from './export-task.types.ts';
import { runExportV2 } from './export-v2.engine.ts';

export const exportRunner: ExportRunner = async (store, actor, task, sink) => {
  const request = parseExportRequest({ params: task.params, filters: task.filters });
  switch (task.type) {
    case 'export-data-rows':
      return runExportV2(store, actor, task.projectId, request, sink);
    case 'export-labels':
      throw new AppError(
        'BAD_REQUEST',
        'label exports (V1) are not available on this server yet; use export v2',
      );
    default: {
      const never: never = task.type;
      throw new AppError('BAD_REQUEST', `unknown export type ${String(never)}`);
    }
  }
};
