/** `prefer import labelbox-export FILE`: migrates a Labelbox export v2 file, keeping its ids. */
import { AppError, importLabelboxExport } from '@prefer/server';
import type { Command } from 'commander';
import { withLocalStore } from '../context.ts';
import { ImportFailed } from '../failure.ts';
import { byteProgress, readTextFile } from '../input.ts';

export function registerImportLabelboxCommand(program: Command): void {
  const imports = program.command('import').description('imports from other tools');
  imports
    .command('labelbox-export')
    .description('import a Labelbox export v2 NDJSON file keeping its ids; all or nothing')
    .argument('<file>', 'export v2 NDJSON (or a JSON array of rows)')
    .option('--ontology <file>', "the project's Labelbox ontology JSON (default: rebuilt from the labels)")
    .action((file: string, opts: { ontology?: string }, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        const ontology = opts.ontology === undefined ? undefined : await readJsonFile(opts.ontology);
        const tracked = byteProgress(file, 'importing');
        const result = await importLabelboxExport(store, actor, {
          input: tracked.input,
          ...(ontology === undefined ? {} : { ontology }),
        }).finally(tracked.stop);
        if (!result.ok) throw new ImportFailed(result.errors, result.errorCount);
        const counts = Object.entries(result.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        out.result(`imported: ${counts}`, result);
      }),
    );
}

async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `${path}: not valid JSON (${(err as Error).message})`);
  }
}
