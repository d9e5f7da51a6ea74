/**
 * A data row spec as imported (docs/labelbox-compat.md §6) and the dataset that holds it. `row_data` is an https URL
 * (stored as given, never fetched: fetching user URLs invites SSRF) or an inline conversation.
 */
import { z } from 'zod';
import { Conversation, strictShape } from './conversation.ts';
import { ConversationV2, MMC_MIME_TYPE } from './conversation-v2.ts';
import { HttpsUrl } from './url.ts';

export { HttpsUrl, isHttpsUrl } from './url.ts';

export const MAX_GLOBAL_KEY_CHARS = 200;

export const ATTACHMENT_TYPES = [
  'IMAGE',
  'VIDEO',
  'RAW_TEXT',
  'TEXT_URL',
  'HTML',
  'PDF_URL',
  'IMAGE_OVERLAY',
  'CAMERA_IMAGE',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const GlobalKey = z.string().superRefine((key, ctx) => {
  const chars = [...key].length;
  if (chars < 1 || chars > MAX_GLOBAL_KEY_CHARS) {
    ctx.addIssue({
      code: 'custom',
      message: `global_key must be 1 to ${MAX_GLOBAL_KEY_CHARS} characters long`,
    });
  } else if (key.trim() !== key) {
    ctx.addIssue({ code: 'custom', message: 'global_key must not start or end with a space' });
  }
});

/**
 * `row_data`: a string must be an https URL or a conversation's JSON text, an object a
 * conversation (version 1, or version 2 when its `type` is the multimodal chat one). Dispatching
 * on the type (rather than a union) keeps the faults of the branch the user meant. The value is
 * passed through unchanged, so its key order is kept for storage.
 */
export const RowData = z.custom<string | Conversation | ConversationV2>().superRefine((value, ctx) => {
  let target: unknown = value;
  if (typeof value === 'string') {
    const parsed = parseRowDataText(value);
    if (parsed === undefined) {
      const url = HttpsUrl.safeParse(value);
      if (!url.success) ctx.addIssue({ code: 'custom', message: url.error.issues[0]!.message });
      return;
    }
    if (!parsed.ok) {
      ctx.addIssue({
        code: 'custom',
        message: `row_data is conversation JSON text that does not parse: ${parsed.message}`,
      });
      return;
    }
    target = parsed.value;
  }
  if (target === null || typeof target !== 'object' || Array.isArray(target)) {
    ctx.addIssue({
      code: 'custom',
      message: 'row_data must be an https URL or a conversation (object or JSON text)',
    });
    return;
  }
  const schema = (target as { type?: unknown }).type === MMC_MIME_TYPE ? ConversationV2 : Conversation;
  const parsed = schema.safeParse(target);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', path: issueKeyPath(issue), message: issue.message });
  }
});

/**
 * A `row_data` string that holds a conversation's JSON (it starts with `{`): its value, or why it
 * does not parse; undefined for any other string (a URL).
 */
export function parseRowDataText(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** The path of an issue; an unknown key's issue points at the key itself, not at its object. */
export function issueKeyPath(issue: z.core.$ZodIssue): PropertyKey[] {
  return issue.code === 'unrecognized_keys' && issue.keys.length === 1
    ? [...issue.path, issue.keys[0]!]
    : issue.path;
}

export const MetadataFieldSpec = strictShape({
  schema_id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  value: z.union([z.string(), z.number()]),
}).refine(
  (f) => (f.schema_id === undefined) !== (f.name === undefined),
  'give exactly one of schema_id or name',
);

export const AttachmentSpec = strictShape({
  type: z.enum(ATTACHMENT_TYPES),
  value: z.string().min(1, 'attachment value must not be empty'),
  name: z.string().optional(),
});

export const EmbeddingSpec = strictShape({
  name: z.string().min(1, 'embedding name must not be empty'),
  vector: z.array(z.number()).min(1, 'vector must not be empty'),
});

export const DataRowSpec = strictShape({
  row_data: RowData,
  global_key: GlobalKey.optional(),
  external_id: z.string().optional(),
  media_type: z.literal('CONVERSATIONAL').optional(),
  metadata_fields: z.array(MetadataFieldSpec).optional(),
  attachments: z.array(AttachmentSpec).optional(),
  embeddings: z.array(EmbeddingSpec).optional(),
});

export type MetadataFieldSpec = z.infer<typeof MetadataFieldSpec>;
export type AttachmentSpec = z.infer<typeof AttachmentSpec>;
export type EmbeddingSpec = z.infer<typeof EmbeddingSpec>;
export type DataRowSpec = z.infer<typeof DataRowSpec>;

export const CreateDatasetInput = strictShape({
  name: z.string().trim().min(1, 'name must not be empty').max(256, 'name is at most 256 characters'),
  description: z.string().max(10_000).optional(),
});
export type CreateDatasetInput = z.infer<typeof CreateDatasetInput>;

export interface Dataset {
  id: string;
  name: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  /** Rows in the dataset (listDatasets and getDataset count them). */
  rowCount: number;
}
