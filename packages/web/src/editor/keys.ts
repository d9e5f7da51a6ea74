/**
 * The editor's keyboard map: digits pick the preference options in their shown order (1 = the
 * left column), letters toggle the visible checklist options. Computed from what is on screen,
 * so every control can print its key.
 */
import { type Answers, answerKey } from './answers.ts';
import { CHECKLIST_KEYS, type Option, orderedOptions, type Question } from './ontology.ts';

export interface KeyTarget {
  answerKey: string;
  optionId: string;
  kind: 'radio' | 'checklist';
}

export interface KeyMap {
  byKey: Map<string, KeyTarget>;
  /** answerKey + optionId to the key printed on the control. */
  keyOf: Map<string, string>;
}

export function keyMap(
  questions: readonly Question[],
  answers: Answers,
  preference: Question | undefined,
  order: readonly string[],
  /** False where the digits belong to something else (the message tools of v2 rows). */
  digits = true,
): KeyMap {
  const byKey = new Map<string, KeyTarget>();
  const keyOf = new Map<string, string>();
  const put = (key: string, t: KeyTarget) => {
    byKey.set(key, t);
    keyOf.set(`${t.answerKey}#${t.optionId}`, key);
  };
  const radio = preference ?? questions.find((q) => q.type === 'radio' && q.scope === 'global');
  if (radio && digits) {
    const opts = radio === preference ? orderedOptions(radio, order) : radio.options;
    opts.slice(0, 9).forEach((o, i) => {
      put(String(i + 1), {
        answerKey: answerKey('', radio.featureSchemaId),
        optionId: o.featureSchemaId,
        kind: 'radio',
      });
    });
  }
  let next = 0;
  const walk = (qs: readonly Question[], path: string | null) => {
    for (const q of qs) {
      if (q.scope !== 'global') continue;
      const p = path === null ? q.featureSchemaId : `${path}/${q.featureSchemaId}`;
      const v = answers[answerKey('', p)];
      const chosen = typeof v === 'string' ? [v] : (v ?? []);
      q.options.forEach((o: Option) => {
        if (q.type === 'checklist' && next < CHECKLIST_KEYS.length) {
          put(CHECKLIST_KEYS[next++]!, {
            answerKey: answerKey('', p),
            optionId: o.featureSchemaId,
            kind: 'checklist',
          });
        }
        if (chosen.includes(o.featureSchemaId)) walk(o.options, `${p}/${o.featureSchemaId}`);
      });
    }
  };
  walk(questions, null);
  return { byKey, keyOf };
}

/** Applies a key's target to the answers. */
export function applyKey(answers: Answers, t: KeyTarget): Answers {
  if (t.kind === 'radio') return { ...answers, [t.answerKey]: t.optionId };
  const cur = answers[t.answerKey];
  const list = Array.isArray(cur) ? cur : [];
  return {
    ...answers,
    [t.answerKey]: list.includes(t.optionId) ? list.filter((x) => x !== t.optionId) : [...list, t.optionId],
  };
}
