/**
 * Builds export v2 lines the way Labelbox and prefer write them (the shape of the seed sample
 * row), so tests can state labels briefly: `label('Response A', { by: 'ann@x', reviews: [1] })`.
 */
export interface LabelSpec {
  id?: string;
  answer?: string;
  by?: string;
  at?: string;
  reason?: string;
  rubric?: string[];
  strength?: string;
  skipped?: boolean;
  seconds?: number;
  reviews?: { score: number; reason?: string; at?: string }[];
  displayedOrder?: string[];
}

export interface RowSpec {
  id: string;
  globalKey?: string;
  prompt?: string;
  system?: string;
  history?: [string, string][];
  outputs?: [title: string, model: string, content: string][];
  status?: string | null;
  labels: LabelSpec[];
  project?: string;
}

export const PREF = 'Choose the best response';
/** Numbers labels (their ids, feature ids, review ids and creation seconds) in the order made. */
let seq = 0;

/**
 * Numbers from 1 again, as a fresh process would: test/support/fresh-file.ts calls it before each
 * test file, since a file that shares its worker (vitest.config.ts) gets this module as the files
 * before it left it, and tests name ids such as `review-1-0`.
 */
export function resetExportRowIds(): void {
  seq = 0;
}

export function label(answer: string | undefined, spec: Omit<LabelSpec, 'answer'> = {}): LabelSpec {
  return { answer, ...spec };
}

export function exportRow(spec: RowSpec): Record<string, unknown> {
  const messages: unknown[] = [];
  let n = 0;
  const msg = (who: 'user' | 'assistant' | 'system', content: string) => {
    n++;
    messages.push({
      messageId: `message-${n}`,
      content,
      user: { userId: who, name: who[0]!.toUpperCase() + who.slice(1) },
      ...(who === 'system' ? {} : { align: who === 'user' ? 'right' : 'left' }),
    });
  };
  if (spec.system) msg('system', spec.system);
  for (const [u, a] of spec.history ?? []) {
    msg('user', u);
    msg('assistant', a);
  }
  msg('user', spec.prompt ?? `prompt of ${spec.id}`);
  const outputs = spec.outputs ?? [
    ['Response A', 'model-a', `answer A to ${spec.id}`],
    ['Response B', 'model-b', `answer B to ${spec.id}`],
  ];
  const conversation = {
    type: 'application/vnd.labelbox.conversational',
    version: 1,
    messages,
    modelOutputs: outputs.map(([title, modelConfigName, content]) => ({ title, content, modelConfigName })),
  };
  return {
    data_row: {
      id: spec.id,
      global_key: spec.globalKey ?? `key-${spec.id}`,
      row_data: JSON.stringify(conversation),
    },
    media_attributes: {
      mime_type: 'application/vnd.labelbox.conversational',
      labelable_ids: [],
      message_count: messages.length,
    },
    projects: {
      [spec.project ?? 'proj1']: {
        name: 'Test project',
        labels: spec.labels.map(labelOf),
        ...(spec.status === null ? {} : { project_details: projectDetails(spec.status ?? 'DONE') }),
      },
    },
  };
}

/** project_details as the seed sample has them (the Labelbox importer wants every key). */
function projectDetails(status: string) {
  const task = status === 'DONE' ? 'Done' : 'Initial review task';
  return {
    ontology_id: 'cfixtureontology000000001',
    task_id: `task-${task}`,
    task_name: task,
    batch_id: '66882c10-8e42-11ee-8f8d-71857f06db2f',
    batch_name: 'fixture batch',
    workflow_status: status,
    priority: 5,
    consensus_expected_label_count: 3,
    workflow_history: [],
  };
}

function labelOf(l: LabelSpec): Record<string, unknown> {
  seq++;
  const classifications: unknown[] = [];
  const f = (k: string) => `feat-${seq}-${k}`;
  if (l.answer !== undefined) {
    classifications.push({
      feature_id: f('p'),
      feature_schema_id: 'schema-p',
      name: PREF,
      radio_answer: {
        feature_id: f('pa'),
        feature_schema_id: 'schema-pa',
        name: l.answer,
        classifications: [],
      },
    });
  }
  if (l.strength !== undefined) {
    classifications.push({
      feature_id: f('s'),
      feature_schema_id: 'schema-s',
      name: 'Preference strength',
      radio_answer: {
        feature_id: f('sa'),
        feature_schema_id: 'schema-sa',
        name: l.strength,
        classifications: [],
      },
    });
  }
  if (l.reason !== undefined) {
    classifications.push({
      feature_id: f('r'),
      feature_schema_id: 'schema-r',
      name: 'Provide a reason for your choice',
      text_answer: { content: l.reason },
    });
  }
  if (l.rubric !== undefined) {
    classifications.push({
      feature_id: f('c'),
      feature_schema_id: 'schema-c',
      name: 'Evaluations done',
      checklist_answers: l.rubric.map((name, i) => ({ feature_id: f(`c${i}`), name, classifications: [] })),
    });
  }
  return {
    label_kind: 'Default',
    version: '1.0.0',
    id: l.id ?? `label-${seq}`,
    ...(l.displayedOrder ? { displayed_order: l.displayedOrder } : {}),
    label_details: {
      created_at: l.at ?? `2024-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000+00:00`,
      updated_at: l.at ?? '2024-01-01T00:00:00.000+00:00',
      created_by: l.by ?? 'ann1@example.com',
      content_last_updated_at: l.at ?? '2024-01-01T00:00:00.000+00:00',
      reviews: (l.reviews ?? []).map((r, i) => ({
        id: `review-${seq}-${i}`,
        score: r.score,
        created_at: r.at ?? `2024-01-02T00:00:0${i}.000+00:00`,
        created_by: 'reviewer@example.com',
        ...(r.reason ? { reason: r.reason } : {}),
      })),
    },
    ...(l.seconds !== undefined || l.skipped
      ? {
          performance_details: {
            seconds_to_create: l.seconds ?? 0,
            seconds_to_review: 0,
            skipped: l.skipped === true,
          },
        }
      : {}),
    annotations: { objects: [], classifications, relationships: [] },
  };
}

export const ndjson = (rows: Record<string, unknown>[]) =>
  `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
