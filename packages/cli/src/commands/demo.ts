import type { DemoIds } from '@prefer/server';
import type { Command } from 'commander';
import { withLocalStore } from '../context.ts';

export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description('seed the demo project (once; later runs print the existing ids)')
    .action((_opts: unknown, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        // No REST route seeds the demo: the entry's action is the CLI's own, post_demo.
        const demo = await audited({ route: 'POST /demo', created: (r) => r.projectId }, () =>
          server.seedDemo(store, actor),
        );
        out.result(describeDemo(demo), demo);
      }),
    );
}

/** `name id` lines, easy to read and to cut: `prefer demo | awk '/^project/ {print $2}'`. */
export function describeDemo(demo: DemoIds): string {
  return [
    `dataset  ${demo.datasetId}`,
    `ontology ${demo.ontologyId}`,
    `project  ${demo.projectId}`,
    `batch    ${demo.batchId}`,
  ].join('\n');
}
