/**
 * The export mutation's `searchQuery.query` items (what the Labelbox SDK builds from its filters)
 * mapped back onto prefer's filter object, which `parseExportRequest` then checks with the same
 * rules and messages as the REST API. Each fault names the item and what to send instead.
 */
import { AppError } from '../shared/errors.ts';

export interface MappedFilters {
  /** prefer's filters in the SDK's own shape (`last_activity_at: [start, end]`, ...). */
  filters: Record<string, unknown>;
  /** The timezone the date items were written in; undefined when there are none. */
  timezone: string | undefined;
}

const DATE_TYPES = { data_row_last_activity_at: 'last_activity_at', labeled_at: 'label_created_at' } as const;
const ID_TYPES = { data_row_id: 'data_row_ids', global_key: 'global_keys', batch: 'batch_ids' } as const;
const HAS_OFFSET = /(Z|[+-]\d\d:?\d\d)$/;
const STATUS_VALUES = ['InReview', 'InRework', 'Done'] as const;
const ITEM_TYPES = [
  ...Object.keys(DATE_TYPES),
  ...Object.keys(ID_TYPES),
  'task_queue_not_exist',
  'task_queue_status',
];

export function mapSearchQuery(items: readonly unknown[]): MappedFilters {
  const filters: Record<string, unknown> = {};
  const timezones = new Set<string>();
  items.forEach((item, i) => {
    const at = `searchQuery.query[${i}]`;
    if (!isObject(item)) throw bad(`${at} must be an object with a "type"`);
    const type = item.type;
    const set = (key: string, value: unknown) => {
      if (key in filters) throw bad(`${at}: a second ${String(type)} item; send one per filter`);
      filters[key] = value;
    };
    if (typeof type === 'string' && type in DATE_TYPES) {
      const { range, timezone } = dateItem(item, at);
      // A date with its own offset ignores the zone: the SDK sends ISO dates as `...+0000` with
      // "UTC" even when the user's zone, used for the other dates, is another one.
      const zoned = range.some((d) => typeof d === 'string' && !HAS_OFFSET.test(d));
      if (timezone !== undefined && zoned) timezones.add(timezone);
      set(DATE_TYPES[type as keyof typeof DATE_TYPES], range);
    } else if (typeof type === 'string' && type in ID_TYPES) {
      keysOnly(item, ['type', 'ids', 'operator'], at);
      if (item.operator !== 'is') throw bad(`${at}: operator must be "is"`);
      set(ID_TYPES[type as keyof typeof ID_TYPES], item.ids);
    } else if (type === 'task_queue_not_exist') {
      keysOnly(item, ['type'], at);
      set('workflow_status', 'ToLabel');
    } else if (type === 'task_queue_status') {
      keysOnly(item, ['type', 'status'], at);
      if (!STATUS_VALUES.includes(item.status as (typeof STATUS_VALUES)[number])) {
        throw bad(`${at}: status must be one of ${STATUS_VALUES.map((s) => `"${s}"`).join(', ')}`);
      }
      set('workflow_status', item.status);
    } else {
      throw bad(`${at}: unknown type ${JSON.stringify(type)}; valid types are: ${ITEM_TYPES.join(', ')}`);
    }
  });
  if (timezones.size > 1) {
    throw bad(`the date items use different timezones (${[...timezones].join(', ')}); use one`);
  }
  return { filters, timezone: [...timezones][0] };
}

/** `{type, value: {operator, timezone, value}}`: BETWEEN `{min, max}`, or one bound. */
function dateItem(
  item: Record<string, unknown>,
  at: string,
): { range: [unknown, unknown]; timezone: string | undefined } {
  keysOnly(item, ['type', 'value'], at);
  const v = item.value;
  if (!isObject(v)) throw bad(`${at}.value must be an object {operator, timezone, value}`);
  keysOnly(v, ['operator', 'timezone', 'value'], `${at}.value`);
  const timezone = v.timezone ?? undefined;
  if (timezone !== undefined && typeof timezone !== 'string') {
    throw bad(`${at}.value.timezone must be an IANA zone name such as Europe/Paris, or null`);
  }
  const bound = v.value;
  switch (v.operator) {
    case 'BETWEEN': {
      if (!isObject(bound)) throw bad(`${at}.value.value must be {min, max} with BETWEEN`);
      keysOnly(bound, ['min', 'max'], `${at}.value.value`);
      return { range: [dateText(bound.min, at), dateText(bound.max, at)], timezone };
    }
    case 'GREATER_THAN_OR_EQUAL':
      return { range: [dateText(bound, at), null], timezone };
    case 'LESS_THAN_OR_EQUAL':
      return { range: [null, dateText(bound, at)], timezone };
    default:
      throw bad(
        `${at}.value.operator must be BETWEEN, GREATER_THAN_OR_EQUAL or LESS_THAN_OR_EQUAL, not ${JSON.stringify(v.operator)}`,
      );
  }
}

function dateText(value: unknown, at: string): string {
  if (typeof value !== 'string') throw bad(`${at}: a date must be a string such as "2024-01-31 12:00:00"`);
  return value;
}

function keysOnly(value: Record<string, unknown>, keys: readonly string[], at: string): void {
  const unknown = Object.keys(value).filter((k) => !keys.includes(k));
  if (unknown.length > 0) {
    throw bad(
      `${at}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')}; valid keys are: ${keys.join(', ')}`,
    );
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const bad = (message: string) => new AppError('BAD_REQUEST', message);
