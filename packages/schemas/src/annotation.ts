/**
 * One line of a Labelbox annotation import (docs/labelbox-compat.md §6 "Labels"): a classification answer for one
 * data row. The shape of `answer` depends on the question's type in the ontology (radio: an
 * object, checklist: a list, text: a string), so these schemas check the frame and leave the
 * answer to the ontology-aware validator, whose messages can name the expected shape.
 */
import { z } from 'zod';
import { strictShape } from './conversation.ts';

const named = {
  name: z.string().min(1, 'name must not be empty').optional(),
  schemaId: z.string().min(1, 'schemaId must not be empty').optional(),
};

type Named = { name?: string | undefined; schemaId?: string | undefined };

function needsName(value: Named, ctx: z.RefinementCtx): void {
  if (value.name === undefined && value.schemaId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['name'], message: 'name or schemaId is required' });
  }
}

/** `{ id }` or `{ globalKey }`, exactly one. */
export const DataRowRef = strictShape({
  id: z.string().min(1, 'id must not be empty').optional(),
  globalKey: z.string().min(1, 'globalKey must not be empty').optional(),
}).superRefine((ref, ctx) => {
  if ((ref.id === undefined) === (ref.globalKey === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'give exactly one of dataRow.id and dataRow.globalKey',
    });
  }
});

/** A chosen option of a radio or checklist question: `{ name }` (value or label) or `{ schemaId }`. */
export const AnnotationAnswer = strictShape({
  ...named,
  classifications: z.array(z.unknown()).optional(),
}).superRefine(needsName);

/** A classification nested inside an answer: the same as a line without row or message. */
export const NestedAnnotation = strictShape({
  ...named,
  answer: z.unknown().optional(),
  answers: z.unknown().optional(),
}).superRefine(needsName);

/**
 * prefer extension: the label's id in the caller's system. All lines of a data row that give one
 * (classification and message tool lines alike) give the same; a label with this id already in
 * the project is not imported again.
 */
export const LabelExternalId = z
  .string()
  .min(1, 'labelExternalId must not be empty')
  .max(200, 'labelExternalId is at most 200 characters');

export const AnnotationLine = strictShape({
  uuid: z.string().optional(),
  labelExternalId: LabelExternalId.optional(),
  dataRow: DataRowRef,
  ...named,
  answer: z.unknown().optional(),
  answers: z.unknown().optional(),
  messageId: z.string().min(1, 'messageId must not be empty').optional(),
  classifications: z.array(z.unknown()).optional(),
}).superRefine(needsName);

export type DataRowRef = z.infer<typeof DataRowRef>;
export type AnnotationAnswer = z.infer<typeof AnnotationAnswer>;
export type NestedAnnotation = z.infer<typeof NestedAnnotation>;
export type AnnotationLine = z.infer<typeof AnnotationLine>;
