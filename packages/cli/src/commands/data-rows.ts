import { importDataRows } from '@prefer/server';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { ImportFailed } from '../failure.ts';
import { recordProgress, requireFile } from '../input.ts';
import { plural } from '../output.ts';

export function registerDataRowCommands(program: Command): void {
  const rows = program.command('data-rows').description('data rows: one conversation each');
  rows
    .command('import')
    .description('import data rows (NDJSON or a JSON array) into a dataset; all or nothing')
    .addOption(new Option('--dataset <id>', 'dataset id').env('PREFER_DATASET').makeOptionMandatory())
    .argument('<file>', 'NDJSON or JSON array of data row specs')
    .action((file: string, opts: { dataset: string }, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        requireFile(file);
        const progress = recordProgress('importing');
        const result = await importDataRows(store, actor, {
          datasetId: opts.dataset,
          input: file,
          onProgress: progress.onProgress,
        }).finally(progress.stop);
        if (!result.ok) throw new ImportFailed(result.errors, result.errorCount);
        const c = result.counts;
        out.result(
          `imported ${plural(c.dataRows, 'data row')} (${plural(c.attachments, 'attachment')}, ${c.metadata} metadata, ${plural(c.embeddings, 'embedding')})`,
          result,
        );
      }),
    );
}
