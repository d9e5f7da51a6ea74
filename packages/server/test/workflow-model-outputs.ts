/** Rows with model outputs, for the suites of the order the app shows them in. */
import type { Store } from '../src/store/store.ts';

const TITLES = ['Response A', 'Response B'];

/** Gives rows model outputs (two by default), as the app shows them side by side. */
export async function withModelOutputs(store: Store, rowIds: readonly string[], titles = TITLES) {
  for (const id of rowIds) {
    const row = await store.db
      .selectFrom('data_rows')
      .where('id', '=', id)
      .select('row_data')
      .executeTakeFirstOrThrow();
    const conversation = JSON.parse(row.row_data);
    conversation.modelOutputs = titles.map((title, i) => ({
      title,
      content: `answer ${i}`,
      modelConfigName: `model-${i}`,
    }));
    await store.db
      .updateTable('data_rows')
      .set({ row_data: JSON.stringify(conversation) })
      .where('id', '=', id)
      .execute();
  }
}
