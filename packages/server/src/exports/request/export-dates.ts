/**
 * Export filter dates to UTC milliseconds. prefer decisions (docs/labelbox-compat.md §3): a date without an offset
 * is wall-clock time in UTC or in the caller's IANA `timezone`; an ISO offset is converted to
 * UTC (Labelbox's SDK drops it); an end bound covers its whole unit, a day for `YYYY-MM-DD` and
 * a second for `hh:mm:ss` without a fraction, so bounds read as inclusive.
 */
import { EXPORT_DATE_PATTERN, incorrectDate } from '@prefer/schemas';
import { AppError } from '../../shared/errors.ts';

export type Bound = 'start' | 'end';

export function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new AppError(
      'BAD_REQUEST',
      `unknown timezone ${JSON.stringify(timezone)}; use an IANA name such as Europe/Paris`,
    );
  }
}

/** `value` already matched the date pattern's shape; calendar faults such as month 13 fail here. */
export function dateToMs(value: string, bound: Bound, timezone?: string): number {
  const m = EXPORT_DATE_PATTERN.exec(value);
  if (!m) throw new AppError('BAD_REQUEST', incorrectDate(value));
  const [, y, mo, d, sep, h = '00', mi = '00', s = '00', frac, offset] = m;
  // As the SDK's formats: `hh:mm:ss` after a space has no offset; after a `T` it needs one.
  const spaced = sep === ' ' && (offset !== undefined || frac !== undefined);
  if (spaced || (sep === 'T' && offset === undefined))
    throw new AppError('BAD_REQUEST', incorrectDate(value));
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const wall = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const back = new Date(wall);
  if (
    back.getUTCFullYear() !== parts[0] ||
    back.getUTCMonth() !== parts[1] - 1 ||
    back.getUTCDate() !== parts[2] ||
    back.getUTCHours() !== parts[3] ||
    back.getUTCMinutes() !== parts[4] ||
    back.getUTCSeconds() !== parts[5]
  ) {
    throw new AppError('BAD_REQUEST', incorrectDate(value));
  }
  const fractionMs = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  const dateOnly = sep === undefined;
  // The last millisecond of the unit the end bound names (its day, or its second).
  const span = bound === 'end' && frac === undefined ? (dateOnly ? 86_400_000 : 1000) - 1 : 0;

  if (offset !== undefined) {
    return wall + fractionMs + span - offsetMinutes(offset) * 60_000;
  }
  if (!timezone) return wall + fractionMs + span;
  if (dateOnly && bound === 'end') {
    // The day ends where the next day starts in that zone (days can be 23 or 25 hours long).
    return zonedToUtc(wall + 86_400_000, timezone) - 1;
  }
  return zonedToUtc(wall, timezone) + fractionMs + span;
}

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

/** The UTC instant at which the zone's clocks show `wall` (a wall time encoded as UTC ms). */
function zonedToUtc(wall: number, timezone: string): number {
  let guess = wall - zoneOffsetMs(wall, timezone);
  // One correction step settles DST changes between the wall time and the first guess.
  guess = wall - zoneOffsetMs(guess, timezone);
  return guess;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's clocks are ahead of UTC at the instant `utc`. */
function zoneOffsetMs(utc: number, timezone: string): number {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(utc))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - (utc - (((utc % 1000) + 1000) % 1000));
}
