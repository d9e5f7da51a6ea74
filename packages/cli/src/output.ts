/**
 * Where results go: plain text (ids alone, counts as one short line) or, with --json, exactly one
 * JSON object on stdout. Messages for people go to stderr so `X=$(prefer ...)` captures only results.
 */
export interface Output {
  readonly jsonMode: boolean;
  /** A result: `text` in plain mode, `value` as one JSON line with --json. */
  result(text: string, value: unknown): void;
  /** The JSON object of a failure; ignored in plain mode. */
  json(value: unknown): void;
  /** A message for people, on stderr. */
  error(text: string): void;
  /** Progress or status for people: on stderr, and only when stderr is a terminal. */
  note(text: string): void;
}

// One JSON object per run (per process): a failure after a result must not add a second one.
let printedJson = false;
const printJson = (value: unknown) => {
  if (printedJson) return;
  printedJson = true;
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

export function createOutput(jsonMode: boolean): Output {
  return {
    jsonMode,
    result(text, value) {
      if (jsonMode) printJson(value);
      else process.stdout.write(`${text}\n`);
    },
    json(value) {
      if (jsonMode) printJson(value);
    },
    error(text) {
      if (text) process.stderr.write(`${text}\n`);
    },
    note(text) {
      if (process.stderr.isTTY) process.stderr.write(`${text}\n`);
    },
  };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
