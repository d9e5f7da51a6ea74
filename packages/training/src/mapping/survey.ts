/**
 * What the answers of an export look like (question kinds, options, output titles): the input of
 * the mapping inference when no ontology is at hand. Counts are kept so the most used question wins.
 */
import type { RowRecord } from '../types.ts';
import { getOrSet } from '../util.ts';

export interface Survey {
  radio: Map<string, Map<string, number>>;
  checklist: Map<string, Map<string, number>>;
  text: Map<string, number>;
  titles: Set<string>;
  rows: number;
  /** Labels of multimodal chat rows that rank or pick a reply (message tools). */
  rankings: number;
}

export function emptySurvey(): Survey {
  return { radio: new Map(), checklist: new Map(), text: new Map(), titles: new Set(), rows: 0, rankings: 0 };
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const sub = (m: Map<string, Map<string, number>>, k: string) => getOrSet(m, k, () => new Map());

export function surveyRow(survey: Survey, row: RowRecord): void {
  survey.rows++;
  for (const o of row.outputs) survey.titles.add(o.title);
  for (const label of row.labels) {
    if (label.ranking) survey.rankings++;
    for (const [q, option] of label.answers.radio) bump(sub(survey.radio, q), option);
    for (const [q, options] of label.answers.checklist) {
      const s = sub(survey.checklist, q);
      for (const o of options) bump(s, o);
    }
    for (const q of label.answers.text.keys()) bump(survey.text, q);
  }
}
