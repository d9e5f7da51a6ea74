/**
 * One pass over the rows collects what the analytics need, compactly: per question the ratings
 * of each item, per annotator their labels and timings, and the battles between models. Every
 * non-skipped label counts (agreement is about the raw labels, not a consensus).
 */
import { judge, outcomeKey } from '../comparison/judgement.ts';
import { latestReview } from '../comparison/policy.ts';
import { votePairs } from '../formats/pairs.ts';
import type { Mapping } from '../mapping/mapping.schema.ts';
import type { Outcome, RowRecord } from '../types.ts';
import { getOrSet } from '../util.ts';
import type { Unit } from './agreement.ts';
import { BattleLog, NumberLog, UnitLog } from './logs.ts';
import { RankingLog } from './plackett-luce.ts';

export interface AnnotatorTally {
  email: string;
  labels: number;
  skipped: number;
  /** Seconds to create of each label that has them (for the medians). */
  activeSeconds: NumberLog;
  /** Wins where the winner was shown left, out of wins with two outputs shown. */
  leftPicks: number;
  positionWins: number;
  reviewed: number;
  approved: number;
}

export interface CollectedBattle {
  a: number;
  b: number;
  score: number;
  tstamp: number;
}

export class Collector {
  readonly annotators: AnnotatorTally[] = [];
  private readonly annotatorIndex = new Map<string, number>();
  /** question -> category code by answer, and the ratings of its items (compact). */
  readonly questions = new Map<string, { codes: Map<string, number>; log: UnitLog }>();
  readonly models: string[] = [];
  private readonly modelIndex = new Map<string, number>();
  readonly battles = new BattleLog();
  /** Each vote as one observation for Plackett-Luce (a ranking, a pick among n, or a tie). */
  readonly rankings = new RankingLog();
  items = 0;
  votes = 0;
  displayedRecorded = 0;
  displayedAssumed = 0;

  constructor(private readonly mapping: Mapping) {}

  annotator(email: string): number {
    let i = this.annotatorIndex.get(email);
    if (i === undefined) {
      i = this.annotators.length;
      this.annotatorIndex.set(email, i);
      this.annotators.push({
        email,
        labels: 0,
        skipped: 0,
        activeSeconds: new NumberLog(),
        leftPicks: 0,
        positionWins: 0,
        reviewed: 0,
        approved: 0,
      });
    }
    return i;
  }

  private model(name: string): number {
    let i = this.modelIndex.get(name);
    if (i === undefined) {
      i = this.models.length;
      this.modelIndex.set(name, i);
      this.models.push(name);
    }
    return i;
  }

  private rate(question: string, answer: string, rater: number, unitsByQuestion: Map<string, Unit>) {
    const q = getOrSet(this.questions, question, () => ({
      codes: new Map<string, number>(),
      log: new UnitLog(),
    }));
    const code = getOrSet(q.codes, answer, () => q.codes.size);
    getOrSet(unitsByQuestion, question, () => []).push({ rater, value: code });
  }

  add(row: RowRecord): void {
    this.items++;
    const units = new Map<string, Unit>();
    for (const label of row.labels) {
      const who = this.annotator(label.created_by ?? '(unknown)');
      const tally = this.annotators[who]!;
      tally.labels++;
      if (label.skipped) {
        tally.skipped++;
        continue;
      }
      if (label.seconds_to_create !== null) tally.activeSeconds.push(label.seconds_to_create);
      const review = latestReview(label);
      if (review) {
        tally.reviewed++;
        if (review.score === 1) tally.approved++;
      }
      const j = judge(row, label, this.mapping);
      if (!j.outcome) continue;
      this.votes++;
      if (j.displayed_recorded) this.displayedRecorded++;
      else this.displayedAssumed++;
      this.rate(this.mapping.preference, outcomeKey(j.outcome), who, units);
      for (const [q, a] of label.answers.radio)
        if (q !== this.mapping.preference) this.rate(q, a, who, units);
      // A checklist is one yes/no question per option (unticked = no for a label that answered).
      if (this.mapping.rubric) {
        const ticked = new Set(j.rubric);
        for (const option of this.rubricOptions(ticked)) {
          this.rate(`${this.mapping.rubric}: ${option}`, ticked.has(option) ? 'yes' : 'no', who, units);
        }
      }
      if (j.outcome.kind === 'win' && j.displayed.length === 2) {
        tally.positionWins++;
        if (j.displayed[0] === j.outcome.winner) tally.leftPicks++;
      }
      const tstamp = label.created_at ? Date.parse(label.created_at) : Number.NaN;
      for (const p of votePairs(row, j)) {
        if (p.a.model === p.b.model) continue;
        const score = p.result === 'a' ? 1 : p.result === 'b' ? 0 : 0.5;
        this.battles.push(this.model(p.a.model), this.model(p.b.model), score, tstamp);
      }
      this.rank(row, j.outcome);
    }
    for (const [q, unit] of units) this.questions.get(q)!.log.add(unit);
  }

  /** After the battles: a model in none (an output against itself) is in no ranking either. */
  private rank(row: RowRecord, outcome: Outcome): void {
    const modelOf = (title: string) => {
      const o = row.outputs.find((x) => x.title === title);
      return o ? this.modelIndex.get(o.model) : undefined;
    };
    const all = row.outputs.map((o) => this.modelIndex.get(o.model)).filter((m) => m !== undefined);
    switch (outcome.kind) {
      case 'win': {
        const winner = modelOf(outcome.winner);
        if (winner !== undefined) this.rankings.push([winner], all);
        return;
      }
      case 'ranking':
        this.rankings.push(outcome.order.map(modelOf).filter((m) => m !== undefined));
        return;
      case 'tie':
      case 'both_bad':
        this.rankings.push(all, [], true);
        return;
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }

  private readonly seenRubric = new Set<string>();
  /** Options of the rubric seen so far; an option first seen later counts from then on. */
  private rubricOptions(ticked: Set<string>): Set<string> {
    for (const o of ticked) this.seenRubric.add(o);
    return this.seenRubric;
  }
}
