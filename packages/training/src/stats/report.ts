/** `prefer stats` as a function: rows in, one report out (the `--json` object). */
import type { Mapping } from '../mapping/mapping.schema.ts';
import type { RowRecord } from '../types.ts';
import {
  cohenKappaOf,
  type FlatUnits,
  fleissKappaOf,
  krippendorffAlphaOf,
  type Pick,
  percentAgreementOf,
} from './agreement.ts';
import { type AnnotatorRow, annotatorReport } from './annotators.ts';
import { Collector } from './collect.ts';
import { UnitLog } from './logs.ts';
import { type ModelReport, modelReport, type PlackettLuceReport, plackettLuceReport } from './models.ts';
import { Pace, pacedBootstrapPicks } from './pace.ts';
import { seededRandom } from './rng.ts';

export interface StatsOptions {
  bootstrap: number;
  seed: number;
  anchor?: string;
  minComparisons: number;
  /**
   * Resamples done of those expected (an estimate), reported now and then while the bootstrap
   * runs; between reports the event loop gets a turn (a server stays responsive).
   */
  progress?: (done: number, total: number) => void;
}

export interface QuestionAgreement {
  question: string;
  /** Items with at least two answers. */
  items: number;
  raters: number;
  percent: number | null;
  cohen_kappa: number | null;
  fleiss_kappa: number | null;
  krippendorff_alpha: number | null;
  /** The 95% bootstrap interval of krippendorff_alpha; the others have their own `*_ci`. */
  ci: [number, number] | null;
  percent_ci: [number, number] | null;
  fleiss_kappa_ci: [number, number] | null;
  cohen_kappa_ci: [number, number] | null;
}

export interface StatsReport {
  comparisons: number;
  items: number;
  displayed_order: { recorded: number; assumed: number; note: string | null };
  models: ModelReport['models'];
  anchor: string | null;
  /** Plackett-Luce ratings over whole rankings, when some vote ranks 3 outputs or more. */
  plackett_luce: PlackettLuceReport | null;
  win_matrix: { models: string[]; wins: number[][]; ties: number[][]; losses: number[][] };
  agreement: QuestionAgreement[];
  pairwise: { annotators: string[]; percent: (number | null)[][]; shared: number[][] };
  annotators: AnnotatorRow[];
  mapping: Mapping;
  bootstrap: number;
  seed: number;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

export async function computeStats(
  rows: AsyncIterable<RowRecord> | Iterable<RowRecord>,
  mapping: Mapping,
  opts: StatsOptions,
): Promise<StatsReport> {
  const c = new Collector(mapping);
  for await (const row of rows) c.add(row);
  const random = seededRandom(opts.seed);
  // Up to four intervals per question, then Bradley-Terry and Plackett-Luce.
  const pace = new Pace(opts.bootstrap * (4 * c.questions.size + 2), opts.progress);
  // Every statistic reads the compact logs in place; a resample is a list of unit indices.
  // One question after another: they share the random source, so the order fixes the draws.
  const agreement: QuestionAgreement[] = [];
  for (const [question, q] of c.questions) {
    agreement.push(
      await questionAgreement(question, q.log, q.log.ratersSeen.size, opts.bootstrap, random, pace),
    );
  }
  const prefUnits = c.questions.get(mapping.preference)?.log ?? new UnitLog();
  const models = await modelReport(c.models, c.battles, { ...opts, random, pace });
  // After Bradley-Terry, so its draws (and so its intervals) are those of a report without it.
  const plackettLuce = await plackettLuceReport(models, c.rankings, { ...opts, random, pace });
  const pick = (f: (x: { wins: number; ties: number; losses: number }) => number) =>
    models.matrix.map((r) => r.map(f));
  const assumed = c.displayedAssumed;
  return {
    comparisons: c.battles.length,
    items: c.items,
    displayed_order: {
      recorded: c.displayedRecorded,
      assumed,
      note:
        assumed > 0
          ? `no displayed order was recorded for ${assumed} labels: the order of modelOutputs was taken as displayed`
          : null,
    },
    models: models.models,
    anchor: models.anchor,
    plackett_luce: plackettLuce,
    win_matrix: {
      models: models.names,
      wins: pick((x) => x.wins),
      ties: pick((x) => x.ties),
      losses: pick((x) => x.losses),
    },
    agreement,
    pairwise: pairwise(
      c.annotators.map((a) => a.email),
      prefUnits,
    ),
    annotators: annotatorReport(c.annotators, prefUnits),
    mapping,
    bootstrap: opts.bootstrap,
    seed: opts.seed,
  };
}

/** `rated`: the units with two ratings or more; `raterCount`: raters of any unit. */
async function questionAgreement(
  question: string,
  rated: FlatUnits,
  raterCount: number,
  reps: number,
  random: () => number,
  pace: Pace,
): Promise<QuestionAgreement> {
  // With two raters in all, every rated unit is a pair of those two.
  const two = raterCount === 2 ? firstTwoRaters(rated) : null;
  const cohen = (pick: Pick) => (two ? cohenKappaOf(rated, two[0], two[1], pick) : Number.NaN);
  const ci = (f: (pick: Pick) => number) =>
    rated.count ? pacedBootstrapPicks(rated.count, f, reps, random, pace) : null;
  // In this order (alpha, percent, Fleiss, Cohen): each interval draws after the one before.
  const alpha = await ci((p) => krippendorffAlphaOf(rated, p));
  const percent = await ci((p) => percentAgreementOf(rated, p));
  const fleiss = await ci((p) => fleissKappaOf(rated, p));
  const cohenCi = two ? await ci(cohen) : null;
  return {
    question,
    items: rated.count,
    raters: raterCount,
    percent: finite(percentAgreementOf(rated)),
    cohen_kappa: finite(cohen(null)),
    fleiss_kappa: finite(fleissKappaOf(rated)),
    krippendorff_alpha: finite(krippendorffAlphaOf(rated)),
    ci: alpha,
    percent_ci: percent,
    fleiss_kappa_ci: fleiss,
    cohen_kappa_ci: cohenCi,
  };
}

/** The raters of the units in order of first appearance, if there are exactly two. */
function firstTwoRaters(f: FlatUnits): readonly [number, number] | null {
  const seen: number[] = [];
  const end = f.starts[f.count]!;
  for (let i = 0; i < end && seen.length < 3; i++) if (!seen.includes(f.raters[i]!)) seen.push(f.raters[i]!);
  return seen.length === 2 ? [seen[0]!, seen[1]!] : null;
}

function pairwise(annotators: string[], units: FlatUnits) {
  const k = annotators.length;
  const same = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const shared = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const { starts, raters, values } = units;
  for (let u = 0; u < units.count; u++) {
    for (let x = starts[u]!; x < starts[u + 1]!; x++) {
      for (let y = starts[u]!; y < starts[u + 1]!; y++) {
        if (x === y) continue;
        shared[raters[x]!]![raters[y]!]!++;
        if (values[x] === values[y]) same[raters[x]!]![raters[y]!]!++;
      }
    }
  }
  const percent = same.map((r, i) => r.map((s, j) => (shared[i]![j]! ? s / shared[i]![j]! : null)));
  return { annotators, percent, shared };
}
