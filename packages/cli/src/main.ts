/**
 * The `prefer` command line. Exit codes: 0 done, 1 failed (a message on stderr says why),
 * 2 usage error. Stack traces only with PREFER_DEBUG=1.
 *
 * `main` never exits the process: it answers the exit code, so tests run it in-process with
 * their own streams and env (`bin.ts` is the executable's entry).
 */
import { CommanderError } from 'commander';
import { EXIT_USAGE, reportFailure } from './failure.ts';
import type { CliIo, CliRun } from './io.ts';
import { createOutput } from './output.ts';
import { buildProgram } from './program.ts';

/** Runs one command line (`argv` as in `process.argv`: node, script, then the arguments). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const run: CliRun = { io, printedJson: false };
  const program = buildProgram(run);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander already printed its message (or the help it was asked for).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    const json = program.opts<{ json?: boolean }>().json === true;
    return reportFailure(err, createOutput(json, run));
  }
}
