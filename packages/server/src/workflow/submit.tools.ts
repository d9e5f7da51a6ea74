/**
 * The message tool answers of a label submission (`annotations`), checked exactly as the label
 * importer checks its tool lines (labels/mmc-task.ts), then as a whole label: each tool answers a
 * prompt once, and a required tool answers every prompt that has two or more model replies.
 * Faults carry JSON paths into the submission, e.g. `$.annotations[0].messageEvaluationTask.data`.
 */
import type { MmcGraph } from '@prefer/schemas';
import { checkTaskOnGraph, type MessageTaskValue, validateTaskLine } from '../labels/mmc-task.ts';
import type { ToolLookup } from '../ontologies/ontology.index.ts';
import type { Fault } from '../shared/errors.ts';

export const MAX_TOOL_ANSWERS = 1000;

export function checkToolAnswers(
  list: unknown,
  tools: ToolLookup,
  graph: MmcGraph | undefined,
  faults: Fault[],
): MessageTaskValue[] {
  if (!Array.isArray(list)) {
    faults.push({ path: '$.annotations', message: 'must be a list of message tool answers' });
    return [];
  }
  const values: MessageTaskValue[] = [];
  const seen = new Map<string, number>();
  const before = faults.length;
  for (const [i, item] of list.entries()) {
    const at = `$.annotations[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      faults.push({
        path: at,
        message: 'must be an object { name | schemaId, messageEvaluationTask: { format, data } }',
      });
      continue;
    }
    const result = validateTaskLine(item, undefined, tools, false);
    if (!result.ok) {
      for (const f of result.faults) faults.push({ path: at + f.path.slice(1), message: f.message });
      continue;
    }
    const v = result.line.value;
    const onGraph = checkTaskOnGraph(v, graph, undefined);
    if (onGraph.length > 0) {
      for (const f of onGraph) faults.push({ path: at + f.path.slice(1), message: f.message });
      continue;
    }
    const key = `${v.featureSchemaId}\u0000${v.parentMessageId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      faults.push({
        path: `${at}.name`,
        message: `${JSON.stringify(v.name)} already answers prompt ${JSON.stringify(v.parentMessageId)} (at annotations[${first}])`,
      });
      continue;
    }
    seen.set(key, i);
    values.push(v);
  }
  if (faults.length === before) checkRequiredTools(tools, values, graph, faults);
  return values;
}

/** A required tool answers every human prompt with at least two model replies (prefer decision). */
function checkRequiredTools(
  tools: ToolLookup,
  values: readonly MessageTaskValue[],
  graph: MmcGraph | undefined,
  faults: Fault[],
): void {
  const required = tools.list.filter((t) => t.required);
  if (required.length === 0 || !graph) return;
  const prompts = [...graph.messages.entries()]
    .filter(
      ([, m]) =>
        m.role === 'human' && m.children.filter((c) => graph.messages.get(c)?.role === 'model').length >= 2,
    )
    .map(([id]) => id);
  for (const tool of required) {
    const missing = prompts.filter(
      (p) => !values.some((v) => v.featureSchemaId === tool.featureSchemaId && v.parentMessageId === p),
    );
    if (missing.length > 0) {
      faults.push({
        path: '$.annotations',
        message: `${JSON.stringify(tool.name)} is required on every prompt with several replies; missing: ${missing.join(', ')}`,
      });
    }
  }
}
