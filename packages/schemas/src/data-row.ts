/**
 * A data row spec as imported (docs/labelbox-compat.md §6) and the dataset that holds it. `row_data` is an https URL
 * (stored as given, never fetched: fetching user URLs invites SSRF) or an inline conversation.
 */
import { z } from 'zod';
import { Conversation, strictShape } from './conversation.ts';

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

export function isHttpsUrl(value: string): boolean {
  if (!value.startsWith('https://')) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

export const HttpsUrl = z
  .string()
  .refine(isHttpsUrl, 'must be an https URL (http:// and other schemes are refused; URLs are never fetched)');

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
 * `row_data`: a string must be an https URL, an object a conversation. Dispatching on the type
 * (rather than a union) keeps the faults of the branch the user meant. The value is passed
 * through unchanged, so its key order is kept for storage.
 */
export const RowData = z.custom<string | Conversation>().superRefine((value, ctx) => {
  const schema =
    typeof value === 'string'
      ? HttpsUrl
      : value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Conversation
        : null;
  if (!schema) {
    ctx.addIssue({ code: 'custom', message: 'row_data must be an https URL or a conversation object' });
    return;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', path: issueKeyPath(issue), message: issue.message });
  }
});

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
