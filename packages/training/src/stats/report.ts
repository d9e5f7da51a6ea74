/** `prefer stats` as a function: rows in, one report out (the `--json` object). */
import type { Mapping } from '../mapping/mapping.schema.ts';
import type { RowRecord } from '../types.ts';
import { cohenKappa, fleissKappa, krippendorffAlpha, percentAgreement, type Unit } from './agreement.ts';
import { type AnnotatorRow, annotatorReport } from './annotators.ts';
import { Collector } from './collect.ts';
import { type ModelReport, modelReport } from './models.ts';
import { bootstrapInterval, seededRandom } from './rng.ts';

export interface StatsOptions {
  bootstrap: number;
  seed: number;
  anchor?: string;
  minComparisons: number;
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
  // Units are built from the compact logs one question at a time, and dropped after.
  const agreement = [...c.questions.entries()].map(([question, q]) =>
    questionAgreement(question, q.log.units(), q.log.ratersSeen.size, opts.bootstrap, random),
  );
  const prefUnits = c.questions.get(mapping.preference)?.log.units() ?? [];
  const models = modelReport(c.models, c.battles, { ...opts, random });
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
function questionAgreement(
  question: string,
  rated: Unit[],
  raterCount: number,
  reps: number,
  random: () => number,
): QuestionAgreement {
  // With two raters in all, every rated unit is a pair of those two.
  const pair = raterCount === 2 ? [...new Set(rated.flatMap((u) => u.map((r) => r.rater)))] : [];
  const two = pair.length === 2 ? ([pair[0]!, pair[1]!] as const) : null;
  const cohen = (us: Unit[]) => (two ? cohenKappa(us, two[0], two[1]) : Number.NaN);
  const ci = (f: (us: Unit[]) => number) => (rated.length ? bootstrapInterval(rated, f, reps, random) : null);
  return {
    question,
    items: rated.length,
    raters: raterCount,
    percent: finite(percentAgreement(rated)),
    cohen_kappa: finite(cohen(rated)),
    fleiss_kappa: finite(fleissKappa(rated)),
    krippendorff_alpha: finite(krippendorffAlpha(rated)),
    ci: ci(krippendorffAlpha),
    percent_ci: ci(percentAgreement),
    fleiss_kappa_ci: ci(fleissKappa),
    cohen_kappa_ci: two ? ci(cohen) : null,
  };
}

function pairwise(annotators: string[], units: readonly Unit[]) {
  const k = annotators.length;
  const same = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const shared = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const u of units) {
    for (const x of u) {
      for (const y of u) {
        if (x === y) continue;
        shared[x.rater]![y.rater]!++;
        if (x.value === y.value) same[x.rater]![y.rater]!++;
      }
    }
  }
  const percent = same.map((r, i) => r.map((s, j) => (shared[i]![j]! ? s / shared[i]![j]! : null)));
  return { annotators, percent, shared };
}
