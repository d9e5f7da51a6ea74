import { describe, expect, it } from 'vitest';
import { jaccard, kendallTau, rankingAgreement, spearmanRho } from './consensus.mmc.ts';
import { consensusScores } from './consensus.ts';

const doc = (...objects: object[]) => JSON.stringify({ objects, classifications: [], relationships: [] });
const ranking = (parent: string, ...ids: string[]) => ({
  feature_schema_id: 'rank',
  annotation_kind: 'MessageRanking',
  ranked_messages: {
    ranked_messages: ids.map((message_id, i) => ({ message_id, order: i + 1 })),
    parent_message_id: parent,
  },
});
const single = (parent: string, id: string) => ({
  feature_schema_id: 'one',
  annotation_kind: 'MessageSingleSelection',
  selected_message: { message_id: id, parent_message_id: parent },
});
const multi = (parent: string, ...ids: string[]) => ({
  feature_schema_id: 'many',
  annotation_kind: 'MessageMultiSelection',
  selected_messages: { messages: ids.map((message_id) => ({ message_id })), parent_message_id: parent },
});

describe('rank agreement', () => {
  it('computes Kendall tau-b and Spearman rho', () => {
    expect(kendallTau([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(kendallTau([1, 2, 3], [3, 2, 1])).toBe(-1);
    // One swapped pair of three: (2 - 1) / 3.
    expect(kendallTau([1, 2, 3], [2, 1, 3])).toBeCloseTo(1 / 3, 12);
    expect(spearmanRho([1, 2, 3], [2, 1, 3])).toBeCloseTo(1 - (6 * 2) / 24, 12);
    expect(spearmanRho([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('rescales tau to 0..1 over the shared replies', () => {
    const a = new Map([
      ['x', 1],
      ['y', 2],
      ['z', 3],
    ]);
    expect(
      rankingAgreement(
        a,
        new Map([
          ['z', 1],
          ['y', 2],
          ['x', 3],
        ]),
      ),
    ).toBe(0);
    expect(
      rankingAgreement(
        a,
        new Map([
          ['y', 1],
          ['x', 2],
          ['z', 3],
        ]),
      ),
    ).toBeCloseTo(2 / 3, 12);
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3, 12);
  });
});

describe('consensus on message tools', () => {
  it('scores rankings, picks and multi selections per prompt', () => {
    const scores = consensusScores([
      {
        id: 'a',
        skipped: 0,
        annotations: doc(ranking('p', 'x', 'y', 'z'), single('p', 'x'), multi('p', 'x', 'y')),
      },
      {
        id: 'b',
        skipped: 0,
        annotations: doc(ranking('p', 'y', 'x', 'z'), single('p', 'x'), multi('p', 'y')),
      },
    ]);
    // ranking (1/3 + 1) / 2 = 2/3, pick 1, Jaccard 1/2: mean 13/18.
    expect(scores.get('a')).toBeCloseTo((2 / 3 + 1 + 1 / 2) / 3, 12);
  });

  it('treats other prompts as other questions', () => {
    const scores = consensusScores([
      { id: 'a', skipped: 0, annotations: doc(single('p1', 'x'), single('p2', 'u')) },
      { id: 'b', skipped: 0, annotations: doc(single('p1', 'x')) },
    ]);
    expect(scores.get('b')).toBeCloseTo(1 / 2, 12);
  });
});
