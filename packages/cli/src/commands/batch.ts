import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { UsageError } from '../failure.ts';
import { readList } from '../input.ts';
import { integer } from '../options.ts';
import { type Output, plural } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';

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
    .addOption(urlOption())
    .action(async (opts: BatchCreateOptions, cmd: Command) => {
      const sources = [opts.dataset, opts.globalKeys, opts.dataRowIds].filter((s) => s !== undefined);
      if (sources.length !== 1) {
        throw new UsageError('give exactly one of --dataset, --global-keys or --data-row-ids');
      }
      const globalKeys =
        opts.globalKeys === undefined ? undefined : await readList(opts.globalKeys, 'global keys');
      const dataRowIds =
        opts.dataRowIds === undefined ? undefined : await readList(opts.dataRowIds, 'data row ids');
      const report = (out: Output, created: { id: string; dataRows: number }) => {
        out.note(`added ${plural(created.dataRows, 'data row')} to the project`);
        out.result(created.id, created);
      };
      const remote = await runRemote(cmd, async (client, out) => {
        const project = await client.getProject(opts.project);
        const batch = await project.createBatch({
          name: opts.name,
          ...(opts.priority === undefined ? {} : { priority: opts.priority }),
          ...(opts.dataset === undefined ? {} : { datasetId: opts.dataset }),
          ...(globalKeys === undefined ? {} : { globalKeys }),
          ...(dataRowIds === undefined ? {} : { dataRowIds }),
        });
        report(out, { id: batch.id, dataRows: batch.dataRowCount });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        const write = {
          route: 'POST /projects/:projectId/batches',
          params: { projectId: opts.project },
          status: 201,
          created: (r: { id: string }) => r.id,
        };
        // Faults name the fields as the REST API does (`$.global_keys[0]`), as the README shows.
        const created = await audited(write, () =>
          server.withFieldNames(server.BATCH_WIRE_NAMES, () =>
            server.createBatch(store, actor, {
              projectId: opts.project,
              name: opts.name,
              priority: opts.priority,
              datasetId: opts.dataset,
              globalKeys,
              dataRowIds,
            }),
          ),
        );
        report(out, created);
      });
    });
}
