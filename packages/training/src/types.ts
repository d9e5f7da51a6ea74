/** The preference model every converter and statistic works on. */

export type Role = 'system' | 'user' | 'assistant';

export interface Message {
  role: Role;
  content: string;
}

/** One model output of a conversation: `title` is what the editor showed, `model` who wrote it. */
export interface ModelOutput {
  title: string;
  model: string;
  content: string;
}

export interface Review {
  id: string | null;
  /** 1 approve, -1 reject. */
  score: number;
  created_at: string | null;
  created_by: string | null;
  reason: string | null;
}

export interface Comment {
  author: string;
  text: string;
  created_at: string;
}

/** The answers of one label by question name, whatever the mapping says they mean. */
export interface Answers {
  radio: Map<string, string>;
  checklist: Map<string, string[]>;
  text: Map<string, string>;
}

export interface LabelRecord {
  id: string;
  created_by: string | null;
  created_at: string | null;
  seconds_to_create: number | null;
  seconds_to_review: number | null;
  skipped: boolean;
  reviews: Review[];
  answers: Answers;
  /** Output titles left to right as the editor showed them, when that was recorded. */
  displayed_order: string[] | null;
  /**
   * Multimodal chat rows: the label's preference on this item's prompt, output titles best first
   * (a message ranking; a single selection is its pick alone); null when it gave none. Absent on
   * conversation-v1 rows, whose preference is the mapping's radio question.
   */
  ranking?: string[] | null;
}

/** One data row in one project, read from an export v2 line. */
export interface RowRecord {
  /** 1-based line of the export file, for error messages. */
  line: number;
  data_row_id: string;
  global_key: string | null;
  project_id: string;
  workflow_status: string | null;
  prompt: Message[];
  outputs: ModelOutput[];
  labels: LabelRecord[];
  comments: Comment[];
}

/** `ranking`: titles best first (a ranking of n outputs yields n(n-1)/2 pairs, or best against the rest). */
export type Outcome =
  | { kind: 'win'; winner: string }
  | { kind: 'tie' }
  | { kind: 'both_bad' }
  | { kind: 'ranking'; order: string[] };

/** A label read through the mapping. */
export interface Judgement {
  label: LabelRecord;
  /** Null when the preference question was not answered. */
  outcome: Outcome | null;
  strength: number | null;
  rubric: string[];
  reason: string | null;
  /** The order used as displayed, and whether it was recorded or assumed from `modelOutputs`. */
  displayed: string[];
  displayed_recorded: boolean;
}
