/**
 * Typed reads of one parsed export line. Each read that fails records a Fault (line + JSON path)
 * and answers undefined, so one pass over a line lists every problem in it, not just the first.
 */
import type { Fault } from '../shared/errors.ts';
import { ID_PATTERN } from '../shared/ids.ts';
import { parseIsoWithOffset } from '../shared/time.ts';

export type Json = Record<string, unknown>;

export class FieldReader {
  readonly faults: Fault[] = [];
  constructor(readonly line: number) {}

  fault(path: string, message: string): undefined {
    this.faults.push({ line: this.line, path, message });
    return undefined;
  }

  object(value: unknown, path: string): Json | undefined {
    if (isObject(value)) return value;
    return this.fault(path, `expected an object, got ${describe(value)}`);
  }

  /** An object field that may be absent (undefined, no fault). */
  optObject(o: Json, key: string, path: string): Json | undefined {
    return o[key] === undefined ? undefined : this.object(o[key], `${path}.${key}`);
  }

  array(o: Json, key: string, path: string): unknown[] | undefined {
    const v = o[key];
    if (Array.isArray(v)) return v;
    return this.fault(`${path}.${key}`, `expected a list, got ${describe(v)}`);
  }

  /** A list field that may be absent: absent reads as an empty list. */
  optArray(o: Json, key: string, path: string): unknown[] | undefined {
    return o[key] === undefined ? [] : this.array(o, key, path);
  }

  string(o: Json, key: string, path: string): string | undefined {
    const v = o[key];
    if (typeof v === 'string' && v !== '') return v;
    return this.fault(`${path}.${key}`, `expected a non-empty string, got ${describe(v)}`);
  }

  /** A Labelbox id: `c` then 24 of [0-9a-z]. Ids are kept as they are, so checked as such. */
  id(o: Json, key: string, path: string): string | undefined {
    const v = this.string(o, key, path);
    if (v === undefined || ID_PATTERN.test(v)) return v;
    return this.fault(`${path}.${key}`, `not a Labelbox id (c then 24 of 0-9 a-z): ${JSON.stringify(v)}`);
  }

  /** A string field that may be absent or null (both read as null). */
  optString(o: Json, key: string, path: string): string | null | undefined {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    return this.fault(`${path}.${key}`, `expected a string or null, got ${describe(v)}`);
  }

  integer(o: Json, key: string, path: string, min: number, max: number): number | undefined {
    const v = o[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    return this.fault(`${path}.${key}`, `expected an integer from ${min} to ${max}, got ${describe(v)}`);
  }

  /** A number field that may be absent or null (both read as null). */
  optNumber(o: Json, key: string, path: string): number | null | undefined {
    const v = o[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    return this.fault(`${path}.${key}`, `expected a number or null, got ${describe(v)}`);
  }

  boolean(o: Json, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (typeof v === 'boolean') return v;
    return this.fault(`${path}.${key}`, `expected true or false, got ${describe(v)}`);
  }

  /** A v2 timestamp like `2023-11-28T19:30:49.729+00:00`, read to milliseconds. */
  time(o: Json, key: string, path: string): number | undefined {
    const v = o[key];
    const ms = typeof v === 'string' ? parseIsoWithOffset(v) : undefined;
    if (ms !== undefined) return ms;
    return this.fault(
      `${path}.${key}`,
      `expected a timestamp like 2023-11-28T19:30:49.729+00:00, got ${describe(v)}`,
    );
  }

  optTime(o: Json, key: string, path: string): number | null | undefined {
    return o[key] === undefined || o[key] === null ? null : this.time(o, key, path);
  }
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short description of a wrong value for messages: its type, and the value when it is short. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return text.length <= 40 ? `${typeof v} ${text}` : `a ${typeof v}`;
}
