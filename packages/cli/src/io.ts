/**
 * What one run of the CLI reads and writes besides its arguments. `bin.ts` passes the process's
 * own streams and environment; tests pass their own, so commands run in-process, several at once,
 * each with its own output and settings.
 */
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { Command, type Option } from 'commander';

export interface CliIo {
  readonly stdout: Writable & { readonly isTTY?: boolean; readonly columns?: number };
  /** Progress bars and prompts appear only when `isTTY` is true. */
  readonly stderr: Writable & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stdin: Readable & { readonly isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  /** PREFER_* settings (option fallbacks, PREFER_API_KEY, PREFER_DEBUG...): never `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/** State of one run: its io, and whether it printed its one `--json` object yet. */
export interface CliRun {
  readonly io: CliIo;
  printedJson: boolean;
}

/**
 * A commander command bound to one run: subcommands inherit the run, help and usage errors go
 * to the run's streams, and option fallbacks (`Option.env`) are read from the run's env.
 */
export class CliCommand extends Command {
  constructor(
    readonly run: CliRun,
    name?: string,
  ) {
    super(name);
    const { stdout, stderr } = run.io;
    this.configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      // Commander's defaults ask process.stdout; help is plain text wrapped to a terminal's width.
      getOutHelpWidth: () => (stdout.isTTY && stdout.columns ? stdout.columns : 80),
      getErrHelpWidth: () => (stderr.isTTY && stderr.columns ? stderr.columns : 80),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  }

  override createCommand(name?: string): CliCommand {
    return new CliCommand(this.run, name);
  }

  /**
   * Replaces commander's own (which reads `process.env`) with the same rules on the run's env:
   * a value from the command line wins; an option that takes no value is set by its variable's
   * mere presence. `cli-io.test.ts` fails if commander stops calling it.
   */
  _parseOptionsEnv(): void {
    const env = this.run.io.env;
    for (const option of this.options as readonly Option[]) {
      const value = option.envVar === undefined ? undefined : env[option.envVar];
      if (value === undefined) continue;
      const key = option.attributeName();
      const source = this.getOptionValueSource(key);
      if (this.getOptionValue(key) !== undefined && !['default', 'config', 'env'].includes(source ?? '')) {
        continue;
      }
      // A Command is an EventEmitter (its typings leave that out): the event applies the value.
      const events = this as unknown as EventEmitter;
      if (option.required || option.optional) events.emit(`optionEnv:${option.name()}`, value);
      else events.emit(`optionEnv:${option.name()}`);
    }
  }
}

/** The run a command belongs to (every command of the program is a `CliCommand`). */
export function runOf(cmd: Command): CliRun {
  if (!(cmd instanceof CliCommand)) throw new Error('commands are made by buildProgram');
  return cmd.run;
}
