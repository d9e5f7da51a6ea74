/**
 * Bounds on what one request may ask for, checked after validation (so fragments have no cycles)
 * and before anything runs: selection depth, and a cost where the fields that start exports or
 * read files weigh far more than plain ones. A field under a list runs once per item, so its
 * cost is multiplied by the list's size: its `first` argument when given (a literal or a
 * variable), else DEFAULT_LIST_SIZE. An object costs 1 per instance; a scalar costs 1 per
 * selection, not per instance (it is read off its object, and the token limit bounds how many a
 * document can name). The SDK's documents cost under 120 (`createdTasks(first: 100)` with its ten
 * scalars: 1 + 100 + 10).
 *
 * Then, while it runs, a `ReadBudget` per request: at most MAX_FILE_READS chunk reads and their
 * bytes, whatever the document looked like (defence in depth for fields added later).
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { AppError } from '../shared/errors.ts';

export const MAX_DEPTH = 8;
export const MAX_COST = 250;
/** File reads (chunk reads) one request may make; the expensive fields weigh MAX_COST / 2.5. */
export const MAX_FILE_READS = 2;
/** Items a list field is assumed to answer when its `first` is not known (the resolvers' cap). */
export const DEFAULT_LIST_SIZE = 100;
/** At most two of these per request. */
const EXPENSIVE: Readonly<Record<string, number>> = {
  exportDataRowsInProject: 100,
  exportLabels: 100,
  exportFileFromOffset: 100,
  exportFileFromLine: 100,
  // Checks a file on disk (its size and sampled hash) without reading it whole.
  exportMetadataHeader: 10,
};
/** The message the SDK turns into ValidationFailedError. */
export const COMPLEXITY_MESSAGE = 'Query complexity limit exceeded';
export const SUBSCRIPTION_MESSAGE = 'subscriptions are not supported: send a query or a mutation';
export const NUL_MESSAGE = 'strings must not contain NUL (\\u0000)';

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/** A fault message, or undefined when the document is within bounds. */
export function checkLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables?: Variables,
): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  let cost = 0;
  let deepest = 0;
  const over = () => cost > MAX_COST || deepest > MAX_DEPTH;
  const walk = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    times: number,
  ) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        deepest = Math.max(deepest, depth);
        const field = fieldOf(parent, sel.name.value);
        const type = field ? getNamedType(field.type) : undefined;
        const instances =
          field && isListType(getNullableType(field.type)) ? times * listSize(sel, variables) : times;
        const weight = EXPENSIVE[sel.name.value];
        if (weight !== undefined) cost += times * weight;
        else cost += type && !isLeafType(type) ? instances : 1;
        if (sel.selectionSet) walk(sel.selectionSet, type, depth + 1, instances);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        walk(sel.selectionSet, on ?? undefined, depth, times);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (fragment)
          walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), depth, times);
      }
      // Stop early: a wide document of fragments spread many times must not cost us its size.
      if (over()) return;
    }
  };
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (def.operation === 'subscription') return SUBSCRIPTION_MESSAGE;
    const root = def.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    walk(def.selectionSet, root ?? undefined, 1, 1);
  }
  if (deepest > MAX_DEPTH) return `${COMPLEXITY_MESSAGE}: selections nest deeper than ${MAX_DEPTH} levels`;
  if (cost > MAX_COST) return COMPLEXITY_MESSAGE;
  return undefined;
}

function fieldOf(
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  return parent.getFields()[name];
}

/** A list field's `first`, from a literal or a variable; the default when absent or not an integer. */
function listSize(field: FieldNode, variables: Variables): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first');
  let value: unknown;
  if (arg?.value.kind === Kind.INT) value = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE) value = variables?.[arg.value.name.value];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : DEFAULT_LIST_SIZE;
}

/**
 * NUL in a string literal of the document (`"\\u0000"` is a valid GraphQL escape): PostgreSQL
 * refuses it where SQLite stores it, so it is refused here for both. The variables need no check:
 * the body's strict JSON parser (ingest/strict-json.ts) already refuses NUL.
 */
export function nulFault(document: DocumentNode): string | undefined {
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found ? NUL_MESSAGE : undefined;
}

/**
 * What one request may still read from export files: `take` before each read. The cost check
 * already keeps documents to two reads; this holds whatever the resolvers end up doing.
 */
export class ReadBudget {
  #reads = 0;
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Counts a read of up to `bytes`; throws (a field error) when the request is over. */
  take(bytes: number): void {
    if (this.#reads + 1 > MAX_FILE_READS || this.#bytes + bytes > this.maxBytes) {
      throw new AppError(
        'BAD_REQUEST',
        `${COMPLEXITY_MESSAGE}: one request reads at most ${MAX_FILE_READS} export chunks (${this.maxBytes} bytes)`,
      );
    }
    this.#reads += 1;
    this.#bytes += bytes;
  }
}
