import { createBatch } from '@prefer/server';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { UsageError } from '../failure.ts';
import { readList } from '../input.ts';
import { integer } from '../options.ts';
import { plural } from '../output.ts';

interface BatchCreateOptions {
  project: string;
  name: string;
  priority?: number;
  dataset?: string;
  globalKeys?: string;
  dataRowIds?: string;
}

export function registerBatchCommands(program: Command): void {
  const batch = program.command('batch').description('batches: how data rows enter a project');
  batch
    .command('create')
    .description('add data rows to a project as a batch and print the batch id')
    .addOption(new Option('--project <id>', 'project id').env('PREFER_PROJECT').makeOptionMandatory())
    .addOption(new Option('--name <name>', 'batch name').makeOptionMandatory())
    .addOption(new Option('--priority <p>', '1 (highest) to 5 (lowest); default 5').argParser(integer))
    .option('--dataset <id>', 'every data row of this dataset')
    .option('--global-keys <file>', 'the data rows with these global keys: one per line, or a JSON array')
    .option('--data-row-ids <file>', 'the data rows with these ids: one per line, or a JSON array')
    .action((opts: BatchCreateOptions, cmd: Command) => {
      const sources = [opts.dataset, opts.globalKeys, opts.dataRowIds].filter((s) => s !== undefined);
      if (sources.length !== 1) {
        throw new UsageError('give exactly one of --dataset, --global-keys or --data-row-ids');
      }
      return withLocalStore(cmd, async ({ store, actor, out }) => {
        const created = await createBatch(store, actor, {
          projectId: opts.project,
          name: opts.name,
          priority: opts.priority,
          datasetId: opts.dataset,
          globalKeys:
            opts.globalKeys === undefined ? undefined : await readList(opts.globalKeys, 'global keys'),
          dataRowIds:
            opts.dataRowIds === undefined ? undefined : await readList(opts.dataRowIds, 'data row ids'),
        });
        out.note(`added ${plural(created.dataRows, 'data row')} to the project`);
        out.result(created.id, created);
      });
    });
}
