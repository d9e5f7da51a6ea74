/**
 * Reads one export v2 line (docs/labelbox-compat.md §2) into a ParsedRow, listing every fault of the line. Unknown
 * keys are ignored: Labelbox adds keys over time and a migration should not stop on them.
 */

import { parseProjects } from './export-project.parse.ts';
import type { ParsedAttachment, ParsedEmbedding, ParsedMetadata, ParsedRow } from './export-row.types.ts';
import { FieldReader, isObject, type Json } from './field-reader.ts';

export type LineParse = { ok: true; row: ParsedRow } | { ok: false; reader: FieldReader };

export function parseExportRow(value: unknown, line: number): LineParse {
  const r = new FieldReader(line);
  const row = readRow(r, value);
  return row && r.faults.length === 0 ? { ok: true, row } : { ok: false, reader: r };
}

function readRow(r: FieldReader, value: unknown): ParsedRow | undefined {
  const top = r.object(value, '$');
  if (!top) return undefined;
  const dr = r.object(top.data_row, '$.data_row');
  const media = r.object(top.media_attributes, '$.media_attributes');
  const id = dr ? r.id(dr, 'id', '$.data_row') : undefined;
  const globalKey = dr ? readGlobalKey(r, dr) : undefined;
  const externalId = dr ? r.optString(dr, 'external_id', '$.data_row') : undefined;
  const rowData = dr ? r.string(dr, 'row_data', '$.data_row') : undefined;
  const details = dr ? readDetails(r, dr) : undefined;
  const mimeType = media ? r.string(media, 'mime_type', '$.media_attributes') : undefined;
  const labelable = media ? r.array(media, 'labelable_ids', '$.media_attributes') : undefined;
  labelable?.forEach((v, i) => {
    if (typeof v !== 'string')
      r.fault(`$.media_attributes.labelable_ids[${i}]`, 'expected a message id string');
  });
  const messageCount = media ? r.integer(media, 'message_count', '$.media_attributes', 0, 1e9) : undefined;
  const attachments = readAttachments(r, top);
  const metadata = readMetadata(r, top);
  const embeddings = readEmbeddings(r, top);
  const projects = parseProjects(r, top);
  if (
    id === undefined ||
    globalKey === undefined ||
    externalId === undefined ||
    rowData === undefined ||
    details === undefined ||
    mimeType === undefined ||
    labelable === undefined ||
    messageCount === undefined ||
    !attachments ||
    !metadata ||
    !embeddings ||
    !projects
  )
    return undefined;
  return {
    line: r.line,
    id,
    globalKey,
    externalId,
    rowData,
    details,
    mimeType,
    labelableIds: JSON.stringify(labelable),
    messageCount,
    attachments,
    metadata,
    embeddings,
    projects,
  };
}

function readGlobalKey(r: FieldReader, dr: Json): string | null | undefined {
  const key = r.optString(dr, 'global_key', '$.data_row');
  if (typeof key !== 'string') return key;
  if (key.length < 1 || key.length > 200 || key.trim() !== key) {
    return r.fault(
      '$.data_row.global_key',
      'a global key has 1 to 200 characters and no leading or trailing space',
    );
  }
  return key;
}

function readDetails(r: FieldReader, dr: Json): ParsedRow['details'] | undefined {
  const p = '$.data_row.details';
  if (dr.details === undefined) return null;
  const d = r.object(dr.details, p);
  if (!d) return undefined;
  const datasetId = r.id(d, 'dataset_id', p);
  const datasetName = r.string(d, 'dataset_name', p);
  const createdAt = r.time(d, 'created_at', p);
  const updatedAt = r.time(d, 'updated_at', p);
  const lastActivityAt = r.optTime(d, 'last_activity_at', p);
  const createdBy = r.string(d, 'created_by', p);
  if (
    datasetId === undefined ||
    datasetName === undefined ||
    createdAt === undefined ||
    updatedAt === undefined ||
    lastActivityAt === undefined ||
    createdBy === undefined
  )
    return undefined;
  return { datasetId, datasetName, createdAt, updatedAt, lastActivityAt, createdBy };
}

function readAttachments(r: FieldReader, top: Json): ParsedAttachment[] | undefined {
  const list = r.optArray(top, 'attachments', '$');
  if (!list) return undefined;
  const out: ParsedAttachment[] = [];
  list.forEach((v, i) => {
    const p = `$.attachments[${i}]`;
    const a = r.object(v, p);
    if (!a) return;
    const id = r.string(a, 'id', p);
    const type = r.string(a, 'type', p);
    const value = r.string(a, 'value', p);
    const name = r.optString(a, 'name', p);
    if (id !== undefined && type !== undefined && value !== undefined && name !== undefined) {
      out.push({ id, type, value, name });
    }
  });
  return out;
}

function readMetadata(r: FieldReader, top: Json): ParsedMetadata[] | undefined {
  const list = r.optArray(top, 'metadata_fields', '$');
  if (!list) return undefined;
  const out: ParsedMetadata[] = [];
  list.forEach((v, i) => {
    const p = `$.metadata_fields[${i}]`;
    const m = r.object(v, p);
    if (!m) return;
    const schemaId = r.string(m, 'schema_id', p);
    const schemaName = r.string(m, 'schema_name', p);
    const field = readMetadataValue(r, m.value, `${p}.value`);
    // A data row holds one value per metadata schema.
    if (schemaId !== undefined && out.some((x) => x.schemaId === schemaId)) {
      r.fault(`${p}.schema_id`, `metadata schema ${schemaId} appears twice in this row`);
    } else if (schemaId !== undefined && schemaName !== undefined && field) {
      out.push({ schemaId, schemaName, ...field });
    }
  });
  return out;
}

/** Strings and numbers as they are; an enum value is its option `{ schema_id, schema_name }`. */
function readMetadataValue(
  r: FieldReader,
  v: unknown,
  path: string,
): Omit<ParsedMetadata, 'schemaId' | 'schemaName'> | undefined {
  if (typeof v === 'string') return { kind: 'string', value: v, option: null };
  if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'number', value: String(v), option: null };
  if (isObject(v)) {
    const id = r.string(v, 'schema_id', path);
    const name = r.string(v, 'schema_name', path);
    if (id === undefined || name === undefined) return undefined;
    return { kind: 'enum', value: id, option: { id, name } };
  }
  return r.fault(path, 'expected a string, a number or an enum option { schema_id, schema_name }');
}

function readEmbeddings(r: FieldReader, top: Json): ParsedEmbedding[] | undefined {
  const list = r.optArray(top, 'embeddings', '$');
  if (!list) return undefined;
  const out: ParsedEmbedding[] = [];
  list.forEach((v, i) => {
    const p = `$.embeddings[${i}]`;
    const e = r.object(v, p);
    if (!e) return;
    const id = r.string(e, 'id', p);
    const name = r.string(e, 'name', p);
    const dimensions = r.integer(e, 'dimensions', p, 1, 1_000_000);
    const isCustom = r.boolean(e, 'is_custom', p);
    const values = r.array(e, 'values', p);
    // One vector per data row and embedding: the table keys vectors by (data row, embedding).
    if (values && values.length !== 1) r.fault(`${p}.values`, 'expected exactly one { value: [...] }');
    const first = values?.[0];
    const vector = isObject(first) ? first.value : undefined;
    const numbers = Array.isArray(vector) && vector.every((n) => typeof n === 'number') ? vector : undefined;
    if (values?.length === 1 && !numbers) r.fault(`${p}.values[0].value`, 'expected a list of numbers');
    if (numbers && dimensions !== undefined && numbers.length !== dimensions) {
      r.fault(`${p}.values[0].value`, `expected ${dimensions} numbers, got ${numbers.length}`);
      return;
    }
    if (
      id !== undefined &&
      name !== undefined &&
      dimensions !== undefined &&
      isCustom !== undefined &&
      numbers
    ) {
      if (out.some((x) => x.id === id)) r.fault(`${p}.id`, `embedding ${id} appears twice in this row`);
      else out.push({ id, name, dimensions, isCustom, vector: JSON.stringify(numbers) });
    }
  });
  return out;
}
