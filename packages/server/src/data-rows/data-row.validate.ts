/**
 * Validation of one parsed import record, with no I/O: it runs in the parse worker or inline.
 * The output holds only plain strings, numbers and arrays, so it crosses a thread cheaply.
 */
import {
  CONVERSATION_MIME_TYPE,
  type Conversation,
  type ConversationV2,
  conversationMediaAttributes,
  conversationV2MediaAttributes,
  DataRowSpec,
  isConversationV2,
  MAX_MMC_ROW_CHARS,
  MMC_MIME_TYPE,
  parseRowDataText,
} from '@prefer/schemas';
import { zodFaults } from '../ingest/zod-faults.ts';
import type { Fault } from '../shared/errors.ts';

/** A valid record, ready to be given ids and resolved against the store. */
export interface ValidRow {
  line: number;
  globalKey: string | null;
  externalId: string | null;
  /** Exactly the export's `row_data`: the URL, or the conversation as given (its key order). */
  rowData: string;
  /** `application/vnd.labelbox.conversational`, or the multimodal chat (v2) type. */
  mimeType: string;
  labelableIds: string;
  messageCount: number;
  /** `[type, value, name]` in the order given. */
  attachments: [string, string, string | null][];
  metadata: { schema_id?: string; name?: string; value: string | number }[];
  /** `[name, dimensions, vector as JSON]`. */
  embeddings: [string, number, string][];
}

export type Validated = { ok: true; row: ValidRow } | { ok: false; line: number; faults: Fault[] };

export function validateRecord(value: unknown, line: number): Validated {
  const parsed = DataRowSpec.safeParse(value);
  if (!parsed.success) return { ok: false, line, faults: zodFaults(parsed.error, [], line) };
  const spec = parsed.data;
  // The raw value, not zod's copy: zod rebuilds objects in schema key order. A conversation given
  // as JSON text is stored as the same compact JSON an inline object gets (prefer decision).
  const given = (value as { row_data: string | Conversation }).row_data;
  const text = typeof given === 'string' ? parseRowDataText(given) : undefined;
  const raw = text?.ok ? (text.value as Conversation | ConversationV2) : given;
  const isUrl = typeof raw === 'string';
  const v2 = !isUrl && isConversationV2(raw);
  // URL rows are never fetched, so nothing is known of their messages.
  const media = isUrl
    ? { labelableIds: [], messageCount: 0 }
    : v2
      ? conversationV2MediaAttributes(raw as ConversationV2)
      : conversationMediaAttributes(raw as Conversation);
  const rowData = isUrl ? raw : JSON.stringify(raw);
  if (v2 && rowData.length > MAX_MMC_ROW_CHARS) {
    return {
      ok: false,
      line,
      faults: [
        {
          line,
          path: '$.row_data',
          message: `an inline multimodal chat conversation is at most ${MAX_MMC_ROW_CHARS} characters of JSON (this one: ${rowData.length}); host it and give its https URL`,
        },
      ],
    };
  }
  return {
    ok: true,
    row: {
      line,
      globalKey: spec.global_key ?? null,
      externalId: spec.external_id ?? null,
      rowData,
      mimeType: v2 ? MMC_MIME_TYPE : CONVERSATION_MIME_TYPE,
      labelableIds: JSON.stringify(media.labelableIds),
      messageCount: media.messageCount,
      attachments: (spec.attachments ?? []).map((a) => [a.type, a.value, a.name ?? null]),
      metadata: spec.metadata_fields ?? [],
      embeddings: (spec.embeddings ?? []).map((e) => [e.name, e.vector.length, JSON.stringify(e.vector)]),
    },
  };
}
