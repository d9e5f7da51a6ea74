/**
 * The `prefer` command line. Exit codes: 0 done, 1 failed (a message on stderr says why),
 * 2 usage error. Stack traces only with PREFER_DEBUG=1.
 */
import { CommanderError } from 'commander';
import { EXIT_USAGE, reportFailure } from './failure.ts';
import { createOutput } from './output.ts';
import { buildProgram } from './program.ts';

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander already printed its message (or the help it was asked for).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    const json = program.opts<{ json?: boolean }>().json === true;
    return reportFailure(err, createOutput(json));
  }
}

// Let stdout drain before exiting: process.exit() could cut a piped result short.
process.exitCode = await main(process.argv);
