/**
 * One export v2 line (Labelbox's or prefer's) as RowRecords, one per project in it. Only the
 * fields the preference model needs are read; each is checked where it is used, and a wrong
 * shape names the line and the path.
 */
import { lineError } from '../errors.ts';
import type { Answers, LabelRecord, Review, Role, RowRecord } from '../types.ts';
import { readConversation } from './conversation.ts';
import { isMmcConversation, mmcRows } from './mmc.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function parseExportLine(
  text: string,
  line: number,
  roles: Readonly<Record<string, Role>> = {},
): RowRecord[] {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err) {
    lineError(line, `not valid JSON (${(err as Error).message})`);
  }
  if (!isObj(row)) lineError(line, 'expected a JSON object (one export v2 data row)');
  const dataRow = row.data_row;
  if (!isObj(dataRow) || typeof dataRow.id !== 'string') lineError(line, 'data_row.id: expected a string');
  const projects = row.projects;
  if (!isObj(projects)) lineError(line, 'projects: expected an object keyed by project id');
  const mmc = mmcConversation(dataRow.row_data);
  const { prompt, outputs } = mmc
    ? { prompt: [], outputs: [] }
    : readConversation(dataRow.row_data, line, roles);
  return Object.entries(projects).flatMap(([projectId, project]) => {
    const at = `projects.${projectId}`;
    if (!isObj(project) || !Array.isArray(project.labels)) lineError(line, `${at}.labels: expected a list`);
    const details = isObj(project.project_details) ? project.project_details : {};
    const labels = project.labels.map((l, i) => readLabel(l, line, `${at}.labels[${i}]`));
    const base = {
      line,
      data_row_id: dataRow.id as string,
      global_key: str(dataRow.global_key),
      project_id: projectId,
      workflow_status: str(details.workflow_status),
      comments: [],
    };
    if (mmc) {
      const withObjects = project.labels.map((l, i) => ({ ...labels[i]!, objects: objectsOf(l) }));
      return mmcRows(mmc, line, { ...base, labels: withObjects });
    }
    return [{ ...base, prompt, outputs, labels }];
  });
}

/** A multimodal chat (v2) conversation, when `row_data` holds one. */
function mmcConversation(rowData: unknown): Obj | null {
  let conv = rowData;
  if (typeof rowData === 'string' && rowData.trimStart().startsWith('{')) {
    try {
      conv = JSON.parse(rowData);
    } catch {
      return null;
    }
  }
  return isMmcConversation(conv) ? conv : null;
}

function objectsOf(label: unknown): unknown[] {
  const annotations = isObj(label) && isObj(label.annotations) ? label.annotations : {};
  return Array.isArray(annotations.objects) ? annotations.objects : [];
}

function readLabel(label: unknown, line: number, at: string): LabelRecord {
  if (!isObj(label) || typeof label.id !== 'string') lineError(line, `${at}.id: expected a string`);
  const details = isObj(label.label_details) ? label.label_details : {};
  const perf = isObj(label.performance_details) ? label.performance_details : {};
  const annotations = isObj(label.annotations) ? label.annotations : {};
  const classifications = annotations.classifications ?? [];
  if (!Array.isArray(classifications)) lineError(line, `${at}.annotations.classifications: expected a list`);
  return {
    id: label.id,
    created_by: str(details.created_by),
    created_at: str(details.created_at),
    seconds_to_create: num(perf.seconds_to_create),
    seconds_to_review: num(perf.seconds_to_review),
    skipped: perf.skipped === true,
    reviews: Array.isArray(details.reviews) ? details.reviews.map(readReview) : [],
    answers: readAnswers(classifications, line, `${at}.annotations.classifications`),
    displayed_order: readOrder(
      label.displayed_order ?? details.displayed_order,
      line,
      `${at}.displayed_order`,
    ),
  };
}

function readReview(r: unknown): Review {
  const o = isObj(r) ? r : {};
  return {
    id: str(o.id),
    score: num(o.score) ?? 0,
    created_at: str(o.created_at),
    created_by: str(o.created_by),
    reason: str(o.reason),
  };
}

/** The displayed order: a list of titles, or that list as JSON text (how prefer stores it). */
export function readOrder(v: unknown, line: number, at: string): string[] | null {
  if (v === undefined || v === null) return null;
  let list = v;
  if (typeof v === 'string') {
    try {
      list = JSON.parse(v);
    } catch {
      lineError(line, `${at}: expected a list of output titles`);
    }
  }
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    lineError(line, `${at}: expected a list of output titles`);
  }
  return list as string[];
}

/** Global and message-scoped answers alike, by question name; nested answers are flattened. */
function readAnswers(list: unknown[], line: number, at: string): Answers {
  const answers: Answers = { radio: new Map(), checklist: new Map(), text: new Map() };
  const visit = (items: unknown[], path: string) => {
    items.forEach((c, i) => {
      const here = `${path}[${i}]`;
      if (!isObj(c) || typeof c.name !== 'string') lineError(line, `${here}.name: expected a string`);
      const radio = c.radio_answer ?? c.conversational_radio_answer;
      const checklist = c.checklist_answers ?? c.conversational_checklist_answers;
      const text = c.text_answer ?? c.conversational_text_answer;
      if (isObj(radio)) {
        if (typeof radio.name !== 'string') lineError(line, `${here}.radio_answer.name: expected a string`);
        answers.radio.set(c.name, radio.name);
        if (Array.isArray(radio.classifications))
          visit(radio.classifications, `${here}.radio_answer.classifications`);
      } else if (Array.isArray(checklist)) {
        answers.checklist.set(
          c.name,
          checklist.map((a, j) => {
            if (!isObj(a) || typeof a.name !== 'string') {
              lineError(line, `${here}.checklist_answers[${j}].name: expected a string`);
            }
            return a.name;
          }),
        );
      } else if (isObj(text)) {
        answers.text.set(c.name, typeof text.content === 'string' ? text.content : '');
      }
    });
  };
  visit(list, at);
  return answers;
}
