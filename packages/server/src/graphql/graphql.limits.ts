/**
 * Bounds on what one request may ask for, checked after validation (so fragments have no cycles)
 * and before anything runs: selection depth, and a cost where the fields that start exports or
 * read files weigh far more than plain ones. The SDK's documents cost under 30.
 */
import { type DocumentNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from 'graphql';

export const MAX_DEPTH = 8;
export const MAX_COST = 250;
/** At most two of these per request. */
const EXPENSIVE: Readonly<Record<string, number>> = {
  exportDataRowsInProject: 100,
  exportLabels: 100,
  exportFileFromOffset: 100,
  exportFileFromLine: 100,
};
/** The message the SDK turns into ValidationFailedError. */
export const COMPLEXITY_MESSAGE = 'Query complexity limit exceeded';

/** A fault message, or undefined when the document is within bounds. */
export function checkLimits(document: DocumentNode): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  let cost = 0;
  let deepest = 0;
  const walk = (set: SelectionSetNode, depth: number): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        cost += EXPENSIVE[sel.name.value] ?? 1;
        deepest = Math.max(deepest, depth);
        if (sel.selectionSet) walk(sel.selectionSet, depth + 1);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, depth);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (fragment) walk(fragment.selectionSet, depth);
      }
      // Stop early: a wide document of fragments spread many times must not cost us its size.
      if (cost > MAX_COST || deepest > MAX_DEPTH) return;
    }
  };
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) walk(def.selectionSet, 1);
  }
  if (deepest > MAX_DEPTH) return `${COMPLEXITY_MESSAGE}: selections nest deeper than ${MAX_DEPTH} levels`;
  if (cost > MAX_COST) return COMPLEXITY_MESSAGE;
  return undefined;
}
