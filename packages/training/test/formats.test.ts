/**
 * Every format against its committed expected output (fixtures/expected/<format>.jsonl, read and
 * checked by hand when written; PREFER_UPDATE_FIXTURES=1 rewrites them), then the policies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../src/formats/formats.ts';
import { convertFile } from './support/convert-file.ts';

const EXPORT = new URL('./fixtures/export.ndjson', import.meta.url).pathname;
const expected = (format: string) => new URL(`./fixtures/expected/${format}.jsonl`, import.meta.url);
const ids = (records: Record<string, unknown>[]) => records.map((r) => r.data_row_id);

describe('formats on the fixture export', () => {
  for (const format of FORMATS) {
    it(`${format} matches its expected records`, async () => {
      const { records } = await convertFile(EXPORT, { format });
      const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
      if (process.env.PREFER_UPDATE_FIXTURES === '1') writeFileSync(expected(format), text);
      expect(text).toBe(readFileSync(expected(format), 'utf8'));
      for (const r of records) {
        expect(r).toHaveProperty('data_row_id');
        expect(r).toHaveProperty('label_id');
        expect(r).toHaveProperty('global_key');
      }
    });
  }

  it('trl: the majority wins, a split vote and the labels outside Done give nothing', async () => {
    const { records, summary } = await convertFile(EXPORT, { format: 'trl' });
    expect(ids(records)).toEqual([
      'row-majority-a',
      'row-displayed-b-first',
      'row-three-outputs',
      'row-three-outputs',
    ]);
    expect(records[0]!.chosen).toEqual([{ role: 'assistant', content: 'Use `xs[::-1]` or `xs.reverse()`.' }]);
    expect(summary.dropped).toMatchObject({
      'no majority': 1,
      'tie (--ties drop)': 1,
      'both bad (--ties drop)': 1,
    });
  });

  it('derives roles: system, then user/assistant turns from align', async () => {
    const { records } = await convertFile(EXPORT, { format: 'arena' });
    const tie = records.find((r) => r.data_row_id === 'row-tie-multiturn')!;
    expect((tie.conversation_a as { role: string }[]).map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(tie.turn).toBe(2);
    expect(tie.winner).toBe('tie');
  });

  it('arena: model_a is the output displayed left', async () => {
    const { records } = await convertFile(EXPORT, { format: 'arena' });
    const r = records.find((x) => x.data_row_id === 'row-displayed-b-first')!;
    expect([r.model_a, r.model_b, r.winner]).toEqual(['model-b', 'model-a', 'model_a']);
  });

  it('--ties keep emits ties for kto (both acceptable), reward (margin 0) and helpsteer (0)', async () => {
    const kto = (await convertFile(EXPORT, { format: 'kto', ties: 'keep' })).records;
    expect(kto.filter((r) => r.data_row_id === 'row-tie-multiturn').map((r) => r.label)).toEqual([
      true,
      true,
    ]);
    expect(kto.filter((r) => r.data_row_id === 'row-both-bad').map((r) => r.label)).toEqual([false, false]);
    const reward = (await convertFile(EXPORT, { format: 'reward', ties: 'keep' })).records;
    expect(reward.find((r) => r.data_row_id === 'row-tie-multiturn')!.margin).toBe(0);
    const hs = (await convertFile(EXPORT, { format: 'helpsteer', ties: 'keep' })).records;
    expect(hs.find((r) => r.data_row_id === 'row-both-bad')!.preference_strength).toBe(0);
  });

  it('reward margin is the mean strength of the agreeing labels; helpsteer signs it', async () => {
    const reward = (await convertFile(EXPORT, { format: 'reward' })).records;
    // l1 "Much better" (3) and l2 "Slightly better" (1) agree on A.
    expect(reward[0]!.margin).toBe(2);
    const hs = (await convertFile(EXPORT, { format: 'helpsteer' })).records;
    expect(hs[0]!.preference_strength).toBe(-2);
  });

  it('--labels all counts rows outside Done; approved counts only approved labels', async () => {
    const all = (await convertFile(EXPORT, { format: 'trl', labels: 'all' })).records;
    expect(ids(all)).toContain('row-in-review');
    const approved = (await convertFile(EXPORT, { format: 'trl', labels: 'approved' })).records;
    expect(ids(approved)).toEqual(['row-majority-a', 'row-displayed-b-first']);
  });

  it('unanimous drops a 2-1 vote; reviewer keeps the approved label', async () => {
    const unanimous = (await convertFile(EXPORT, { format: 'trl', aggregate: 'unanimous' })).records;
    expect(ids(unanimous)).not.toContain('row-majority-a');
    const reviewer = await convertFile(EXPORT, { format: 'prefer', aggregate: 'reviewer' });
    const row = reviewer.records.find((r) => r.data_row_id === 'row-majority-a')!;
    expect(row.label_id).toBe('l1');
    expect(reviewer.records.find((r) => r.data_row_id === 'row-split-vote')!.consensus).toMatchObject({
      why: 'no label approved by a reviewer',
    });
  });

  it('prefer keeps reasons, rubric, reviews with reasons, order and timings', async () => {
    const { records } = await convertFile(EXPORT, { format: 'prefer' });
    const labels = records[0]!.labels as Record<string, unknown>[];
    expect(labels[0]).toMatchObject({
      label_id: 'l1',
      annotator: 'ann1@example.com',
      outcome: 'Response A',
      strength: 3,
      rubric: ['Relevance', 'Usefulness'],
      reason: 'shows both ways',
      seconds_to_create: 30,
      displayed_order_recorded: false,
      approved: true,
    });
    expect((labels[0]!.reviews as { reason: string }[])[0]!.reason).toBe('agreed');
    const shown = records.find((r) => r.data_row_id === 'row-displayed-b-first')!;
    expect(shown).toMatchObject({
      displayed_order: ['Response B', 'Response A'],
      displayed_order_recorded: true,
    });
  });

  it('the summary says when the displayed order was assumed', async () => {
    const { summary } = await convertFile(EXPORT, { format: 'trl' });
    expect(summary.displayed_order).toEqual({ recorded: 1, assumed: 9 });
  });
});
