import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { runRemote, urlOption } from '../remote.ts';

export function registerDatasetCommands(program: Command): void {
  const dataset = program.command('dataset').description('datasets: named collections of data rows');
  dataset
    .command('create')
    .description('create a dataset and print its id')
    .addOption(new Option('--name <name>', 'dataset name').env('PREFER_DATASET_NAME').makeOptionMandatory())
    .option('--description <text>', 'what the dataset holds')
    .addOption(urlOption())
    .action(async (opts: { name: string; description?: string }, cmd: Command) => {
      const input = {
        name: opts.name,
        ...(opts.description === undefined ? {} : { description: opts.description }),
      };
      const remote = await runRemote(cmd, async (client, out) => {
        const created = await client.createDataset(input);
        out.result(created.id, { id: created.id, name: created.name });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        const write = { route: 'POST /datasets', status: 201, created: (r: { id: string }) => r.id };
        const created = await audited(write, () => server.createDataset(store, actor, input));
        out.result(created.id, created);
      });
    });
}
