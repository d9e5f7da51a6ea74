/** The model leaderboard: win/tie/loss counts, Bradley-Terry with bootstrap intervals, online Elo. */
import { TrainingInputError } from '../errors.ts';
import { fitBradleyTerry, onlineElo, toRatings, winMatrix } from './bradley-terry.ts';
import type { CollectedBattle } from './collect.ts';
import { BattleLog } from './logs.ts';
import { Pace, pacedBootstrapPicks } from './pace.ts';
import { fitPlackettLuce, type RankingLog } from './plackett-luce.ts';
import { quantile, type Random } from './rng.ts';

export interface ModelRow {
  model: string;
  /** Null below the minimum number of comparisons. */
  rating: number | null;
  ci: [number, number] | null;
  elo: number | null;
  wins: number;
  losses: number;
  ties: number;
  comparisons: number;
}

export interface ModelReport {
  anchor: string | null;
  models: ModelRow[];
  /** matrix[i][j]: { wins, ties, losses } of models[i] against models[j], in the order of `names`. */
  names: string[];
  matrix: { wins: number; ties: number; losses: number }[][];
}

/** Plackett-Luce beside Bradley-Terry: same scale, anchor and minimum of comparisons. */
export interface PlackettLuceReport {
  /** Votes read as rankings (a ranking, a pick among the outputs, a tie). */
  observations: number;
  /** Items in the largest ranking. */
  largest: number;
  models: { model: string; rating: number | null; ci: [number, number] | null }[];
}

/**
 * Null unless some vote ranks or picks among 3 outputs or more (with pairs only, PL is BT).
 * `pace` (default: its own) lets the event loop turn between resamples.
 */
export async function plackettLuceReport(
  report: ModelReport,
  rankings: RankingLog,
  opts: { bootstrap: number; minComparisons: number; random: Random; pace?: Pace },
): Promise<PlackettLuceReport | null> {
  if (rankings.largest < 3 || report.anchor === null) return null;
  const { names } = report;
  const k = names.length;
  const anchor = names.indexOf(report.anchor);
  const fit = (weights: Float64Array) => toRatings(fitPlackettLuce(rankings.patterns, weights, k), anchor);
  const ratings = fit(rankings.weights());
  const samples: number[][] = names.map(() => []);
  // Each resample's ratings are kept; bootstrapPicks' own interval (of one number) is not used.
  await pacedBootstrapPicks(
    rankings.length,
    (pick) => {
      fit(rankings.weights(pick)).forEach((v, i) => {
        samples[i]!.push(v);
      });
      return Number.NaN;
    },
    opts.bootstrap,
    opts.random,
    opts.pace ?? new Pace(opts.bootstrap),
  );
  const comparisons = new Map(report.models.map((m) => [m.model, m.comparisons]));
  const models = names.map((model, i) => {
    const shown = (comparisons.get(model) ?? 0) >= opts.minComparisons;
    const s = samples[i]!.sort((x, y) => x - y);
    return {
      model,
      rating: shown ? ratings[i]! : null,
      ci: shown && s.length > 0 ? ([quantile(s, 0.025), quantile(s, 0.975)] as [number, number]) : null,
    };
  });
  models.sort((x, y) => (y.rating ?? -Infinity) - (x.rating ?? -Infinity) || (x.model < y.model ? -1 : 1));
  return { observations: rankings.length, largest: rankings.largest, models };
}

/** `pace` (default: its own) lets the event loop turn between bootstrap resamples. */
export async function modelReport(
  names: readonly string[],
  battles: BattleLog | readonly CollectedBattle[],
  opts: { anchor?: string; bootstrap: number; minComparisons: number; random: Random; pace?: Pace },
): Promise<ModelReport> {
  const k = names.length;
  const matrix = Array.from({ length: k }, () =>
    Array.from({ length: k }, () => ({ wins: 0, ties: 0, losses: 0 })),
  );
  const log = battles instanceof BattleLog ? battles : BattleLog.from(battles);
  for (const { a, b, score } of log) {
    const [ab, ba] = [matrix[a]![b]!, matrix[b]![a]!];
    if (score === 0.5) {
      ab.ties++;
      ba.ties++;
    } else if (score === 1) {
      ab.wins++;
      ba.losses++;
    } else {
      ab.losses++;
      ba.wins++;
    }
  }
  const total = (i: number) =>
    matrix[i]!.reduce(
      (s, c) => ({ wins: s.wins + c.wins, ties: s.ties + c.ties, losses: s.losses + c.losses }),
      { wins: 0, ties: 0, losses: 0 },
    );
  const totals = names.map((_, i) => total(i));
  const count = (i: number) => totals[i]!.wins + totals[i]!.ties + totals[i]!.losses;
  if (k === 0) return { anchor: null, models: [], names: [], matrix: [] };
  let anchor = opts.anchor === undefined ? -1 : names.indexOf(opts.anchor);
  if (opts.anchor !== undefined && anchor < 0) {
    throw new TrainingInputError(
      `--anchor ${JSON.stringify(opts.anchor)} is not a model of these comparisons (models: ${names.map((n) => JSON.stringify(n)).join(', ')})`,
    );
  }
  if (anchor < 0)
    anchor = names
      .map((_, i) => i)
      .sort((x, y) => count(y) - count(x) || (names[x]! < names[y]! ? -1 : 1))[0]!;

  const ratings = toRatings(fitBradleyTerry(winMatrix(log, k)), anchor);
  const samples: number[][] = names.map(() => []);
  const n = log.length;
  const pace = opts.pace ?? new Pace(opts.bootstrap);
  for (let r = 0; r < opts.bootstrap && n > 0; r++) {
    // The win matrix of a resample, summed as it is drawn (no resample is held).
    const w = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < n; i++) {
      const j = Math.floor(opts.random() * n);
      const [a, b, score] = [log.a[j]!, log.b[j]!, log.score[j]!];
      w[a]![b]! += score;
      w[b]![a]! += 1 - score;
    }
    const rs = toRatings(fitBradleyTerry(w), anchor);
    rs.forEach((v, i) => {
      samples[i]!.push(v);
    });
    await pace.step();
  }
  const elo = onlineElo(log.byTime(), k);
  const shown = (i: number) => count(i) >= opts.minComparisons;
  const models = names.map((model, i): ModelRow => {
    const s = samples[i]!.sort((x, y) => x - y);
    return {
      model,
      rating: shown(i) ? ratings[i]! : null,
      ci: shown(i) && s.length > 0 ? [quantile(s, 0.025), quantile(s, 0.975)] : null,
      elo: shown(i) ? elo[i]! : null,
      ...totals[i]!,
      comparisons: count(i),
    };
  });
  models.sort((x, y) => (y.rating ?? -Infinity) - (x.rating ?? -Infinity) || (x.model < y.model ? -1 : 1));
  return { anchor: names[anchor]!, models, names: [...names], matrix };
}
