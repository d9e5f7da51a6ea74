import { createDataset } from '@prefer/server';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';

export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('datasets: named collections of data rows');
  dataset
    .command('create')
    .description('create a dataset and print its id')
    .addOption(new Option('--name <name>', 'dataset name').env('PREFER_DATASET_NAME').makeOptionMandatory())
    .option('--description <text>', 'what the dataset holds')
    .action((opts: { name: string; description?: string }, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        const created = await createDataset(store, actor, { name: opts.name, description: opts.description });
        out.result(created.id, created);
      }),
    );
}
