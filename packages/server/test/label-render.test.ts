import { describe, expect, it } from 'vitest';
import type { ClassificationValue } from '../src/labels/annotation.types.ts';
import { validateLine } from '../src/labels/label.validate.ts';
import { renderAnnotations } from '../src/labels/render-annotations.ts';
import { indexOntology } from '../src/ontologies/ontology.index.ts';
import { parseOntology } from '../src/ontologies/ontology.normalize.ts';
import { LABEL_TEST_ONTOLOGY } from './support/seed-rows.ts';

const answer = (name: string, n: number) => ({
  featureId: `fa${n}`,
  featureSchemaId: `sa${n}`,
  name,
  classifications: [],
});

describe('renderAnnotations', () => {
  it('writes the export v2 document with keys in Labelbox order', () => {
    const values: ClassificationValue[] = [
      { type: 'radio', featureId: 'f1', featureSchemaId: 's1', name: 'Q', answer: answer('A', 1) },
      { type: 'text', featureId: 'f2', featureSchemaId: 's2', name: 'T', content: 'why "quoted"' },
      {
        type: 'checklist',
        featureId: 'f3',
        featureSchemaId: 's3',
        name: 'C',
        answers: [answer('x', 2), answer('y', 3)],
      },
      { type: 'text', featureId: 'f4', featureSchemaId: 's4', name: 'M', messageId: 'm2', content: 'note' },
    ];
    expect(renderAnnotations(values)).toBe(
      '{"objects":[],"classifications":[' +
        '{"feature_id":"f1","feature_schema_id":"s1","name":"Q","radio_answer":{"feature_id":"fa1","feature_schema_id":"sa1","name":"A","classifications":[]}},' +
        '{"feature_id":"f2","feature_schema_id":"s2","name":"T","text_answer":{"content":"why \\"quoted\\""}},' +
        '{"feature_id":"f3","feature_schema_id":"s3","name":"C","checklist_answers":[{"feature_id":"fa2","name":"x","classifications":[]},{"feature_id":"fa3","name":"y","classifications":[]}]},' +
        '{"feature_id":"f4","feature_schema_id":"s4","name":"M","message_id":"m2","conversational_text_answer":{"content":"note"}}' +
        '],"relationships":[]}',
    );
    expect(renderAnnotations([])).toBe('{"objects":[],"classifications":[],"relationships":[]}');
  });
});

describe('validateLine', () => {
  const parsed = parseOntology(LABEL_TEST_ONTOLOGY);
  if (!parsed.ok) throw new Error('test ontology refused');
  const top = indexOntology(parsed.ontology).classifications;
  let n = 0;
  const makeId = () => `c${String(++n).padStart(24, '0')}`;
  const dataRow = { id: 'crow00000000000000000000a' };

  it('answers an option by its label, exporting the label as name', () => {
    const r = validateLine(
      { dataRow, name: 'Message quality', messageId: 'm2', answer: { name: 'bad' } },
      1,
      top,
      makeId,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.line.value).toMatchObject({
      type: 'radio',
      name: 'Message quality',
      messageId: 'm2',
      answer: { name: 'Bad answer' },
    });
  });

  it('refuses both answer and answers, empty checklists, empty text and nested top-level classifications', () => {
    const cases: [unknown, string][] = [
      [
        {
          dataRow,
          name: 'Evaluations done',
          answer: [{ name: 'Relevance' }],
          answers: [{ name: 'Relevance' }],
        },
        '$.answers',
      ],
      [{ dataRow, name: 'Evaluations done', answers: [] }, '$.answers'],
      [
        { dataRow, name: 'Evaluations done', answers: [{ name: 'Relevance' }, { name: 'Relevance' }] },
        '$.answers[1]',
      ],
      [{ dataRow, name: 'Provide a reason for your choice', answer: '  ' }, '$.answer'],
      [
        { dataRow, name: 'Provide a reason for your choice', answer: 'x', classifications: [{}] },
        '$.classifications',
      ],
      [
        { dataRow: { id: 'a', globalKey: 'b' }, name: 'Provide a reason for your choice', answer: 'x' },
        '$.dataRow',
      ],
      [{ dataRow, answer: 'x' }, '$.name'],
      [{ dataRow, schemaId: top.list[0]!.featureSchemaId, name: 'Evaluations done', answer: 'x' }, '$.name'],
      [
        {
          dataRow,
          name: 'Choose the best response',
          answer: {
            name: 'Response A',
            classifications: [
              { name: 'Confidence', answer: { name: 'High' } },
              { name: 'Confidence', answer: { name: 'Low' } },
            ],
          },
        },
        '$.answer.classifications[1].name',
      ],
    ];
    for (const [line, path] of cases) {
      const r = validateLine(line, 7, top, makeId);
      expect(r.ok ? [] : r.faults.map((f) => [f.line, f.path]), JSON.stringify(line)).toEqual([[7, path]]);
    }
  });
});
