import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { integer } from '../options.ts';
import { runRemote, urlOption } from '../remote.ts';

interface ProjectCreateOptions {
  name: string;
  ontology: string;
  description?: string;
  consensusLabels?: number;
  editorTaskType?: 'OFFLINE_MODEL_CHAT_EVALUATION' | 'MODEL_CHAT_EVALUATION';
}

export function registerProjectCommands(program: Command): void {
  const project = program.command('project').description('projects: an ontology, a workflow and batches');
  project
    .command('create')
    .description('create a conversational preference project and print its id')
    .addOption(new Option('--name <name>', 'project name').env('PREFER_PROJECT_NAME').makeOptionMandatory())
    .addOption(new Option('--ontology <id>', 'ontology id').env('PREFER_ONTOLOGY').makeOptionMandatory())
    .option('--description <text>', 'what the project is for')
    .addOption(
      new Option('--consensus-labels <k>', 'labels wanted per data row (consensus); default 1')
        .env('PREFER_CONSENSUS_LABELS')
        .argParser(integer),
    )
    .addOption(
      new Option(
        '--editor-task-type <type>',
        'a multimodal chat evaluation project (conversation v2 rows, message tools)',
      )
        .choices(['OFFLINE_MODEL_CHAT_EVALUATION', 'MODEL_CHAT_EVALUATION'])
        .env('PREFER_EDITOR_TASK_TYPE'),
    )
    .addOption(urlOption())
    .action(async (opts: ProjectCreateOptions, cmd: Command) => {
      const remote = await runRemote(cmd, async (client, out) => {
        const created = await client.createProject({
          name: opts.name,
          ontologyId: opts.ontology,
          ...(opts.description === undefined ? {} : { description: opts.description }),
          ...(opts.consensusLabels === undefined
            ? {}
            : { consensusExpectedLabelCount: opts.consensusLabels }),
          ...(opts.editorTaskType === undefined ? {} : { editorTaskType: opts.editorTaskType }),
        });
        out.result(created.id, { id: created.id });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        const write = { route: 'POST /projects', status: 201, created: (r: { id: string }) => r.id };
        // Faults name the fields as the REST API does (`$.consensus_expected_label_count`).
        const created = await audited(write, () =>
          server.withFieldNames(server.PROJECT_WIRE_NAMES, () =>
            server.createProject(store, actor, {
              name: opts.name,
              ontologyId: opts.ontology,
              description: opts.description,
              consensusLabels: opts.consensusLabels,
              editorTaskType: opts.editorTaskType,
            }),
          ),
        );
        out.result(created.id, { id: created.id });
      });
    });
}
