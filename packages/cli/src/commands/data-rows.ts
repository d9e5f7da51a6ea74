import type { DataRowImportCounts } from '@prefer/sdk';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { ImportFailed } from '../failure.ts';
import { holdsNoRecords, NO_RECORDS, recordProgress, requireFile } from '../input.ts';
import { type Output, plural } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';

export function registerDataRowCommands(program: Command): void {
  const rows = program.command('data-rows').description('data rows: one conversation each');
  rows
    .command('import')
    .description('import data rows (NDJSON or a JSON array) into a dataset; all or nothing')
    .addOption(new Option('--dataset <id>', 'dataset id').env('PREFER_DATASET').makeOptionMandatory())
    .argument('<file>', 'NDJSON or JSON array of data row specs')
    .addOption(urlOption())
    .action(async (file: string, opts: { dataset: string }, cmd: Command) => {
      requireFile(file);
      // Pipelines may send nothing new: that succeeds, but says so.
      const empty = await holdsNoRecords(file);
      const report = (out: Output, counts: DataRowImportCounts) => {
        if (empty) out.error(NO_RECORDS);
        out.result(
          `imported ${plural(counts.dataRows, 'data row')} (${plural(counts.attachments, 'attachment')}, ${counts.metadata} metadata, ${plural(counts.embeddings, 'embedding')})`,
          { ok: true, counts },
        );
      };
      const remote = await runRemote(cmd, async (client, out) => {
        const dataset = await client.getDataset(opts.dataset);
        report(out, await dataset.createDataRows({ file }));
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        const progress = recordProgress('importing', out.io.stderr);
        const write = { route: 'POST /datasets/:datasetId/data-rows', params: { datasetId: opts.dataset } };
        const counts = await audited(write, async () => {
          const result = await server
            .importDataRows(store, actor, {
              datasetId: opts.dataset,
              input: file,
              onProgress: progress.onProgress,
            })
            .finally(progress.stop);
          if (!result.ok) throw new ImportFailed(result.errors, result.errorCount);
          return result.counts;
        });
        report(out, counts);
      });
    });
}
