/**
 * Multimodal chat evaluation exports (conversation v2) in the converters and statistics. The
 * fixture is one §1.6 row with three labels: two rank prompt 1 as C > A > B (the second also
 * ranks prompt 2: A > B), the third only picks C on prompt 1 (single selection).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { surveyRows } from '../src/convert.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import { readExportFile } from '../src/source/export-file.ts';
import { computeStats } from '../src/stats/report.ts';
import { convertFile } from './support/convert-file.ts';

const EXPORT = new URL('./fixtures/mmc-export.ndjson', import.meta.url).pathname;
const P1 = 'clmmcmsg01hum000000000000';
const text = (m: unknown) => (m as { content: string }[])[0]!.content;

describe('multimodal chat rows in training', () => {
  it('reads one item per prompt with several replies, the thread up to it, replies titled by message id', async () => {
    const rows = [];
    for await (const r of readExportFile(EXPORT)) rows.push(r);
    expect(rows.map((r) => r.outputs.map((o) => o.model))).toEqual([
      ['Model A', 'Model B', 'Model C'],
      ['Model A', 'Model B'],
    ]);
    expect(rows[1]!.prompt).toEqual([
      { role: 'user', content: 'What is the capital of Australia?' },
      { role: 'assistant', content: 'Canberra.' },
      { role: 'user', content: 'When did it become the capital?' },
    ]);
    expect(rows[0]!.labels.map((l) => l.ranking)).toEqual([
      ['clmmcmsg01rsc000000000000', 'clmmcmsg01rsa000000000000', 'clmmcmsg01rsb000000000000'],
      ['clmmcmsg01rsc000000000000', 'clmmcmsg01rsa000000000000', 'clmmcmsg01rsb000000000000'],
      ['clmmcmsg01rsc000000000000'],
    ]);
    expect(rows[1]!.labels.map((l) => l.ranking)).toEqual([
      null,
      ['clmmcmsg02rsa000000000000', 'clmmcmsg02rsb000000000000'],
      null,
    ]);
  });

  it("reads the editor's displayed order (reply ids of every prompt) as each prompt's own order", async () => {
    // The web editor records the compared replies of all prompts, left to right, prompt by prompt.
    const line = JSON.parse(readFileSync(EXPORT, 'utf8').split('\n')[0]!);
    const labels = Object.values(line.projects as Record<string, { labels: Record<string, unknown>[] }>)[0]!
      .labels;
    labels[1]!.displayed_order = [
      'clmmcmsg01rsb000000000000',
      'clmmcmsg01rsc000000000000',
      'clmmcmsg01rsa000000000000',
      'clmmcmsg02rsb000000000000',
      'clmmcmsg02rsa000000000000',
    ];
    const file = join(tmpdir(), `mmc-order-${process.pid}.ndjson`);
    writeFileSync(file, `${JSON.stringify(line)}\n`);
    const rows = [];
    for await (const r of readExportFile(file)) rows.push(r);
    expect(rows.map((r) => r.labels[1]!.displayed_order)).toEqual([
      ['clmmcmsg01rsb000000000000', 'clmmcmsg01rsc000000000000', 'clmmcmsg01rsa000000000000'],
      ['clmmcmsg02rsb000000000000', 'clmmcmsg02rsa000000000000'],
    ]);
    expect(rows[0]!.labels[0]!.displayed_order).toBeNull();
  });

  it('infers the message tools as the preference', async () => {
    const { notes } = resolveMapping({}, await surveyRows(readExportFile(EXPORT)));
    expect(notes[0]).toMatch(/^preference: "\(message tools\)"/);
  });

  it('trl: a ranking of n replies yields n(n-1)/2 pairs, best-vs-rest by option', async () => {
    const all = await convertFile(EXPORT, { format: 'trl' });
    const pairs = all.records.map((r) => [text(r.chosen), text(r.rejected)]);
    // Pairs in the replies' order (no displayed order was recorded), the higher-ranked chosen.
    expect(pairs).toEqual([
      ['Canberra.', 'Sydney.'],
      ['The capital is Canberra, not Sydney.', 'Canberra.'],
      ['The capital is Canberra, not Sydney.', 'Sydney.'],
      ['Parliament moved there in 1927.', 'In 1913.'],
    ]);
    expect(all.summary.outcomes).toMatchObject({ ranking: 2 });
    const best = await convertFile(EXPORT, { format: 'trl', rankingPairs: 'best' });
    expect(best.records.map((r) => [text(r.chosen), text(r.rejected)])).toEqual([
      ['The capital is Canberra, not Sydney.', 'Canberra.'],
      ['The capital is Canberra, not Sydney.', 'Sydney.'],
      ['Parliament moved there in 1927.', 'In 1913.'],
    ]);
  });

  it('arena: one battle per pair of every vote; a single selection is the pick against each other reply', async () => {
    const { records } = await convertFile(EXPORT, { format: 'arena' });
    const battles = records.map((r) => `${r.judge}: ${r.model_a} vs ${r.model_b} -> ${r.winner}`);
    expect(battles.filter((b) => b.startsWith('third@'))).toEqual([
      'third@example.com: Model A vs Model C -> model_b',
      'third@example.com: Model B vs Model C -> model_b',
    ]);
    expect(records).toHaveLength(3 + 4 + 2);
    expect(new Set(records.filter((r) => r.turn === 2).map((r) => r.question_id))).toEqual(
      new Set(['cmmcfix000000000000000001']),
    );
  });

  it('Bradley-Terry rates the models from the rankings’ pairs', async () => {
    const { mapping } = resolveMapping({}, await surveyRows(readExportFile(EXPORT)));
    const report = await computeStats(readExportFile(EXPORT), mapping, {
      bootstrap: 20,
      seed: 1,
      minComparisons: 0,
    });
    // C beats A 3 times and B 3 times; A beats B 3 times (twice on prompt 1, once on prompt 2).
    expect(report.comparisons).toBe(9);
    expect(report.models.map((m) => m.model)).toEqual(['Model C', 'Model A', 'Model B']);
    expect(report.items).toBe(2);
    expect(P1).toHaveLength(25);
  });
});
