/**
 * Checks a label submission: the envelope (key, timing), then each classification against the
 * ontology with the label importer's `validateLine`, then what only a whole label can tell
 * (required questions answered, each question answered once, labelable messages). Faults carry
 * JSON paths into the submission, e.g. `$.classifications[1].answer`.
 */
import { createHash } from 'node:crypto';
import type { AnswerValue, ClassificationValue } from '../labels/annotation.types.ts';
import { validateLine } from '../labels/label.validate.ts';
import type { ClassificationLookup, OntologyIndex } from '../ontologies/ontology.index.ts';
import { AppError, type Fault } from '../shared/errors.ts';

export const MAX_KEY_LENGTH = 200;
const MAX_SECONDS = 7 * 24 * 3600;

export function invalid(faults: Fault[]): AppError {
  return new AppError('VALIDATION_FAILED', faults.map((f) => `${f.path}: ${f.message}`).join('; '), faults);
}

export function checkKey(key: unknown, faults: Fault[]): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    faults.push({
      path: '$.idempotencyKey',
      message: `must be a string of 1 to ${MAX_KEY_LENGTH} characters`,
    });
  }
}

export function checkSeconds(value: unknown, path: string, faults: Fault[]): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_SECONDS) {
    faults.push({ path, message: `must be a number of seconds from 0 to ${MAX_SECONDS}` });
  }
}

/** The validated answers of a submission, or faults. */
export function checkClassifications(
  list: unknown,
  ontology: OntologyIndex,
  dataRowId: string,
  labelable: ReadonlySet<string>,
  faults: Fault[],
): ClassificationValue[] {
  if (!Array.isArray(list)) {
    faults.push({ path: '$.classifications', message: 'must be a list of answers' });
    return [];
  }
  const values: ClassificationValue[] = [];
  const seen = new Map<string, number>();
  for (const [i, item] of list.entries()) {
    const at = `$.classifications[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      faults.push({
        path: at,
        message: 'must be an object { name | schemaId, answer | answers, messageId? }',
      });
      continue;
    }
    // The data row is the submission's; a line-level one would be a second, conflicting source.
    if ('dataRow' in item) {
      faults.push({ path: `${at}.dataRow`, message: 'the data row is given once, as dataRowId' });
      continue;
    }
    const result = validateLine({ ...item, dataRow: { id: dataRowId } }, i + 1, ontology.classifications);
    if (!result.ok) {
      for (const f of result.faults) faults.push({ path: at + f.path.slice(1), message: f.message });
      continue;
    }
    const v = result.line.value;
    if (v.messageId !== undefined && !labelable.has(v.messageId)) {
      faults.push({
        path: `${at}.messageId`,
        message: `message ${JSON.stringify(v.messageId)} is not labelable (labelable: ${[...labelable].map((m) => JSON.stringify(m)).join(', ') || 'none'})`,
      });
      continue;
    }
    const key = `${v.featureSchemaId}\u0000${v.messageId ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) {
      faults.push({
        path: `${at}.name`,
        message: `${JSON.stringify(v.name)} is answered twice (first at classifications[${first}])`,
      });
      continue;
    }
    seen.set(key, i);
    values.push(v);
  }
  if (faults.length === 0)
    checkRequired(ontology.classifications, values, labelable, '$.classifications', faults);
  return values;
}

/**
 * Required questions: a global one needs an answer, a message-scoped one an answer on every
 * labelable message; required questions nested under a chosen option need an answer there.
 */
function checkRequired(
  level: ClassificationLookup,
  given: readonly ClassificationValue[],
  labelable: ReadonlySet<string>,
  path: string,
  faults: Fault[],
): void {
  for (const q of level.list) {
    if (!q.required) continue;
    const answered = given.filter((v) => v.featureSchemaId === q.featureSchemaId);
    if (q.scope === 'index') {
      const missing = [...labelable].filter((m) => !answered.some((v) => v.messageId === m));
      if (missing.length > 0) {
        faults.push({
          path,
          message: `${JSON.stringify(q.name)} is required on every labelable message; missing: ${missing.join(', ')}`,
        });
      }
    } else if (answered.length === 0) {
      faults.push({ path, message: `${JSON.stringify(q.name)} is required` });
    }
  }
  for (const [i, v] of given.entries()) {
    const question = level.byId.get(v.featureSchemaId);
    const chosen: AnswerValue[] = v.type === 'radio' ? [v.answer] : v.type === 'checklist' ? v.answers : [];
    for (const a of chosen) {
      const option = question?.optionById.get(a.featureSchemaId);
      // Nested faults point at the top-level answer that holds them.
      const at = path === '$.classifications' ? `${path}[${i}]` : path;
      if (option) checkRequired(option.classifications, a.classifications, labelable, at, faults);
    }
  }
}

/** Hex SHA-256 of the canonical JSON (object keys sorted at every depth) of a payload. */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
