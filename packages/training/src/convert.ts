/**
 * The conversion as a function: rows in, records out to a sink, a summary back. Usable from the
 * CLI, the SDK or a script:
 *
 *   const { mapping } = resolveMapping({}, await surveyRows(readExportFile('export.ndjson')));
 *   await convertRows(readExportFile('export.ndjson'), jsonlFileSink('dpo.jsonl'), { format: 'trl', mapping });
 */

import { outcomeKey } from './comparison/judgement.ts';
import { type Aggregate, compare, type LabelPolicy } from './comparison/policy.ts';
import { DEFAULT_TIES, type Format, recordsOf, type TiePolicy } from './formats/formats.ts';
import type { RankingPairs } from './formats/pairs.ts';
import type { Mapping } from './mapping/mapping.schema.ts';
import { emptySurvey, type Survey, surveyRow } from './mapping/survey.ts';
import type { RecordSink } from './output/sink.ts';
import { splitOf } from './output/split.ts';
import { alphaAccumulator, percentAgreement } from './stats/agreement.ts';
import type { RowRecord } from './types.ts';

export interface ConvertOptions {
  format: Format;
  mapping: Mapping;
  labels?: LabelPolicy;
  aggregate?: Aggregate;
  ties?: TiePolicy;
  testFraction?: number;
  /** Multimodal chat rankings: every pair (default) or the best against each other output. */
  rankingPairs?: RankingPairs;
}

export interface ConvertSummary {
  format: Format;
  labels: LabelPolicy;
  aggregate: Aggregate;
  ties: TiePolicy;
  test_fraction: number;
  items: number;
  comparisons: number;
  records: { train: number; test: number };
  /** Items without a comparison, by reason (no majority, ties dropped...). */
  dropped: Record<string, number>;
  outcomes: { win: number; tie: number; both_bad: number; ranking: number };
  displayed_order: { recorded: number; assumed: number };
  /** Of the preference answers, over items with two or more counted labels. */
  agreement: { items: number; percent: number | null; krippendorff_alpha: number | null };
  files: string[];
}

export async function surveyRows(rows: AsyncIterable<RowRecord> | Iterable<RowRecord>): Promise<Survey> {
  const survey = emptySurvey();
  for await (const row of rows) surveyRow(survey, row);
  return survey;
}

export async function convertRows(
  rows: AsyncIterable<RowRecord> | Iterable<RowRecord>,
  sink: RecordSink,
  opts: ConvertOptions,
): Promise<ConvertSummary> {
  const { format, mapping } = opts;
  const labels = opts.labels ?? 'done';
  const aggregate = opts.aggregate ?? 'majority';
  const ties = opts.ties ?? DEFAULT_TIES[format];
  const testFraction = opts.testFraction ?? 0;
  const s: ConvertSummary = {
    format,
    labels,
    aggregate,
    ties,
    test_fraction: testFraction,
    items: 0,
    comparisons: 0,
    records: { train: 0, test: 0 },
    dropped: {},
    outcomes: { win: 0, tie: 0, both_bad: 0, ranking: 0 },
    displayed_order: { recorded: 0, assumed: 0 },
    agreement: { items: 0, percent: null, krippendorff_alpha: null },
    files: [],
  };
  const alpha = alphaAccumulator();
  let agreeSum = 0;
  const drop = (why: string) => {
    s.dropped[why] = (s.dropped[why] ?? 0) + 1;
  };
  try {
    for await (const row of rows) {
      s.items++;
      const c = compare(row, mapping, labels, aggregate);
      for (const j of c.judgements) s.displayed_order[j.displayed_recorded ? 'recorded' : 'assumed']++;
      if (c.judgements.length >= 2) {
        const codes = c.judgements.map((j) => outcomeKey(j.outcome!));
        alpha.add(codes.map((k) => codes.indexOf(k)));
        agreeSum += percentAgreement([codes.map((k, rater) => ({ rater, value: codes.indexOf(k) }))]);
        s.agreement.items++;
      }
      if (c.outcome) {
        s.comparisons++;
        s.outcomes[c.outcome.kind]++;
        if ((c.outcome.kind === 'tie' || c.outcome.kind === 'both_bad') && ties === 'drop')
          drop(`${c.outcome.kind === 'tie' ? 'tie' : 'both bad'} (--ties drop)`);
      } else drop(c.why ?? 'no comparison');
      const records = recordsOf(format, c, ties, opts.rankingPairs ?? 'all');
      if (records.length === 0) continue;
      const split = splitOf(row.prompt, testFraction);
      for (const r of records) {
        await sink.write(split, r);
        s.records[split]++;
      }
    }
    s.files = await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  if (s.agreement.items > 0) {
    s.agreement.percent = agreeSum / s.agreement.items;
    const a = alpha.alpha();
    s.agreement.krippendorff_alpha = Number.isFinite(a) ? a : null;
  }
  return s;
}
