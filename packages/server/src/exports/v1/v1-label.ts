/**
 * Stored export v2 annotations to the V1 `Label` (docs/labelbox-compat.md §5): camelCase, `title`/`value` from the
 * ontology, radio `answer: {...}`, checklist `answers: [...]`, text `answer: "..."`, and
 * `messageId` on message-scoped answers. Nested classifications go in an answer's
 * `classifications`, only when there are some (V1 files had none otherwise).
 */
import type { ClassificationNode, OntologyIndex } from './v1-ontology.ts';

interface V2Answer {
  feature_id?: string;
  feature_schema_id?: string;
  name?: string;
  classifications?: V2Classification[];
}
interface V2Classification extends V2Answer {
  message_id?: string;
  radio_answer?: V2Answer;
  conversational_radio_answer?: V2Answer;
  checklist_answers?: V2Answer[];
  conversational_checklist_answers?: V2Answer[];
  text_answer?: { content?: string };
  conversational_text_answer?: { content?: string };
}
interface V2Annotations {
  objects?: unknown[];
  classifications?: V2Classification[];
  relationships?: unknown[];
}

export function toV1Label(annotationsJson: string, ontology: OntologyIndex): Record<string, unknown> {
  const a = JSON.parse(annotationsJson) as V2Annotations;
  return {
    objects: a.objects ?? [],
    classifications: (a.classifications ?? []).map((c) => classification(c, ontology)),
    relationships: a.relationships ?? [],
  };
}

function classification(c: V2Classification, ontology: OntologyIndex): Record<string, unknown> {
  const node = c.feature_schema_id ? ontology.get(c.feature_schema_id) : undefined;
  const out: Record<string, unknown> = {
    featureId: c.feature_id ?? null,
    schemaId: c.feature_schema_id ?? null,
    title: node?.title ?? c.name ?? null,
    value: node?.value ?? c.name ?? null,
  };
  const radio = c.radio_answer ?? c.conversational_radio_answer;
  const checklist = c.checklist_answers ?? c.conversational_checklist_answers;
  const text = c.text_answer ?? c.conversational_text_answer;
  if (radio) out.answer = answer(radio, node, ontology);
  else if (checklist) out.answers = checklist.map((x) => answer(x, node, ontology));
  else if (text) out.answer = text.content ?? '';
  if (c.message_id !== undefined) out.messageId = c.message_id;
  return out;
}

function answer(
  a: V2Answer,
  parent: ClassificationNode | undefined,
  ontology: OntologyIndex,
): Record<string, unknown> {
  const option = a.name !== undefined ? parent?.options.get(a.name) : undefined;
  const out: Record<string, unknown> = {
    featureId: a.feature_id ?? null,
    // Checklist answers in v2 carry no schema id: the ontology gives it by the answer's name.
    schemaId: a.feature_schema_id ?? option?.featureSchemaId ?? null,
    title: option?.title ?? a.name ?? null,
    value: option?.value ?? a.name ?? null,
  };
  if (a.classifications && a.classifications.length > 0) {
    out.classifications = a.classifications.map((c) => classification(c, ontology));
  }
  return out;
}
