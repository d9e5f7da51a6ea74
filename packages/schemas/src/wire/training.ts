/**
 * Training data and analytics on the wire: the options of a conversion task
 * (`POST /projects/:projectId/conversions`) and the answer of `GET /projects/:projectId/stats`,
 * which is the object `prefer stats --json` prints. The choice lists mirror
 * `@prefer/training/options` (a test keeps them equal): the SDK and the web app offer them without
 * loading the converters.
 */
import { z } from 'zod';

export const TRAINING_FORMATS = [
  'trl',
  'trl-string',
  'trl-implicit',
  'kto',
  'reward',
  'helpsteer',
  'arena',
  'prefer',
] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];
export const TRAINING_LABEL_POLICIES = ['done', 'approved', 'all'] as const;
export const TRAINING_AGGREGATES = ['majority', 'unanimous', 'reviewer'] as const;
export const TRAINING_TIE_POLICIES = ['drop', 'keep'] as const;
/** `jsonl`: one JSONL file; `jsonl-dataset` / `parquet`: a `datasets` directory as one tar. */
export const TRAINING_OUTPUTS = ['jsonl', 'jsonl-dataset', 'parquet'] as const;
export type TrainingOutput = (typeof TRAINING_OUTPUTS)[number];

const interval = z.tuple([z.number(), z.number()]).nullable();

export const statsModelSchema = z.object({
  model: z.string(),
  rating: z.number().nullable(),
  ci: interval,
  elo: z.number().nullable(),
  wins: z.number(),
  losses: z.number(),
  ties: z.number(),
  comparisons: z.number(),
});

export const statsAgreementSchema = z.object({
  question: z.string(),
  items: z.number(),
  raters: z.number(),
  percent: z.number().nullable(),
  cohen_kappa: z.number().nullable(),
  fleiss_kappa: z.number().nullable(),
  krippendorff_alpha: z.number().nullable(),
  ci: interval,
  percent_ci: interval,
  fleiss_kappa_ci: interval,
  cohen_kappa_ci: interval,
});

export const statsAnnotatorSchema = z.object({
  email: z.string(),
  labels: z.number(),
  skip_rate: z.number(),
  median_active_seconds: z.number().nullable(),
  agreement_with_consensus: z.number().nullable(),
  agreement_with_reviewer: z.number().nullable(),
  left_pick_rate: z.number().nullable(),
  position_bias_p: z.number().nullable(),
  flags: z.array(z.string()),
});

const matrix = z.array(z.array(z.number()));

/** `GET /projects/:projectId/stats`: what `prefer stats --json` prints for the same project. */
export const statsReportSchema = z.object({
  comparisons: z.number(),
  items: z.number(),
  displayed_order: z.object({ recorded: z.number(), assumed: z.number(), note: z.string().nullable() }),
  models: z.array(statsModelSchema),
  anchor: z.string().nullable(),
  /** Plackett-Luce over whole rankings (same scale and anchor); null unless some vote ranks 3+. */
  plackett_luce: z
    .object({
      observations: z.number(),
      largest: z.number(),
      models: z.array(z.object({ model: z.string(), rating: z.number().nullable(), ci: interval })),
    })
    .nullable(),
  win_matrix: z.object({ models: z.array(z.string()), wins: matrix, ties: matrix, losses: matrix }),
  agreement: z.array(statsAgreementSchema),
  pairwise: z.object({
    annotators: z.array(z.string()),
    percent: z.array(z.array(z.number().nullable())),
    shared: matrix,
  }),
  annotators: z.array(statsAnnotatorSchema),
  mapping: z.object({
    preference: z.string(),
    options: z.record(z.string(), z.string()),
    tie: z.array(z.string()),
    both_bad: z.array(z.string()),
    strength: z.object({ question: z.string(), values: z.record(z.string(), z.number()) }).nullable(),
    rubric: z.string().nullable(),
    reason: z.string().nullable(),
    roles: z.record(z.string(), z.enum(['system', 'user', 'assistant'])),
  }),
  bootstrap: z.number(),
  seed: z.number(),
});
export type StatsReportWire = z.infer<typeof statsReportSchema>;
