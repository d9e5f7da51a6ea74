import { importLabels } from '@prefer/server';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { ImportFailed } from '../failure.ts';
import { byteProgress } from '../input.ts';
import { plural } from '../output.ts';

export function registerLabelCommands(program: Command): void {
  const labels = program.command('labels').description('labels: raters’ answers');
  labels
    .command('import')
    .description('import annotations (Labelbox annotation import NDJSON) as labels; all or nothing')
    .addOption(new Option('--project <id>', 'project id').env('PREFER_PROJECT').makeOptionMandatory())
    .addOption(new Option('--as <email>', 'the labeler the labels are credited to').env('PREFER_LABELER'))
    .argument('<file>', 'NDJSON, one annotation per line')
    .action((file: string, opts: { project: string; as?: string }, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        const progress = byteProgress(file, 'importing');
        const result = await importLabels(store, actor, {
          projectId: opts.project,
          asEmail: opts.as ?? actor.email,
          input: progress.input,
        }).finally(progress.stop);
        if (!result.ok) throw new ImportFailed(result.errors, result.errorCount);
        const c = result.counts;
        out.result(`imported ${plural(c.labels, 'label')} (${plural(c.annotations, 'annotation')})`, result);
      }),
    );
}
