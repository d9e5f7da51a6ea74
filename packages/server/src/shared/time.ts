/** Timestamps are stored as integer milliseconds since the epoch (UTC) on both backends. */

/** Export v2 form: `2023-11-28T19:30:49.729+00:00`. */
export function formatV2(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}+00:00`;
}

/** Export V1 form: `2021-07-15T22:57:30.000Z`. */
export function formatV1(ms: number): string {
  return new Date(ms).toISOString();
}

/** Reads an ISO-8601 timestamp with an offset (as in Labelbox exports) back to milliseconds. */
export function parseIsoWithOffset(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}
