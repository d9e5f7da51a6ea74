/**
 * Gives a validated record its ids and resolves its metadata fields and embeddings against the
 * store (through the import's cached resolver), producing the rows to insert, or faults.
 */
import type { Fault } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ExtrasResolver } from './data-row.extras.ts';
import type { ValidRow } from './data-row.validate.ts';

export const DATA_ROW_COLUMNS = [
  'id',
  'org_id',
  'dataset_id',
  'global_key',
  'global_key_lower',
  'external_id',
  'row_data',
  'media_type',
  'mime_type',
  'labelable_ids',
  'message_count',
  'created_at',
  'updated_at',
  'last_activity_at',
  'created_by',
] as const;
export const ATTACHMENT_COLUMNS = ['id', 'data_row_id', 'type', 'value', 'name', 'position'] as const;
export const METADATA_COLUMNS = ['data_row_id', 'schema_id', 'value', 'position'] as const;
export const VECTOR_COLUMNS = ['data_row_id', 'embedding_id', 'vector'] as const;

export interface PreparedRow {
  line: number;
  id: string;
  globalKey: string | null;
  /** In DATA_ROW_COLUMNS order. */
  values: unknown[];
  attachments: unknown[][];
  metadata: unknown[][];
  vectors: unknown[][];
}

export interface ImportContext {
  orgId: string;
  datasetId: string;
  userId: string;
  now: number;
}

export type Prepared = { ok: true; row: PreparedRow } | { ok: false; faults: Fault[] };

export async function prepareRow(
  valid: ValidRow,
  ctx: ImportContext,
  extras: ExtrasResolver,
): Promise<Prepared> {
  const { line } = valid;
  const id = newId();
  const faults: Fault[] = [];
  const metadata: unknown[][] = [];
  const vectors: unknown[][] = [];
  if (valid.metadata.length > 0) {
    const seen = new Set<string>();
    for (const [i, field] of valid.metadata.entries()) {
      const resolved = await extras.metadataValue(field);
      const path = `$.metadata_fields[${i}]`;
      if (!resolved.ok) faults.push({ line, path: `${path}${resolved.at}`, message: resolved.message });
      else if (seen.has(resolved.schemaId)) {
        faults.push({ line, path, message: 'the same metadata field is given twice for this data row' });
      } else {
        seen.add(resolved.schemaId);
        metadata.push([id, resolved.schemaId, resolved.value, i]);
      }
    }
  }
  if (valid.embeddings.length > 0) {
    const seen = new Set<string>();
    for (const [i, [name, dimensions, vector]] of valid.embeddings.entries()) {
      const resolved = await extras.embedding(name, dimensions);
      const path = `$.embeddings[${i}]`;
      if (!resolved.ok) faults.push({ line, path: `${path}.vector`, message: resolved.message });
      else if (seen.has(resolved.embeddingId)) {
        faults.push({
          line,
          path: `${path}.name`,
          message: 'the same embedding is given twice for this data row',
        });
      } else {
        seen.add(resolved.embeddingId);
        vectors.push([id, resolved.embeddingId, vector]);
      }
    }
  }
  if (faults.length > 0) return { ok: false, faults };
  const { globalKey } = valid;
  return {
    ok: true,
    row: {
      line,
      id,
      globalKey,
      values: [
        id,
        ctx.orgId,
        ctx.datasetId,
        globalKey,
        globalKey?.toLowerCase() ?? null,
        valid.externalId,
        valid.rowData,
        'CONVERSATIONAL',
        valid.mimeType,
        valid.labelableIds,
        valid.messageCount,
        ctx.now,
        ctx.now,
        ctx.now,
        ctx.userId,
      ],
      attachments: valid.attachments.map(([type, value, name], i) => [newId(), id, type, value, name, i]),
      metadata,
      vectors,
    },
  };
}
