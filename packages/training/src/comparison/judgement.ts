/** A label read through the mapping: what it prefers, how strongly, and why. */
import { lineError } from '../errors.ts';
import type { Mapping } from '../mapping/mapping.schema.ts';
import type { Judgement, LabelRecord, Outcome, RowRecord } from '../types.ts';

export function judge(row: RowRecord, label: LabelRecord, mapping: Mapping): Judgement {
  // Multimodal chat rows: the message tools say the preference (source/mmc.ts), not a radio.
  const answer = label.ranking !== undefined ? undefined : label.answers.radio.get(mapping.preference);
  let outcome: Outcome | null = null;
  if (label.ranking) {
    outcome =
      label.ranking.length === 1
        ? { kind: 'win', winner: label.ranking[0]! }
        : { kind: 'ranking', order: label.ranking };
  } else if (answer !== undefined) {
    const title = mapping.options[answer];
    if (title !== undefined) {
      if (!row.outputs.some((o) => o.title === title)) {
        lineError(
          row.line,
          `label ${label.id}: the answer ${JSON.stringify(answer)} means output ${JSON.stringify(title)}, which this conversation does not have (titles: ${row.outputs.map((o) => JSON.stringify(o.title)).join(', ')})`,
        );
      }
      outcome = { kind: 'win', winner: title };
    } else if (mapping.tie.includes(answer)) outcome = { kind: 'tie' };
    else if (mapping.both_bad.includes(answer)) outcome = { kind: 'both_bad' };
    else {
      const valid = [...Object.keys(mapping.options), ...mapping.tie, ...mapping.both_bad];
      lineError(
        row.line,
        `label ${label.id}: ${JSON.stringify(answer)} is not an option of the mapping for ${JSON.stringify(mapping.preference)} (valid: ${valid.map((v) => JSON.stringify(v)).join(', ')})`,
      );
    }
  }
  let strength: number | null = null;
  if (mapping.strength) {
    const s = label.answers.radio.get(mapping.strength.question);
    if (s !== undefined) {
      const v = mapping.strength.values[s];
      if (v === undefined) {
        lineError(
          row.line,
          `label ${label.id}: ${JSON.stringify(s)} has no value in the mapping's strength.values (valid: ${Object.keys(
            mapping.strength.values,
          )
            .map((k) => JSON.stringify(k))
            .join(', ')})`,
        );
      }
      strength = v;
    }
  }
  const recorded = label.displayed_order !== null;
  return {
    label,
    outcome,
    strength,
    rubric: mapping.rubric ? (label.answers.checklist.get(mapping.rubric) ?? []) : [],
    reason: mapping.reason ? (label.answers.text.get(mapping.reason) ?? null) : null,
    displayed: label.displayed_order ?? row.outputs.map((o) => o.title),
    displayed_recorded: recorded,
  };
}

/** The same outcome? (The aggregation compares outcomes, not labels.) */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return outcomeKey(a) === outcomeKey(b);
}

/** Labels agree on a ranking only when they rank alike (consensus is per whole ranking). */
export function outcomeKey(o: Outcome): string {
  return o.kind === 'win'
    ? `win:${o.winner}`
    : o.kind === 'ranking'
      ? `ranking:${JSON.stringify(o.order)}`
      : o.kind;
}
