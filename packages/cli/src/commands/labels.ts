import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { ImportFailed } from '../failure.ts';
import { byteProgress, holdsNoRecords, NO_RECORDS, requireFile } from '../input.ts';
import { type Output, plural } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';

export function registerLabelCommands(program: Command): void {
  const labels = program.command('labels').description('labels: raters’ answers');
  labels
    .command('import')
    .description('import annotations (Labelbox annotation import NDJSON) as labels; all or nothing')
    .addOption(new Option('--project <id>', 'project id').env('PREFER_PROJECT').makeOptionMandatory())
    .addOption(new Option('--as <email>', 'the labeler the labels are credited to').env('PREFER_LABELER'))
    .option(
      '--pre-labels',
      'import model-assisted pre-labels: a starting point shown to labelers in the editor, never exported or counted as labels',
    )
    .argument('<file>', 'NDJSON, one annotation per line')
    .addOption(urlOption())
    .action(
      async (file: string, opts: { project: string; as?: string; preLabels?: boolean }, cmd: Command) => {
        requireFile(file);
        const preLabels = opts.preLabels === true;
        // Pipelines may send nothing new: that succeeds, but says so.
        const empty = await holdsNoRecords(file);
        const report = (out: Output, counts: { labels: number; annotations: number; skipped: number }) => {
          if (empty) out.error(NO_RECORDS);
          out.result(
            `imported ${plural(counts.labels, preLabels ? 'pre-label' : 'label')} (${plural(counts.annotations, 'annotation')})${counts.skipped > 0 ? `; skipped ${counts.skipped} already imported` : ''}`,
            { ok: true, pre_labels: preLabels, counts },
          );
        };
        const remote = await runRemote(cmd, async (client, out) => {
          const project = await client.getProject(opts.project);
          // Remotely the labels go to an existing user (default: the API key's own).
          const options = { ...(opts.as === undefined ? {} : { asEmail: opts.as }), preLabels };
          report(out, await project.importLabels({ file }, options));
        });
        if (remote) return;
        await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
          const progress = byteProgress(file, 'importing', out.io.stderr);
          const write = {
            route: 'POST /projects/:projectId/label-imports',
            params: { projectId: opts.project },
          };
          const counts = await audited(write, async () => {
            const result = await server
              .withFieldNames(server.LABEL_IMPORT_WIRE_NAMES, () =>
                server.importLabels(store, actor, {
                  projectId: opts.project,
                  asEmail: opts.as ?? actor.email,
                  input: progress.input,
                  preLabels,
                }),
              )
              .finally(progress.stop);
            if (!result.ok) throw new ImportFailed(result.errors, result.errorCount);
            return result.counts;
          });
          report(out, counts);
        });
      },
    );
}
