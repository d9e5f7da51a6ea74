/** The editor's pure parts: side order, word diff, answers to submits and back, the key map, active time. */
import { describe, expect, it } from 'vitest';
import { ActiveTimer, IDLE_AFTER_MS } from '../src/editor/active-timer.ts';
import { answerKey, fromStored, missingRequired, toClassifications } from '../src/editor/answers.ts';
import { wordDiff } from '../src/editor/diff.ts';
import { keyMap } from '../src/editor/keys.ts';
import { orderedOptions, preferenceQuestion, type Question } from '../src/editor/ontology.ts';
import { displayedOrder } from '../src/editor/order.ts';

const opt = (id: string, value: string, options: Question[] = []) => ({
  featureSchemaId: id,
  value,
  label: value,
  options,
});
const QUESTIONS: Question[] = [
  {
    featureSchemaId: 'qpref',
    type: 'radio',
    name: 'Choose the best response',
    instructions: '',
    required: true,
    scope: 'global',
    options: [opt('oa', 'Response A'), opt('ob', 'Response B'), opt('ot', 'Tie')],
  },
  {
    featureSchemaId: 'qrub',
    type: 'checklist',
    name: 'Evaluations done',
    instructions: '',
    required: false,
    scope: 'global',
    options: [
      opt('or', 'Relevance', [
        {
          featureSchemaId: 'qwhy',
          type: 'text',
          name: 'Why',
          instructions: '',
          required: true,
          scope: 'global',
          options: [],
        },
      ]),
      opt('ou', 'Usefulness'),
    ],
  },
];

describe('side order', () => {
  it('is stable for a (user, row) and varies across rows', () => {
    const titles = ['Response A', 'Response B'];
    expect(displayedOrder(titles, 'u1', 'r1')).toEqual(displayedOrder(titles, 'u1', 'r1'));
    const seen = new Set(Array.from({ length: 40 }, (_, i) => displayedOrder(titles, 'u1', `r${i}`).join()));
    expect(seen.size).toBe(2);
    expect(displayedOrder(['a', 'b', 'c'], 'u', 'r').sort()).toEqual(['a', 'b', 'c']);
  });

  it('puts the preference options in the columns order, the others after', () => {
    const q = preferenceQuestion(QUESTIONS, ['Response A', 'Response B'])!;
    expect(orderedOptions(q, ['Response B', 'Response A']).map((o) => o.value)).toEqual([
      'Response B',
      'Response A',
      'Tie',
    ]);
    const keys = keyMap(QUESTIONS, {}, q, ['Response B', 'Response A']);
    expect(keys.byKey.get('1')?.optionId).toBe('ob');
    expect(keys.byKey.get('q')?.optionId).toBe('or');
  });
});

describe('answers', () => {
  it('become classifications with nested answers, and come back from a stored label', () => {
    const answers = {
      [answerKey('', 'qpref')]: 'ob',
      [answerKey('', 'qrub')]: ['or'],
      [answerKey('', 'qrub/or/qwhy')]: 'on topic',
    };
    expect(missingRequired(QUESTIONS, answers, [])).toEqual(new Set());
    expect(toClassifications(QUESTIONS, answers, [])).toEqual([
      { schemaId: 'qpref', answer: { schemaId: 'ob' } },
      {
        schemaId: 'qrub',
        answers: [{ schemaId: 'or', classifications: [{ schemaId: 'qwhy', answer: 'on topic' }] }],
      },
    ]);
    const stored = [
      {
        feature_schema_id: 'qpref',
        name: 'Choose the best response',
        radio_answer: { feature_schema_id: 'ob', name: 'Response B' },
      },
      {
        feature_schema_id: 'qrub',
        name: 'Evaluations done',
        checklist_answers: [
          { name: 'Relevance', classifications: [{ name: 'Why', text_answer: { content: 'on topic' } }] },
        ],
      },
    ];
    expect(fromStored(QUESTIONS, stored)).toEqual(answers);
  });

  it('names the required questions left, nested ones only under a chosen option', () => {
    expect(missingRequired(QUESTIONS, {}, [])).toEqual(new Set([answerKey('', 'qpref')]));
    expect(
      missingRequired(QUESTIONS, { [answerKey('', 'qpref')]: 'oa', [answerKey('', 'qrub')]: ['or'] }, []),
    ).toEqual(new Set([answerKey('', 'qrub/or/qwhy')]));
  });
});

describe('word diff', () => {
  it('marks only the words that differ', () => {
    const d = wordDiff('the cat sat on the mat', 'the dog sat on the mat');
    expect(d.a.filter((p) => p.changed).map((p) => p.text)).toEqual(['cat']);
    expect(d.b.filter((p) => p.changed).map((p) => p.text)).toEqual(['dog']);
    expect(d.a.map((p) => p.text).join('')).toBe('the cat sat on the mat');
  });
});

describe('active time', () => {
  it('counts while visible and within 60 s of the last input', () => {
    let now = 0;
    const t = new ActiveTimer(0, () => now);
    now = 10_000;
    expect(t.tick(true)).toBe(10_000);
    now = 20_000;
    expect(t.tick(false)).toBe(10_000); // hidden
    now = 20_000 + IDLE_AFTER_MS * 2;
    expect(t.tick(true)).toBe(10_000 + (IDLE_AFTER_MS - 20_000)); // idle after 60 s of no input
    t.touch();
    now += 5_000;
    expect(t.tick(true)).toBe(10_000 + (IDLE_AFTER_MS - 20_000) + 5_000);
  });
});
