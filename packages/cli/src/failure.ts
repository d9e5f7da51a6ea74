/**
 * How a command fails: a message on stderr (and, with --json, an error object on stdout), exit
 * code 2 for usage errors and 1 for everything else, and a stack trace only with PREFER_DEBUG=1.
 */
import { AppError, type Fault, formatFault } from '@prefer/server/settings';
import { type Output, plural } from './output.ts';

/** A command line that cannot work as given (missing or conflicting options, bad numbers). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An import that found faults in its input and wrote nothing. */
export class ImportFailed extends Error {
  override name = 'ImportFailed';
  constructor(
    readonly faults: Fault[],
    readonly errorCount: number,
  ) {
    super(`${plural(errorCount, 'fault')} found; nothing was imported`);
  }
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Reports `err` and answers the exit code. With --json the JSON object on stdout is the whole
 * report: nothing is also written as text (a stack trace with PREFER_DEBUG=1 still goes to stderr).
 */
export function reportFailure(err: unknown, out: Output): number {
  const debug = out.io.env.PREFER_DEBUG === '1';
  const text = (message: string) => {
    if (!out.jsonMode) out.error(message);
  };
  if (err instanceof UsageError) {
    text(`error: ${err.message}\n(run with --help for usage)`);
    out.json({ error: { code: 'USAGE', message: err.message } });
    return EXIT_USAGE;
  }
  if (err instanceof ImportFailed) {
    text(err.faults.map(formatFault).join('\n'));
    const unlisted = err.errorCount - err.faults.length;
    text(`error: ${err.message}${unlisted > 0 ? ` (${unlisted} not listed)` : ''}`);
    out.json({ ok: false, errors: err.faults, errorCount: err.errorCount });
    return EXIT_FAILURE;
  }
  if (err instanceof AppError) {
    const faults = faultsIn(err.details);
    text(`error: ${err.message}`);
    const listed = faults.map((f) => `  ${formatFault(f)}`);
    // Some services already list the faults in the message itself.
    if (listed.length > 0 && !err.message.includes(listed[0]!.trim())) text(listed.join('\n'));
    if (debug) out.error(err.stack ?? '');
    out.json({ error: { code: err.code, message: err.message, details: err.details } });
    return EXIT_FAILURE;
  }
  const message = err instanceof Error ? err.message : String(err);
  text(`error: ${message}`);
  if (debug && err instanceof Error) out.error(err.stack ?? '');
  else text('(set PREFER_DEBUG=1 to see the stack trace)');
  out.json({ error: { code: 'INTERNAL', message } });
  return EXIT_FAILURE;
}

/** Services put faults in `details` either as the list itself or as `{ errors: [...] }`. */
function faultsIn(details: unknown): Fault[] {
  const list = Array.isArray(details)
    ? details
    : details && typeof details === 'object' && Array.isArray((details as { errors?: unknown }).errors)
      ? (details as { errors: unknown[] }).errors
      : [];
  return list.filter(
    (f): f is Fault => !!f && typeof f === 'object' && typeof (f as Fault).message === 'string',
  );
}
