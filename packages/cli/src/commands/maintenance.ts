/**
 * `prefer backup`, `prefer restore` and `prefer doctor`: a consistent copy of the database while
 * the server runs, a restore into an empty database, and a check of the database and export
 * files that says what to do about each problem (exit 1 when there is any).
 */
import { AppError, redact } from '@prefer/server/settings';
import { type Command, Option } from 'commander';
import { configOf, outputOf } from '../context.ts';
import { loadServer } from '../server.ts';

export function registerMaintenanceCommands(program: Command): void {
  program
    .command('backup')
    .description('write a consistent backup of the database (SQLite backup API, or pg_dump) while it runs')
    .addOption(
      new Option('--out <file>', 'the backup file to write (written as FILE.partial, then renamed)')
        .env('PREFER_BACKUP_OUT')
        .makeOptionMandatory(),
    )
    .action(async (opts: { out: string }, cmd: Command) => {
      const out = outputOf(cmd);
      const { backupDatabase } = await loadServer();
      const result = await backupDatabase(configOf(cmd).databaseUrl, opts.out);
      out.result(result.file, result);
    });

  program
    .command('restore')
    .description('restore a backup into an empty database (--db: a new SQLite path, or a createdb database)')
    .argument('<file>', 'a file written by prefer backup')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const out = outputOf(cmd);
      const url = configOf(cmd).databaseUrl;
      const { restoreDatabase } = await loadServer();
      const { backend } = await restoreDatabase(file, url);
      const where = backend === 'sqlite' ? url : redact(url);
      out.result(`restored ${file} into ${where}`, { file, database: where, backend });
    });

  program
    .command('doctor')
    .description('check the database (integrity, settings, WAL) and the export files; exit 1 on any problem')
    .action(async (_opts: unknown, cmd: Command) => {
      const out = outputOf(cmd);
      const { runDoctor } = await loadServer();
      const checks = await runDoctor(configOf(cmd).databaseUrl);
      const problems = checks.filter((c) => !c.ok);
      const text = checks
        .map(
          (c) =>
            `${c.ok ? 'ok     ' : 'PROBLEM'} ${c.name}: ${c.detail}${c.fix ? `\n        fix: ${c.fix}` : ''}`,
        )
        .join('\n');
      out.result(text, { ok: problems.length === 0, checks });
      if (problems.length > 0) {
        throw new AppError(
          'UNAVAILABLE',
          `${problems.length} problem${problems.length === 1 ? '' : 's'} found (see above)`,
        );
      }
    });
}
