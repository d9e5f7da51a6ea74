/**
 * Consensus scores of the labels of one data row, from their stored `annotations` JSON. Pure.
 *
 * Agreement of two labels: the mean, over the top-level radio and checklist questions (per
 * message for message-scoped ones) that either label answers, of
 * - radio: 1 when both chose the same option, else 0 (one side missing counts as 0);
 * - checklist: Jaccard similarity of the chosen options (|A ∩ B| / |A ∪ B|).
 * Text answers are ignored (free text cannot be compared fairly); nested answers too. Message tool
 * answers (multimodal chat rows) are questions too, one per tool and prompt (consensus.mmc.ts:
 * selections as radio and checklist, rankings by Kendall's tau).
 * A label's score is the mean of its agreement with each other non-skipped label; pairs with no
 * comparable question are left out. Skipped labels, and labels with nothing to compare, get null.
 */

import { type ToolAnswer, toolAgreement, toolAnswers } from './consensus.mmc.ts';

export interface ScoredLabel {
  id: string;
  annotations: string;
  skipped: number;
}

type Answer = { kind: 'radio'; option: string } | { kind: 'checklist'; options: Set<string> } | ToolAnswer;

export function consensusScores(labels: readonly ScoredLabel[]): Map<string, number | null> {
  const parsed = labels.map((l) => ({
    id: l.id,
    skipped: l.skipped === 1,
    answers: comparable(l.annotations),
  }));
  const scores = new Map<string, number | null>();
  for (const a of parsed) {
    if (a.skipped) {
      scores.set(a.id, null);
      continue;
    }
    const agreements: number[] = [];
    for (const b of parsed) {
      if (b === a || b.skipped) continue;
      const agreement = pairAgreement(a.answers, b.answers);
      if (agreement !== null) agreements.push(agreement);
    }
    scores.set(a.id, agreements.length === 0 ? null : mean(agreements));
  }
  return scores;
}

function pairAgreement(a: Map<string, Answer>, b: Map<string, Answer>): number | null {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const values: number[] = [];
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    const kind = (x ?? y)?.kind;
    if (kind === 'radio') {
      values.push(x?.kind === 'radio' && y?.kind === 'radio' && x.option === y.option ? 1 : 0);
    } else if (kind === 'checklist') {
      const left = x?.kind === 'checklist' ? x.options : new Set<string>();
      const right = y?.kind === 'checklist' ? y.options : new Set<string>();
      const union = new Set([...left, ...right]);
      const both = [...left].filter((o) => right.has(o)).length;
      values.push(union.size === 0 ? 1 : both / union.size);
    } else if (kind !== undefined) {
      values.push(toolAgreement(x as ToolAnswer | undefined, y as ToolAnswer | undefined));
    }
  }
  return values.length === 0 ? null : mean(values);
}

interface StoredClassification {
  feature_schema_id: string;
  message_id?: string;
  radio_answer?: { feature_schema_id: string; name: string };
  conversational_radio_answer?: { feature_schema_id: string; name: string };
  checklist_answers?: { name: string }[];
  conversational_checklist_answers?: { name: string }[];
}

/** The radio and checklist answers of a stored annotations document, by question (and message). */
function comparable(annotations: string): Map<string, Answer> {
  const doc = JSON.parse(annotations) as { objects?: unknown[]; classifications?: StoredClassification[] };
  const out = new Map<string, Answer>(toolAnswers(doc.objects));
  for (const c of doc.classifications ?? []) {
    const key = `${c.feature_schema_id}\u0000${c.message_id ?? ''}`;
    const radio = c.radio_answer ?? c.conversational_radio_answer;
    // Checklist answers carry no feature_schema_id in export v2: options compare by name.
    const checklist = c.checklist_answers ?? c.conversational_checklist_answers;
    if (radio) out.set(key, { kind: 'radio', option: radio.feature_schema_id });
    else if (checklist) out.set(key, { kind: 'checklist', options: new Set(checklist.map((o) => o.name)) });
  }
  return out;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * The agreement of a row's labels as one figure: the mean agreement over the pairs of non-skipped
 * labels that share a comparable question; null when no pair does.
 */
export function rowAgreement(labels: readonly ScoredLabel[]): number | null {
  const answered = labels.filter((l) => l.skipped !== 1).map((l) => comparable(l.annotations));
  const agreements: number[] = [];
  for (let i = 0; i < answered.length; i++) {
    for (let j = i + 1; j < answered.length; j++) {
      const agreement = pairAgreement(answered[i]!, answered[j]!);
      if (agreement !== null) agreements.push(agreement);
    }
  }
  return agreements.length === 0 ? null : mean(agreements);
}
