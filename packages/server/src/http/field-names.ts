/**
 * Services name input fields as their TypeScript callers do (`$.dataRowIds[2]`); the HTTP API
 * names them in snake_case (`$.data_row_ids[2]`). This renames the fields of a service's
 * VALIDATION_FAILED, CONFLICT or NOT_FOUND faults (and its message) so a client reads its own field
 * names.
 */
import { AppError, type Fault } from '../shared/errors.ts';

const RENAMED = new Set(['VALIDATION_FAILED', 'CONFLICT', 'NOT_FOUND']);

export async function withFieldNames<T>(names: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AppError) || !RENAMED.has(err.code)) throw err;
    // The names are distinct identifiers (dataRowIds, consensusLabels), so whole words are safe.
    const words = new RegExp(`\\b(${Object.keys(names).join('|')})\\b`, 'g');
    const rename = (text: string) => text.replace(words, (field) => names[field] ?? field);
    const faults = (list: unknown) =>
      Array.isArray(list)
        ? list.map((f: Fault) => (typeof f?.path === 'string' ? { ...f, path: rename(f.path) } : f))
        : list;
    const details = Array.isArray(err.details) ? faults(err.details) : err.details;
    throw new AppError(err.code, rename(err.message), details);
  }
}
