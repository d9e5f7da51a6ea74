/**
 * `@prefer/training/options`: the choices of the converters (formats, label policies, consensus
 * aggregation), with no code behind them, so a command line can declare its options without
 * loading the converters, the statistics or the Parquet writer (`prefer --help` stays fast).
 */
export const FORMATS = [
  'trl',
  'trl-string',
  'trl-implicit',
  'kto',
  'reward',
  'helpsteer',
  'arena',
  'prefer',
] as const;
export type Format = (typeof FORMATS)[number];
export type TiePolicy = 'drop' | 'keep';

export const LABEL_POLICIES = ['done', 'approved', 'all'] as const;
export const AGGREGATES = ['majority', 'unanimous', 'reviewer'] as const;
export type LabelPolicy = (typeof LABEL_POLICIES)[number];
export type Aggregate = (typeof AGGREGATES)[number];
