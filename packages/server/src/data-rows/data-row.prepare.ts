/**
 * Turns one parsed import record into the rows to insert, or into faults. Pure apart from the
 * metadata and embedding lookups, which the resolver caches for the whole import.
 */
import {
  CONVERSATION_MIME_TYPE,
  type Conversation,
  conversationMediaAttributes,
  DataRowSpec,
  issueKeyPath,
} from '@prefer/schemas';
import { formatPath } from '../ingest/strict-json.ts';
import type { Fault } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ExtrasResolver } from './data-row.extras.ts';

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
  value: unknown,
  line: number,
  ctx: ImportContext,
  extras: ExtrasResolver,
): Promise<Prepared> {
  const parsed = DataRowSpec.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      faults: parsed.error.issues.map((issue) => ({
        line,
        path: formatPath(issueKeyPath(issue).map((p) => (typeof p === 'number' ? p : String(p)))),
        message: issue.message,
      })),
    };
  }
  const spec = parsed.data;
  const id = newId();
  const faults: Fault[] = [];
  const metadata: unknown[][] = [];
  const vectors: unknown[][] = [];
  const seenSchemas = new Set<string>();
  for (const [i, field] of (spec.metadata_fields ?? []).entries()) {
    const resolved = await extras.metadataValue(field);
    const path = `$.metadata_fields[${i}]`;
    if (!resolved.ok) faults.push({ line, path: `${path}${resolved.at}`, message: resolved.message });
    else if (seenSchemas.has(resolved.schemaId)) {
      faults.push({ line, path, message: 'the same metadata field is given twice for this data row' });
    } else {
      seenSchemas.add(resolved.schemaId);
      metadata.push([id, resolved.schemaId, resolved.value, i]);
    }
  }
  const seenEmbeddings = new Set<string>();
  for (const [i, embedding] of (spec.embeddings ?? []).entries()) {
    const resolved = await extras.embedding(embedding.name, embedding.vector.length);
    const path = `$.embeddings[${i}]`;
    if (!resolved.ok) faults.push({ line, path: `${path}.vector`, message: resolved.message });
    else if (seenEmbeddings.has(resolved.embeddingId)) {
      faults.push({
        line,
        path: `${path}.name`,
        message: 'the same embedding is given twice for this data row',
      });
    } else {
      seenEmbeddings.add(resolved.embeddingId);
      vectors.push([id, resolved.embeddingId, JSON.stringify(embedding.vector)]);
    }
  }
  if (faults.length > 0) return { ok: false, faults };

  // Stored exactly as exported: the URL, or the conversation as given (its own key order).
  const rawRowData = (value as { row_data: string | Conversation }).row_data;
  const isUrl = typeof rawRowData === 'string';
  // URL rows are never fetched, so nothing is known of their messages.
  const media = isUrl ? { labelableIds: [], messageCount: 0 } : conversationMediaAttributes(rawRowData);
  const globalKey = spec.global_key ?? null;
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
        spec.external_id ?? null,
        isUrl ? rawRowData : JSON.stringify(rawRowData),
        'CONVERSATIONAL',
        CONVERSATION_MIME_TYPE,
        JSON.stringify(media.labelableIds),
        media.messageCount,
        ctx.now,
        ctx.now,
        ctx.now,
        ctx.userId,
      ],
      attachments: (spec.attachments ?? []).map((a, i) => [newId(), id, a.type, a.value, a.name ?? null, i]),
      metadata,
      vectors,
    },
  };
}
