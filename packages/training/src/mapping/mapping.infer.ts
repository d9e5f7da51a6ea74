/**
 * Fills in what the mapping file leaves out, from the answers seen (or an ontology turned into a
 * survey). Each guess is a note the CLI prints, so the user can check it and pin it in a file.
 */
import { TrainingInputError } from '../errors.ts';
import type { Mapping, MappingFile } from './mapping.schema.ts';
import type { Survey } from './survey.ts';

// "Both bad" is tested first: "Tie (both bad)" is a both-bad answer, not a tie.
const BOTH_BAD = /both\s*(are\s*)?(bad|poor|wrong|unacceptable)|neither|none\b/i;
const TIE = /\btie\b|equal|same|both\s*(are\s*)?(good|fine)|no preference/i;
const STRENGTH = /strength|how much|margin|degree|confiden|by how|intensity/i;
const REASON = /reason|why|explain|rational|justif/i;
// Words of common strength scales; the first match wins.
const STRENGTH_WORDS: [RegExp, number][] = [
  [/negligib|barely|marginal/i, 0.5],
  [/slight|a little|somewhat/i, 1],
  // "Much better" before the plain "better" of the moderate step.
  [/much|significant|strong|far\b|definite/i, 3],
  [/moderate|clearly|better\b/i, 2],
];

/** The preference of multimodal chat rows: their message tools, not a radio question. */
export const MESSAGE_TOOLS = '(message tools)';

export interface ResolvedMapping {
  mapping: Mapping;
  /** One line per inferred choice. */
  notes: string[];
}

export function resolveMapping(file: MappingFile, survey: Survey): ResolvedMapping {
  const notes: string[] = [];
  const preference = file.preference ?? inferPreference(survey, notes);
  const seen = [...(survey.radio.get(preference)?.keys() ?? [])];
  const options: Record<string, string> = { ...(file.options ?? {}) };
  const tie = file.tie ? [...file.tie] : [];
  const bothBad = file.both_bad ? [...file.both_bad] : [];
  const unknown: string[] = [];
  for (const option of seen) {
    if (options[option] || tie.includes(option) || bothBad.includes(option)) continue;
    // Options given in the file are the whole list: an answer left out of it is an error, not a guess.
    if (!file.options && survey.titles.has(option)) options[option] = option;
    else if (!file.both_bad && BOTH_BAD.test(option)) bothBad.push(option);
    else if (!file.tie && TIE.test(option)) tie.push(option);
    else unknown.push(option);
  }
  if (unknown.length > 0) {
    throw new TrainingInputError(
      `the answers ${unknown.map((o) => JSON.stringify(o)).join(', ')} of ${JSON.stringify(preference)} are not a model output title (${[...survey.titles].map((t) => JSON.stringify(t)).join(', ')}) nor a tie or both-bad answer; say what they mean in --mapping ("options", "tie", "both_bad")`,
    );
  }
  if (!file.options) notes.push(`options: ${JSON.stringify(options)} (options equal to an output title)`);
  if (!file.tie) notes.push(`tie: ${JSON.stringify(tie)}`);
  if (!file.both_bad) notes.push(`both_bad: ${JSON.stringify(bothBad)}`);
  const strength = file.strength !== undefined ? file.strength : inferStrength(survey, preference, notes);
  const rubric = file.rubric !== undefined ? file.rubric : inferOne(survey.checklist, /rubric|eval|criteri/i);
  if (file.rubric === undefined) notes.push(`rubric: ${JSON.stringify(rubric)}`);
  const reason = file.reason !== undefined ? file.reason : inferOne(survey.text, REASON);
  if (file.reason === undefined) notes.push(`reason: ${JSON.stringify(reason)}`);
  return {
    mapping: {
      preference,
      options,
      tie,
      both_bad: bothBad,
      strength,
      rubric,
      reason,
      roles: file.roles ?? {},
    },
    notes,
  };
}

/** The radio question most often answered with a model output title. */
function inferPreference(survey: Survey, notes: string[]): string {
  let best: [string, number] | undefined;
  for (const [q, options] of survey.radio) {
    let n = 0;
    for (const [o, count] of options) if (survey.titles.has(o)) n += count;
    if (n > 0 && (!best || n > best[1])) best = [q, n];
  }
  if (!best && survey.rankings > 0) {
    notes.push(
      `preference: ${JSON.stringify(MESSAGE_TOOLS)} (multimodal chat rows: a message ranking, else a single selection)`,
    );
    return MESSAGE_TOOLS;
  }
  if (!best) {
    const radios = [...survey.radio.keys()].map((q) => JSON.stringify(q)).join(', ') || 'none';
    throw new TrainingInputError(
      `cannot tell the preference question: no radio answer names a model output title (radio questions seen: ${radios}); give "preference" and "options" in --mapping`,
    );
  }
  notes.push(`preference: ${JSON.stringify(best[0])} (the radio question answered with output titles)`);
  return best[0];
}

function inferStrength(survey: Survey, preference: string, notes: string[]): Mapping['strength'] {
  for (const [q, options] of survey.radio) {
    if (q === preference || !STRENGTH.test(q)) continue;
    const values: Record<string, number> = {};
    for (const o of options.keys()) {
      const v = strengthValue(o);
      if (v === null) {
        notes.push(
          `strength: none (no number for the answer ${JSON.stringify(o)} of ${JSON.stringify(q)}; give "strength" in --mapping)`,
        );
        return null;
      }
      values[o] = v;
    }
    notes.push(`strength: ${JSON.stringify({ question: q, values })}`);
    return { question: q, values };
  }
  notes.push('strength: none');
  return null;
}

function strengthValue(option: string): number | null {
  const n = /^\s*(-?\d+(\.\d+)?)/.exec(option);
  if (n) return Number(n[1]);
  for (const [re, v] of STRENGTH_WORDS) if (re.test(option)) return v;
  return null;
}

function inferOne(m: Map<string, Map<string, number> | number>, prefer: RegExp): string | null {
  const names = [...m.keys()];
  return names.find((q) => prefer.test(q)) ?? names[0] ?? null;
}
