import type { CliIo, CliRun } from './io.ts';

/**
 * Where results go: plain text (ids alone, counts as one short line) or, with --json, exactly one
 * JSON object on stdout. Messages for people go to stderr so `X=$(prefer ...)` captures only results.
 */
export interface Output {
  readonly jsonMode: boolean;
  /** The run's streams and env, for commands that stream data, prompt or draw progress. */
  readonly io: CliIo;
  /** A result: `text` in plain mode, `value` as one JSON line with --json. */
  result(text: string, value: unknown): void;
  /** The JSON object of a failure; ignored in plain mode. */
  json(value: unknown): void;
  /** A message for people, on stderr. */
  error(text: string): void;
  /** Progress or status for people: on stderr, and only when stderr is a terminal. */
  note(text: string): void;
}

export function createOutput(jsonMode: boolean, run: CliRun): Output {
  const { io } = run;
  // One JSON object per run: a failure after a result must not add a second one.
  const printJson = (value: unknown) => {
    if (run.printedJson) return;
    run.printedJson = true;
    io.stdout.write(`${JSON.stringify(value)}\n`);
  };
  return {
    jsonMode,
    io,
    result(text, value) {
      if (jsonMode) printJson(value);
      else io.stdout.write(`${text}\n`);
    },
    json(value) {
      if (jsonMode) printJson(value);
    },
    error(text) {
      if (text) io.stderr.write(`${text}\n`);
    },
    note(text) {
      if (io.stderr.isTTY) io.stderr.write(`${text}\n`);
    },
  };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
