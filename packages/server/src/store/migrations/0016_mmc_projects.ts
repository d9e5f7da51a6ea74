import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Labelbox's editorTaskType of a multimodal chat evaluation project (OFFLINE_MODEL_CHAT_EVALUATION
  // or MODEL_CHAT_EVALUATION); NULL for a conversation-v1 project. Same text column on both backends.
  await db.schema.alterTable('projects').addColumn('editor_task_type', 'text').execute();
}
