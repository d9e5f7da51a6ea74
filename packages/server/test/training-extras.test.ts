/** `trainingExtras`: what `prefer convert` adds to a project's export, scoped to the caller's organization. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { trainingExtras } from '../src/training/training-extras.ts';
import { addComment } from '../src/workflow/comment.service.ts';
import { describeBackends } from './support/backends.ts';
import { seedActor } from './support/seed-rows.ts';

const SEED = JSON.parse(
  readFileSync(new URL('./fixtures/seed-sample-export-row.json', import.meta.url), 'utf8'),
);
const PROJECT = 'clpiy2itz08vg0705akh60zc1';
const ROW = 'clpiqgsvn4lxr079096g5mt9v';
const LABEL = 'clpiyah63071f07e4756yer2d';

describeBackends('trainingExtras', (ctx) => {
  let owner: Actor;
  let stranger: Actor;

  beforeAll(async () => {
    owner = await seedActor(ctx.store);
    stranger = await seedActor(ctx.store);
    const result = await importLabelboxExport(ctx.store, owner, {
      input: Readable.from([`${JSON.stringify(SEED)}\n`]),
    });
    expect(result.ok).toBe(true);
    await ctx.store.db
      .insertInto('reviews')
      .values({
        id: 'creview0000000000000000001',
        org_id: owner.orgId,
        project_id: PROJECT,
        label_id: LABEL,
        data_row_id: ROW,
        score: -1,
        reason: 'B misses the question',
        created_at: 1_700_000_000_000,
        created_by: owner.userId,
      })
      .execute();
    await ctx.store.db
      .updateTable('labels')
      .set({ displayed_order: '["Response B","Response A"]' })
      .where('id', '=', LABEL)
      .execute();
    await addComment(ctx.store, owner, { projectId: PROJECT, dataRowId: ROW, text: 'look again' });
  });

  it('answers review reasons, comments and displayed orders of the given rows', async () => {
    const extras = await trainingExtras(ctx.store, owner, PROJECT, [ROW]);
    expect(extras.reviewReasons.get('creview0000000000000000001')).toBe('B misses the question');
    expect(extras.comments.get(ROW)).toEqual([
      expect.objectContaining({ author: owner.email, text: 'look again' }),
    ]);
    expect(extras.comments.get(ROW)![0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*\+00:00$/);
    expect(extras.displayedOrder.get(LABEL)).toBe('["Response B","Response A"]');
  });

  it('answers nothing to another organization, nor for rows not asked', async () => {
    const other = await trainingExtras(ctx.store, stranger, PROJECT, [ROW]);
    expect([other.reviewReasons.size, other.comments.size, other.displayedOrder.size]).toEqual([0, 0, 0]);
    const none = await trainingExtras(ctx.store, owner, PROJECT, []);
    expect(none.comments.size).toBe(0);
  });
});
