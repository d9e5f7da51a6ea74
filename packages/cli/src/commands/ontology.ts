import type { OntologyInput } from '@prefer/sdk';
import { AppError } from '@prefer/server/settings';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { readTextFile } from '../input.ts';
import { runRemote, urlOption } from '../remote.ts';

export function registerOntologyCommands(program: Command): void {
  const ontology = program.command('ontology').description('ontologies: the questions raters answer');
  ontology
    .command('create')
    .description('create an ontology from a Labelbox ontology JSON file and print its id')
    .addOption(new Option('--name <name>', 'ontology name').env('PREFER_ONTOLOGY_NAME').makeOptionMandatory())
    .argument('<file>', 'ontology JSON: { "tools": [], "classifications": [...] }')
    .addOption(urlOption())
    .action(async (file: string, opts: { name: string }, cmd: Command) => {
      const ontology = await readJson(file);
      const remote = await runRemote(cmd, async (client, out) => {
        const created = await client.createOntology(opts.name, ontology as OntologyInput);
        out.result(created.id, { id: created.id, name: opts.name });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        const write = { route: 'POST /ontologies', status: 201, created: (r: { id: string }) => r.id };
        const created = await audited(write, () =>
          server.createOntology(store, actor, { name: opts.name, ontology }),
        );
        out.result(created.id, { id: created.id, name: opts.name });
      });
    });
  ontology
    .command('edit')
    .description(
      'rename an ontology or replace it with a JSON file (ids kept: add questions and options; removing or renaming an answered one is refused)',
    )
    .argument('<id>', 'ontology id')
    .argument('[file]', 'the whole new ontology JSON')
    .option('--name <name>', 'new name')
    .addOption(urlOption())
    .action(async (id: string, file: string | undefined, opts: { name?: string }, cmd: Command) => {
      const edit = {
        ...(opts.name === undefined ? {} : { name: opts.name }),
        ...(file === undefined ? {} : { ontology: (await readJson(file)) as OntologyInput }),
      };
      const remote = await runRemote(cmd, async (client, out) => {
        const o = await client.updateOntology(id, edit);
        out.result(o.id, { id: o.id, name: o.name });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        await audited({ route: 'PATCH /ontologies/:ontologyId', params: { ontologyId: id } }, () =>
          server.editOntology(store, actor, id, edit),
        );
        out.result(id, { id, ...(opts.name === undefined ? {} : { name: opts.name }) });
      });
    });
}

async function readJson(file: string): Promise<unknown> {
  const text = await readTextFile(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${file} is not valid JSON: ${(err as Error).message}`);
  }
}
