/**
 * Validated classification answers, ready to render into a label's stored `annotations` JSON.
 * Names are the export's names (an answer's is its option's label, else its value); ids are the
 * instance's `featureId` and the ontology node's `featureSchemaId`.
 */
export interface AnswerValue {
  featureId: string;
  featureSchemaId: string;
  name: string;
  classifications: ClassificationValue[];
}

interface ClassificationHead {
  featureId: string;
  featureSchemaId: string;
  name: string;
  /** Set for a message-scoped (`scope: "index"`) question: the message the answer is about. */
  messageId?: string | undefined;
}

/** The answer part of a classification, by question type. */
export type ClassificationAnswer =
  | { type: 'radio'; answer: AnswerValue }
  | { type: 'checklist'; answers: AnswerValue[] }
  | { type: 'text'; content: string };

export type ClassificationValue = ClassificationHead & ClassificationAnswer;
