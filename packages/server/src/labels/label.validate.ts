/**
 * Checks one annotation-import line against the project's ontology (pure: the data row checks
 * need the database and happen in the importer). Every fault carries the line and a JSON path.
 */
import { AnnotationLine, type DataRowRef } from '@prefer/schemas';
import { zodFaults } from '../ingest/zod-faults.ts';
import type { ClassificationLookup } from '../ontologies/ontology.index.ts';
import type { Fault } from '../shared/errors.ts';
import { ID_PATTERN, newId } from '../shared/ids.ts';
import type { ClassificationValue } from './annotation.types.ts';
import { answer, fault, resolveQuestion, type Walk } from './label.answer.ts';

export interface ValidatedLine {
  dataRow: DataRowRef;
  messageId: string | undefined;
  value: ClassificationValue;
  /** The line's `uuid` when it became the feature id (so duplicates can be found). */
  uuid: string | undefined;
  labelExternalId: string | undefined;
}

export type LineResult = { ok: true; line: ValidatedLine } | { ok: false; faults: Fault[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateLine(
  value: unknown,
  line: number,
  top: ClassificationLookup,
  makeId: () => string = newId,
): LineResult {
  const parsed = AnnotationLine.safeParse(value);
  if (!parsed.success) return { ok: false, faults: zodFaults(parsed.error, [], line) };
  const a = parsed.data;
  const w: Walk = { line, faults: [], makeId };
  const question = resolveQuestion(w, top, a, [], 'top-level');
  if ((a.classifications ?? []).length > 0) {
    fault(
      w,
      ['classifications'],
      'nested classifications go inside the chosen answer: answer.classifications',
    );
  }
  if (question?.scope === 'index' && a.messageId === undefined) {
    fault(w, ['messageId'], `${JSON.stringify(question.name)} is message-scoped: messageId is required`);
  }
  if (question?.scope === 'global' && a.messageId !== undefined) {
    fault(
      w,
      ['messageId'],
      `${JSON.stringify(question.name)} is about the whole conversation: give no messageId`,
    );
  }
  // A `uuid` of the feature id's shape is kept (round trips of exported labels); Labelbox's
  // usual UUIDs are not feature ids, so those get a new one.
  const uuid = a.uuid !== undefined && ID_PATTERN.test(a.uuid) ? a.uuid : undefined;
  if (a.uuid !== undefined && uuid === undefined && !UUID.test(a.uuid)) {
    fault(w, ['uuid'], 'uuid must be a UUID or a 25-character feature id');
  }
  const answered = question ? answer(w, question, a, []) : undefined;
  if (!question || !answered || w.faults.length > 0) return { ok: false, faults: w.faults };
  return {
    ok: true,
    line: {
      dataRow: a.dataRow,
      messageId: a.messageId,
      uuid,
      labelExternalId: a.labelExternalId,
      value: {
        featureId: uuid ?? makeId(),
        featureSchemaId: question.featureSchemaId,
        name: question.name,
        ...(a.messageId === undefined ? {} : { messageId: a.messageId }),
        ...answered,
      },
    },
  };
}
