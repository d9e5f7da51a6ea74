/**
 * `prefer convert --url`: the server converts (`POST /projects/:id/conversions`, run by its
 * export worker from its own rows, review reasons and comments included) and the CLI downloads
 * the result: JSONL to --out or stdout, a dataset tar unpacked into --out-dir. The same bytes as
 * `prefer convert --project` on the server's database.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { Client, ExportFilters } from '@prefer/sdk';
import type { AGGREGATES, Format, LABEL_POLICIES, TiePolicy } from '@prefer/training/options';
import { readTextFile } from '../input.ts';
import type { Output } from '../output.ts';
import { plural } from '../output.ts';
import { withRemoteErrors } from '../remote.ts';
import { untar } from '../untar.ts';
import { loadTraining } from './training-source.ts';

export interface RemoteConvert {
  project: string;
  filters: unknown;
  mapping?: string;
  format: Format;
  labels: (typeof LABEL_POLICIES)[number];
  aggregate: (typeof AGGREGATES)[number];
  ties?: TiePolicy;
  rankingPairs: 'all' | 'best';
  out?: string;
  outDir?: string;
  parquet?: boolean;
  testFraction: number;
}

export async function convertRemote(client: Client, c: RemoteConvert, out: Output): Promise<void> {
  let mapping: Record<string, unknown> | undefined;
  if (c.mapping) {
    // Checked here first, so a bad file is named as locally (line and field).
    const text = await readTextFile(c.mapping);
    (await loadTraining()).parseMappingFile(text, c.mapping);
    mapping = JSON.parse(text) as Record<string, unknown>;
  }
  await withRemoteErrors(async () => {
    const project = await client.getProject(c.project);
    const conversion = await project.convert({
      format: c.format,
      labels: c.labels,
      aggregate: c.aggregate,
      ...(c.ties ? { ties: c.ties } : {}),
      rankingPairs: c.rankingPairs,
      output: c.outDir ? (c.parquet ? 'parquet' : 'jsonl-dataset') : 'jsonl',
      ...(c.testFraction > 0 ? { testFraction: c.testFraction } : {}),
      ...(mapping ? { mapping } : {}),
      filters: c.filters as ExportFilters,
    });
    if (c.outDir) {
      mkdirSync(c.outDir, { recursive: true });
      const files = await untar(conversion.stream(), c.outDir);
      out.result(
        `wrote the dataset of conversion ${conversion.task.id} to ${c.outDir}: ${files.join(', ')}`,
        {
          ok: true,
          task_id: conversion.task.id,
          files,
        },
      );
      return;
    }
    const dest = c.out ? createWriteStream(c.out) : out.io.stdout;
    for await (const chunk of conversion.stream()) if (!dest.write(chunk)) await once(dest, 'drain');
    if (c.out) {
      const file = dest as ReturnType<typeof createWriteStream>;
      file.end();
      await once(file, 'close');
    }
    const text = `wrote ${plural(conversion.records ?? 0, 'record')} (conversion ${conversion.task.id})`;
    if (c.out)
      out.result(`${text} to ${c.out}`, {
        ok: true,
        task_id: conversion.task.id,
        records: conversion.records,
      });
    else out.error(text);
  });
}
