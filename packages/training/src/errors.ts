/**
 * The one error of this package: bad input (an export line, a mapping file, an option). The
 * message names where the problem is (`line 12: ...`, `mapping.json: preference: ...`) so a CLI
 * can print it as it is, without a stack.
 */
export class TrainingInputError extends Error {
  override name = 'TrainingInputError';
}

/** Throws a TrainingInputError for line `line` (1-based) of an export file. */
export function lineError(line: number, message: string): never {
  throw new TrainingInputError(`line ${line}: ${message}`);
}
