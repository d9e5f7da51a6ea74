/**
 * A conversion task's options: what `POST /projects/:projectId/conversions` takes and a task
 * stores, validated with the same choices as `prefer convert`. Light on purpose (no converters
 * loaded): the worker and the download route read `output` to know what kind of file they hold.
 */
import { AGGREGATES, FORMATS, LABEL_POLICIES } from '@prefer/training/options';
import { z } from 'zod';

/**
 * `jsonl`: one JSONL file, every record (as `prefer convert --out FILE`). `jsonl-dataset` and
 * `parquet`: a Hugging Face `datasets` directory (`data/…` and `README.md`, as `--out-dir`,
 * `--parquet`) delivered as one uncompressed tar, which streams without a dependency and
 * unpacks anywhere (`tar -xf`).
 */
export const CONVERSION_OUTPUTS = ['jsonl', 'jsonl-dataset', 'parquet'] as const;
export type ConversionOutput = (typeof CONVERSION_OUTPUTS)[number];
export const TIE_POLICIES = ['drop', 'keep'] as const;

export const conversionOptionsSchema = z.strictObject({
  format: z.enum(FORMATS),
  labels: z.enum(LABEL_POLICIES).default('done'),
  aggregate: z.enum(AGGREGATES).default('majority'),
  /** Default: keep for arena and prefer (they can say "tie"), drop for the others. */
  ties: z.enum(TIE_POLICIES).optional(),
  output: z.enum(CONVERSION_OUTPUTS).default('jsonl'),
  /** A ranking of n replies: all n(n-1)/2 pairs, or the best against each other (`--ranking-pairs`). */
  ranking_pairs: z.enum(['all', 'best']).default('all'),
  /** Share of prompts in the test split (a dataset output only): 0 to below 1. */
  test_fraction: z.number().min(0).lt(1).default(0),
  /** A mapping file's content (`prefer convert --mapping`); what it leaves out is inferred. */
  mapping: z.record(z.string(), z.unknown()).optional(),
});
export type ConversionOptions = z.output<typeof conversionOptionsSchema>;

/** The type conversion tasks have among export tasks. */
export const CONVERSION_TASK_TYPE = 'training-conversion';

/** The result of a task of this type and stored params is a tar archive (no lines). */
export function isArchiveOutput(params: unknown): boolean {
  const output = (params as { output?: unknown } | null)?.output;
  return output === 'jsonl-dataset' || output === 'parquet';
}

/** How the result file of a conversion is served. */
export function conversionFileKind(params: unknown): { contentType: string; ext: string } {
  return isArchiveOutput(params)
    ? { contentType: 'application/x-tar', ext: 'tar' }
    : { contentType: 'application/x-ndjson; charset=utf-8', ext: 'jsonl' };
}
