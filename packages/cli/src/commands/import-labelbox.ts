/** `prefer import labelbox-export FILE`: migrates a Labelbox export v2 file, keeping its ids. */
import { AppError } from '@prefer/server/settings';
import type { Command } from 'commander';
import { withLocalStore } from '../context.ts';
import { ImportFailed, UsageError } from '../failure.ts';
import { byteProgress, readTextFile, requireFile } from '../input.ts';
import type { Output } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';

export function registerImportLabelboxCommand(program: Command): void {
  const imports = program.command('import').description('imports from other tools');
  imports
    .command('labelbox-export')
    .description('import a Labelbox export v2 NDJSON file keeping its ids; all or nothing')
    .argument('<file>', 'export v2 NDJSON (or a JSON array of rows)')
    .option('--ontology <file>', "the project's Labelbox ontology JSON (default: rebuilt from the labels)")
    .addOption(urlOption())
    .action(async (file: string, opts: { ontology?: string; url?: string }, cmd: Command) => {
      requireFile(file);
      const report = (out: Output, counts: Record<string, number>) =>
        out.result(
          `imported: ${Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          { ok: true, counts },
        );
      if (opts.ontology !== undefined && opts.url) {
        throw new UsageError(
          '--ontology works in local mode only: remotely the ontology is rebuilt from the labels',
        );
      }
      const remote = await runRemote(cmd, async (client, out) => {
        report(out, { ...(await client.importLabelboxExport({ file })) });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        const ontology = opts.ontology === undefined ? undefined : await readJsonFile(opts.ontology);
        const tracked = byteProgress(file, 'importing', out.io.stderr);
        const counts = await audited({ route: 'POST /imports/labelbox-export' }, async () => {
          const result = await server
            .importLabelboxExport(store, actor, {
              input: tracked.input,
              ...(ontology === undefined ? {} : { ontology }),
            })
            .finally(tracked.stop);
          if (!result.ok) throw new ImportFailed(result.errors, result.errorCount);
          return result.counts;
        });
        report(out, { ...counts });
      });
    });
}

async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `${path}: not valid JSON (${(err as Error).message})`);
  }
}
