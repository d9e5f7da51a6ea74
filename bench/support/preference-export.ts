/**
 * A deterministic export v2 file of N preference rows for the convert benchmark: two outputs
 * from a pool of models, one to three labels from a pool of annotators, a reason and a rubric.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { seededRandom } from '../../packages/training/src/stats/rng.ts';

const MODELS = ['model-a', 'model-b', 'model-c', 'model-d', 'model-e', 'model-f'];
const ANSWERS = ['Response A', 'Response B', 'Response A', 'Response B', 'Tie'];
const pad = (n: number) => n.toString(36).padStart(24, '0');

export async function writePreferenceExport(path: string, rows: number): Promise<void> {
  const random = seededRandom(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    const a = pick(MODELS);
    const b = pick(MODELS.filter((m) => m !== a));
    const conversation = {
      type: 'application/vnd.labelbox.conversational',
      version: 1,
      messages: [
        {
          messageId: 'm1',
          content: `Question ${i}: how do I do thing number ${i % 997}?`,
          user: { userId: 'user', name: 'User' },
          align: 'right',
        },
      ],
      modelOutputs: [
        { title: 'Response A', content: `Answer from ${a} to question ${i}. `.repeat(8), modelConfigName: a },
        { title: 'Response B', content: `Answer from ${b} to question ${i}. `.repeat(8), modelConfigName: b },
      ],
    };
    const labels = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, j) => ({
      label_kind: 'Default',
      version: '1.0.0',
      id: `c${pad(i * 4 + j)}`,
      label_details: {
        created_at: new Date(1_700_000_000_000 + i * 1000 + j).toISOString().replace('Z', '+00:00'),
        created_by: `annotator-${Math.floor(random() * 20)}@example.com`,
        reviews: [],
      },
      performance_details: {
        seconds_to_create: Math.floor(random() * 120),
        seconds_to_review: 0,
        skipped: false,
      },
      annotations: {
        objects: [],
        classifications: [
          {
            feature_id: 'f1',
            feature_schema_id: 's1',
            name: 'Choose the best response',
            radio_answer: {
              feature_id: 'f2',
              feature_schema_id: 's2',
              name: pick(ANSWERS),
              classifications: [],
            },
          },
          {
            feature_id: 'f3',
            feature_schema_id: 's3',
            name: 'Provide a reason for your choice',
            text_answer: { content: 'more complete' },
          },
          {
            feature_id: 'f4',
            feature_schema_id: 's4',
            name: 'Evaluations done',
            checklist_answers: [{ feature_id: 'f5', name: 'Relevance', classifications: [] }],
          },
        ],
        relationships: [],
      },
    }));
    const row = {
      data_row: { id: `c${pad(i)}`, global_key: `bench-${i}`, row_data: JSON.stringify(conversation) },
      media_attributes: {
        mime_type: 'application/vnd.labelbox.conversational',
        labelable_ids: [],
        message_count: 1,
      },
      projects: {
        cbenchproject000000000000: { name: 'bench', labels, project_details: { workflow_status: 'DONE' } },
      },
    };
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}
