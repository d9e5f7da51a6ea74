/**
 * A Labelbox ontology (docs/labelbox-compat.md §6): `{ tools: [], classifications: [...] }`, classifications radio,
 * checklist or text, options nesting further classifications. Objects are strict so a misspelt
 * key is reported, except for the display keys Labelbox's own ontology export adds (`position`,
 * `color`, `archived`, `uiMode`), which are accepted and dropped.
 */
import { z } from 'zod';
import { strictShape } from './conversation.ts';
import { MESSAGE_TOOL_TYPES, type MessageToolType } from './message-task.ts';

export const CLASSIFICATION_TYPES = ['radio', 'checklist', 'text'] as const;
export type ClassificationType = (typeof CLASSIFICATION_TYPES)[number];
/** `global`: one answer for the whole conversation; `index`: one answer per labelable message. */
export type ClassificationScope = 'global' | 'index';

/** A feature schema id as Labelbox makes them: `c` and 24 of [0-9a-z]. */
export const FEATURE_SCHEMA_ID = /^c[0-9a-z]{24}$/;

export interface OntologyOptionInput {
  value: string;
  label?: string | undefined;
  options?: OntologyClassificationInput[] | undefined;
  featureSchemaId?: string | null | undefined;
  schemaNodeId?: string | null | undefined;
}

export interface OntologyClassificationInput {
  type: ClassificationType;
  name: string;
  instructions?: string | undefined;
  required?: boolean | undefined;
  scope?: ClassificationScope | undefined;
  options?: OntologyOptionInput[] | undefined;
  featureSchemaId?: string | null | undefined;
  schemaNodeId?: string | null | undefined;
}

/** A message tool of a multimodal chat evaluation ontology, as the Labelbox SDK's `Tool.asdict()` sends it. */
export interface OntologyToolInput {
  tool: MessageToolType;
  name: string;
  required?: boolean | undefined;
  color?: string | undefined;
  /** Questions about the tool's answer (no `scope`: they follow the tool). */
  classifications?: OntologyClassificationInput[] | undefined;
  featureSchemaId?: string | null | undefined;
  schemaNodeId?: string | null | undefined;
}

export interface OntologyInput {
  tools?: OntologyToolInput[] | undefined;
  classifications: OntologyClassificationInput[];
}

/** The stored form: defaults filled in, every node carrying its featureSchemaId. */
export interface NormalizedOption {
  featureSchemaId: string;
  schemaNodeId?: string;
  value: string;
  label: string;
  options: NormalizedClassification[];
}

export interface NormalizedClassification {
  featureSchemaId: string;
  schemaNodeId?: string;
  type: ClassificationType;
  name: string;
  instructions: string;
  required: boolean;
  scope: ClassificationScope;
  options: NormalizedOption[];
}

export interface NormalizedTool {
  featureSchemaId: string;
  schemaNodeId?: string;
  tool: MessageToolType;
  name: string;
  required: boolean;
  color: string;
  classifications: NormalizedClassification[];
}

export interface NormalizedOntology {
  tools: NormalizedTool[];
  classifications: NormalizedClassification[];
}

const LABELBOX_DISPLAY_KEYS = {
  position: z.number().optional(),
  color: z.string().optional(),
  archived: z.boolean().optional(),
  uiMode: z.string().optional(),
};

const featureSchemaId = z
  .string()
  .regex(FEATURE_SCHEMA_ID, 'featureSchemaId must be a 25-character cuid (c + 24 of [0-9a-z])')
  // The Labelbox SDK sends null for a node the server is to name.
  .nullish();
const nonEmpty = (what: string) => z.string().refine((s) => s.trim() !== '', `${what} must not be empty`);

export const OntologyOption: z.ZodType<OntologyOptionInput> = z.lazy(() =>
  strictShape({
    value: nonEmpty('value'),
    label: nonEmpty('label').optional(),
    options: z.array(OntologyClassification).optional(),
    featureSchemaId,
    schemaNodeId: z.string().nullish(),
    ...LABELBOX_DISPLAY_KEYS,
  }).superRefine((o, ctx) => uniqueNames(o.options ?? [], ['options'], ctx)),
);

export const OntologyClassification: z.ZodType<OntologyClassificationInput> = z.lazy(() =>
  strictShape({
    type: z.enum(CLASSIFICATION_TYPES, { error: 'type must be radio, checklist or text' }),
    name: nonEmpty('name'),
    instructions: z.string().optional(),
    required: z.boolean().optional(),
    scope: z.enum(['global', 'index'], { error: 'scope must be global or index' }).optional(),
    options: z.array(OntologyOption).optional(),
    featureSchemaId,
    schemaNodeId: z.string().nullish(),
    ...LABELBOX_DISPLAY_KEYS,
  }).superRefine((c, ctx) => {
    const options = c.options ?? [];
    if (c.type === 'text' && options.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'a text classification has no options' });
    }
    if (c.type !== 'text' && options.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `a ${c.type} classification needs at least 1 option`,
      });
    }
    uniqueOptions(options, ctx);
  }),
);

export const OntologyTool: z.ZodType<OntologyToolInput> = strictShape({
  tool: z.enum(MESSAGE_TOOL_TYPES, {
    error: `tool must be one of ${MESSAGE_TOOL_TYPES.join(', ')} (prefer's tools are the message tools of multimodal chat evaluation)`,
  }),
  name: nonEmpty('name'),
  required: z.boolean().optional(),
  color: z.string().optional(),
  classifications: z.array(OntologyClassification).optional(),
  featureSchemaId,
  schemaNodeId: z.string().nullish(),
  position: z.number().optional(),
  archived: z.boolean().optional(),
}).superRefine((t, ctx) => {
  uniqueNames(t.classifications ?? [], ['classifications'], ctx);
  for (const [i, c] of (t.classifications ?? []).entries())
    nestedScopes(c, ['classifications', i], ctx, false);
});

export const Ontology = strictShape({
  tools: z.array(OntologyTool).optional(),
  classifications: z.array(OntologyClassification),
}).superRefine((o, ctx) => {
  uniqueNames(o.classifications, ['classifications'], ctx);
  // Answers find a tool by name too: a tool's name is unique among tools.
  uniqueNames(o.tools ?? [], ['tools'], ctx, 'tool');
  for (const [i, c] of o.classifications.entries()) nestedScopes(c, ['classifications', i], ctx, true);
  const seen = new Set<string>();
  uniqueFeatureSchemaIds(o.classifications, ['classifications'], seen, ctx);
  for (const [i, t] of (o.tools ?? []).entries()) {
    if (t.featureSchemaId != null) {
      if (seen.has(t.featureSchemaId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tools', i, 'featureSchemaId'],
          message: `featureSchemaId ${t.featureSchemaId} is used by another node`,
        });
      }
      seen.add(t.featureSchemaId);
    }
    uniqueFeatureSchemaIds(t.classifications ?? [], ['tools', i, 'classifications'], seen, ctx);
  }
});

type Ctx = z.RefinementCtx;

/** Classification names are unique among siblings: answers find their question by name. */
function uniqueNames(
  list: readonly { name: string }[],
  at: (string | number)[],
  ctx: Ctx,
  what = 'classification',
): void {
  const seen = new Set<string>();
  for (const [i, c] of list.entries()) {
    if (seen.has(c.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, i, 'name'],
        message: `duplicate ${what} name ${JSON.stringify(c.name)}`,
      });
    }
    seen.add(c.name);
  }
}

/**
 * Option values are unique among siblings, and since an answer may name an option by its value
 * or its label, no option's value or label may equal another option's.
 */
function uniqueOptions(options: readonly OntologyOptionInput[], ctx: Ctx): void {
  const owner = new Map<string, number>();
  for (const [i, o] of options.entries()) {
    const names = o.label === undefined || o.label === o.value ? [o.value] : [o.value, o.label];
    for (const [k, name] of names.entries()) {
      const first = owner.get(name);
      if (first !== undefined && first !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['options', i, k === 0 ? 'value' : 'label'],
          message:
            k === 0
              ? `duplicate option value ${JSON.stringify(name)}`
              : `option label ${JSON.stringify(name)} is already the value or label of option ${first}`,
        });
      } else owner.set(name, i);
    }
  }
}

/** Message scope applies to a whole question; a nested question follows its parent's answer. */
function nestedScopes(c: OntologyClassificationInput, at: (string | number)[], ctx: Ctx, top: boolean): void {
  if (!top && c.scope === 'index') {
    ctx.addIssue({
      code: 'custom',
      path: [...at, 'scope'],
      message: 'a nested classification cannot be message-scoped (scope "index" is for top-level ones)',
    });
  }
  for (const [j, o] of (c.options ?? []).entries()) {
    for (const [k, n] of (o.options ?? []).entries())
      nestedScopes(n, [...at, 'options', j, 'options', k], ctx, false);
  }
}

function uniqueFeatureSchemaIds(
  list: readonly OntologyClassificationInput[],
  at: (string | number)[],
  seen: Set<string>,
  ctx: Ctx,
): void {
  const check = (id: string | null | undefined, path: (string | number)[]) => {
    if (id == null) return;
    if (seen.has(id)) {
      ctx.addIssue({ code: 'custom', path, message: `featureSchemaId ${id} is used by another node` });
    }
    seen.add(id);
  };
  for (const [i, c] of list.entries()) {
    check(c.featureSchemaId, [...at, i, 'featureSchemaId']);
    for (const [j, o] of (c.options ?? []).entries()) {
      check(o.featureSchemaId, [...at, i, 'options', j, 'featureSchemaId']);
      uniqueFeatureSchemaIds(o.options ?? [], [...at, i, 'options', j, 'options'], seen, ctx);
    }
  }
}

const globalQuestion = (type: ClassificationType, name: string, required: boolean, options: string[]) => ({
  type,
  name,
  instructions: name,
  required,
  scope: 'global' as const,
  options: options.map((value) => ({ value, label: value })),
});

/**
 * The preference ontology of the seed page: which response is better, why, and which checks were
 * done. The demo project and the benchmarks use it; feature schema ids are assigned on creation.
 */
export const CANONICAL_PREFERENCE_ONTOLOGY: Readonly<OntologyInput> = Object.freeze({
  tools: [],
  classifications: [
    globalQuestion('radio', 'Choose the best response', true, ['Response A', 'Response B', 'Tie']),
    globalQuestion('text', 'Provide a reason for your choice', false, []),
    globalQuestion('checklist', 'Evaluations done', false, [
      'Relevance',
      'Usefulness',
      'Toxicity',
      'Factuality',
    ]),
  ],
});
