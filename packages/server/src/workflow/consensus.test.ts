import { describe, expect, it } from 'vitest';
import { consensusScores, rowAgreement } from './consensus.ts';

const doc = (...classifications: object[]) =>
  JSON.stringify({ objects: [], classifications, relationships: [] });
const radio = (q: string, option: string, messageId?: string) => ({
  feature_schema_id: q,
  ...(messageId === undefined
    ? { radio_answer: { feature_schema_id: option } }
    : { message_id: messageId, conversational_radio_answer: { feature_schema_id: option } }),
});
const checklist = (q: string, ...names: string[]) => ({
  feature_schema_id: q,
  checklist_answers: names.map((name) => ({ name })),
});
const text = (q: string, content: string) => ({ feature_schema_id: q, text_answer: { content } });

describe('consensus scores', () => {
  it('averages radio matches and checklist Jaccard, ignoring text', () => {
    const scores = consensusScores([
      {
        id: 'a',
        skipped: 0,
        annotations: doc(radio('q', 'x'), checklist('c', 'r', 'u', 't'), text('t', 'one')),
      },
      { id: 'b', skipped: 0, annotations: doc(radio('q', 'x'), checklist('c', 'r'), text('t', 'two')) },
    ]);
    expect(scores.get('a')).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(scores.get('b')).toBeCloseTo((1 + 1 / 3) / 2, 12);
  });

  it('counts an answer given by one side only as disagreement; messages are separate questions', () => {
    const scores = consensusScores([
      {
        id: 'a',
        skipped: 0,
        annotations: doc(radio('q', 'x'), radio('m', 'good', 'm1'), radio('m', 'good', 'm2')),
      },
      { id: 'b', skipped: 0, annotations: doc(radio('q', 'x'), radio('m', 'good', 'm1')) },
    ]);
    expect(scores.get('a')).toBeCloseTo(2 / 3, 12);
  });

  it('gives skipped labels and labels with nothing to compare no score', () => {
    const scores = consensusScores([
      { id: 'a', skipped: 0, annotations: doc(text('t', 'x')) },
      { id: 'b', skipped: 0, annotations: doc(text('t', 'y')) },
      { id: 's', skipped: 1, annotations: doc() },
    ]);
    expect([...scores.values()]).toEqual([null, null, null]);
  });
});

describe('row agreement', () => {
  it('is the mean over pairs of answered labels; skips and incomparable pairs are left out', () => {
    const labels = [
      { id: 'a', skipped: 0, annotations: doc(radio('q', 'x')) },
      { id: 'b', skipped: 0, annotations: doc(radio('q', 'x')) },
      { id: 'c', skipped: 0, annotations: doc(radio('q', 'y')) },
      { id: 's', skipped: 1, annotations: doc() },
    ];
    // Pairs ab = 1, ac = 0, bc = 0; the skip is in no pair.
    expect(rowAgreement(labels)).toBeCloseTo(1 / 3, 12);
    expect(rowAgreement(labels.slice(0, 2))).toBe(1);
    // Text answers only: no pair has a comparable question.
    const texts = ['t', 'u'].map((id) => ({ id, skipped: 0, annotations: doc(text('t', id)) }));
    expect(rowAgreement(texts)).toBeNull();
    expect(rowAgreement([labels[0]!, labels[3]!])).toBeNull();
  });
});
