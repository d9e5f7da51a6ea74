/**
 * Renders validated answers as the label's stored `annotations`: the export v2 JSON text, key
 * order exactly as Labelbox's (docs/labelbox-compat.md §2), so the exporter splices it in without parsing. Pure; the
 * label importer and the labeling API both use it.
 */
import type { AnswerValue, ClassificationValue } from './annotation.types.ts';

/** `{"objects":[],"classifications":[...],"relationships":[]}` of the given answers. */
export function renderAnnotations(classifications: readonly ClassificationValue[]): string {
  return annotationsDocument(classifications.map(renderClassification));
}

/** The document around classifications already rendered with `renderClassification`. */
export function annotationsDocument(renderedClassifications: readonly string[]): string {
  return `{"objects":[],"classifications":[${renderedClassifications.join(',')}],"relationships":[]}`;
}

/** One classification as JSON text, e.g. `{"feature_id":...,"name":...,"radio_answer":{...}}`. */
export function renderClassification(c: ClassificationValue): string {
  return JSON.stringify(classificationObject(c));
}

function classificationObject(c: ClassificationValue): object {
  // Objects keep insertion order in JSON.stringify: the order below is the export's.
  const head = {
    feature_id: c.featureId,
    feature_schema_id: c.featureSchemaId,
    name: c.name,
    // prefer decision: message_id right after name.
    ...(c.messageId === undefined ? {} : { message_id: c.messageId }),
  };
  const conversational = c.messageId !== undefined;
  switch (c.type) {
    case 'radio':
      return {
        ...head,
        [conversational ? 'conversational_radio_answer' : 'radio_answer']: {
          feature_id: c.answer.featureId,
          feature_schema_id: c.answer.featureSchemaId,
          name: c.answer.name,
          classifications: nested(c.answer),
        },
      };
    case 'checklist':
      // Checklist answers carry no feature_schema_id in export v2 (as the seed page shows).
      return {
        ...head,
        [conversational ? 'conversational_checklist_answers' : 'checklist_answers']: c.answers.map((a) => ({
          feature_id: a.featureId,
          name: a.name,
          classifications: nested(a),
        })),
      };
    case 'text':
      return {
        ...head,
        [conversational ? 'conversational_text_answer' : 'text_answer']: { content: c.content },
      };
    default: {
      const never: never = c;
      throw new Error(`unknown classification ${JSON.stringify(never)}`);
    }
  }
}

const nested = (a: AnswerValue): object[] => a.classifications.map(classificationObject);
