/**
 * Message tool answers (multimodal chat evaluation): an annotation-import line or a submission's
 * `annotations[i]` carrying `messageEvaluationTask: { format, data }`, checked in two steps. The
 * first (pure) checks the shape, the tool the name points at and that `format` is that tool's
 * type; the second checks the answer against the row's conversation graph: the parent is a human
 * message, every referenced reply is among its `childMessageIds`, and each `modelConfigName` is
 * that reply's actor's. Every fault names its line and JSON path.
 */
import {
  type ConversationV2,
  type DataRowRef,
  isConversationV2,
  MESSAGE_ANNOTATION_KINDS,
  MESSAGE_TASK_DATA,
  MessageTaskAnswer,
  MessageTaskLine,
  type MessageToolType,
  type MmcGraph,
  mmcGraph,
} from '@prefer/schemas';
import { formatPath } from '../ingest/strict-json.ts';
import { zodFaults } from '../ingest/zod-faults.ts';
import type { IndexedTool, ToolLookup } from '../ontologies/ontology.index.ts';
import type { Fault } from '../shared/errors.ts';
import { ID_PATTERN, newId } from '../shared/ids.ts';

export interface ReplyRef {
  messageId: string;
  modelConfigName: string;
}

interface TaskHead {
  featureId: string;
  featureSchemaId: string;
  /** The tool's name in the ontology (the export's `name`). */
  name: string;
  parentMessageId: string;
}

/** A validated tool answer, ready to render as an export v2 object. */
export type MessageTaskValue = TaskHead &
  (
    | { format: 'message-single-selection'; selected: ReplyRef }
    | { format: 'message-multi-selection'; selected: ReplyRef[] }
    | { format: 'message-ranking'; ranked: (ReplyRef & { order: number })[] }
  );

export interface ValidatedTaskLine {
  dataRow: DataRowRef;
  uuid: string | undefined;
  /** The label's id in the caller's system (import lines only), as on classification lines. */
  labelExternalId: string | undefined;
  value: MessageTaskValue;
}

export type TaskLineResult = { ok: true; line: ValidatedTaskLine } | { ok: false; faults: Fault[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The Labelbox SDK's own test writes such "uuids" (spec §3.1): hex groups, not checked as a UUID.
const LOOSE_UUID = /^[0-9a-z]+(-[0-9a-z]+){2,6}$/i;

/**
 * Checks an import line (`withDataRow`) or a submission's tool answer (no `dataRow`, no `uuid`)
 * against the ontology's tools. Pure: the graph checks come after the row is known.
 */
export function validateTaskLine(
  value: unknown,
  line: number | undefined,
  tools: ToolLookup,
  withDataRow: boolean,
  makeId: () => string = newId,
): TaskLineResult {
  const parsed = (withDataRow ? MessageTaskLine : MessageTaskAnswer).safeParse(value);
  if (!parsed.success) return { ok: false, faults: zodFaults(parsed.error, [], line) };
  const a = parsed.data as {
    uuid?: string;
    labelExternalId?: string;
    dataRow?: DataRowRef;
    name?: string;
    schemaId?: string;
  };
  const task = parsed.data.messageEvaluationTask;
  const faults: Fault[] = [];
  const at = (path: (string | number)[], message: string) =>
    faults.push({ ...(line === undefined ? {} : { line }), path: formatPath(path), message });
  const tool = findTool(tools, a, at);
  if (tool && tool.tool !== task.format) {
    at(
      ['messageEvaluationTask', 'format'],
      `${JSON.stringify(tool.name)} is a ${tool.tool} tool: format must be ${JSON.stringify(tool.tool)}, got ${JSON.stringify(task.format)}`,
    );
  }
  const data = MESSAGE_TASK_DATA[task.format].safeParse(task.data);
  if (!data.success) faults.push(...zodFaults(data.error, ['messageEvaluationTask', 'data'], line));
  const uuid = a.uuid !== undefined && ID_PATTERN.test(a.uuid) ? a.uuid : undefined;
  if (a.uuid !== undefined && uuid === undefined && !UUID.test(a.uuid) && !LOOSE_UUID.test(a.uuid)) {
    at(['uuid'], 'uuid must be a UUID or a 25-character feature id');
  }
  if (!tool || !data.success || faults.length > 0) return { ok: false, faults };
  const head: TaskHead = {
    featureId: uuid ?? makeId(),
    featureSchemaId: tool.featureSchemaId,
    name: tool.name,
    parentMessageId: (data.data as { parentMessageId: string }).parentMessageId,
  };
  return {
    ok: true,
    line: {
      dataRow: a.dataRow ?? {},
      uuid,
      labelExternalId: a.labelExternalId,
      value: taskValue(head, task.format, data.data),
    },
  };
}

function taskValue(head: TaskHead, format: MessageToolType, data: unknown): MessageTaskValue {
  switch (format) {
    case 'message-single-selection': {
      const d = data as { messageId: string; modelConfigName: string };
      return { ...head, format, selected: { messageId: d.messageId, modelConfigName: d.modelConfigName } };
    }
    case 'message-multi-selection': {
      const d = data as { selectedMessages: ReplyRef[] };
      return {
        ...head,
        format,
        selected: d.selectedMessages.map((m) => ({
          messageId: m.messageId,
          modelConfigName: m.modelConfigName,
        })),
      };
    }
    case 'message-ranking': {
      const d = data as { rankedMessages: (ReplyRef & { order: number })[] };
      return {
        ...head,
        format,
        ranked: d.rankedMessages.map((m) => ({
          messageId: m.messageId,
          modelConfigName: m.modelConfigName,
          order: m.order,
        })),
      };
    }
    default: {
      const never: never = format;
      throw new Error(`unknown message tool ${String(never)}`);
    }
  }
}

function findTool(
  tools: ToolLookup,
  ref: { name?: string | undefined; schemaId?: string | undefined },
  at: (path: (string | number)[], message: string) => void,
): IndexedTool | undefined {
  const found = ref.schemaId !== undefined ? tools.byId.get(ref.schemaId) : tools.byName.get(ref.name ?? '');
  if (!found) {
    const names =
      tools.list.map((t) => JSON.stringify(t.name)).join(', ') || 'none (the ontology has no message tools)';
    if (ref.schemaId !== undefined)
      at(['schemaId'], `unknown tool schemaId ${JSON.stringify(ref.schemaId)}; tools: ${names}`);
    else at(['name'], `unknown tool ${JSON.stringify(ref.name)}; tools: ${names}`);
    return undefined;
  }
  if (ref.schemaId !== undefined && ref.name !== undefined && ref.name !== found.name) {
    at(
      ['name'],
      `name ${JSON.stringify(ref.name)} does not match schemaId ${ref.schemaId} (${JSON.stringify(found.name)})`,
    );
    return undefined;
  }
  return found;
}

/** The replies an answer references, with their JSON paths below `messageEvaluationTask.data`. */
export function referencedReplies(v: MessageTaskValue): { ref: ReplyRef; path: (string | number)[] }[] {
  switch (v.format) {
    case 'message-single-selection':
      return [{ ref: v.selected, path: [] }];
    case 'message-multi-selection':
      return v.selected.map((ref, i) => ({ ref, path: ['selectedMessages', i] }));
    case 'message-ranking':
      return v.ranked.map((ref, i) => ({ ref, path: ['rankedMessages', i] }));
  }
}

/**
 * Checks an answer against the row's conversation. `graph` undefined: the row is no v2
 * conversation (a v1 row or an https URL, whose messages are unknown to prefer).
 */
export function checkTaskOnGraph(
  v: MessageTaskValue,
  graph: MmcGraph | undefined,
  line: number | undefined,
  base: (string | number)[] = [],
): Fault[] {
  const faults: Fault[] = [];
  const at = (path: (string | number)[], message: string) =>
    faults.push({ ...(line === undefined ? {} : { line }), path: formatPath([...base, ...path]), message });
  if (!graph) {
    at(
      ['messageEvaluationTask'],
      'message tools answer about a multimodal chat (conversation v2) row; this data row is not one',
    );
    return faults;
  }
  const data = ['messageEvaluationTask', 'data'];
  const parent = graph.messages.get(v.parentMessageId);
  if (!parent) {
    at([...data, 'parentMessageId'], `unknown message id ${JSON.stringify(v.parentMessageId)}`);
    return faults;
  }
  if (parent.role !== 'human') {
    at(
      [...data, 'parentMessageId'],
      `message ${JSON.stringify(v.parentMessageId)} is a model reply; parentMessageId is the human prompt whose replies are compared`,
    );
    return faults;
  }
  for (const { ref, path } of referencedReplies(v)) {
    const reply = graph.messages.get(ref.messageId);
    if (!parent.children.includes(ref.messageId)) {
      at(
        [...data, ...path, 'messageId'],
        `message ${JSON.stringify(ref.messageId)} is not a reply to ${JSON.stringify(v.parentMessageId)} (its childMessageIds: ${parent.children.map((c) => JSON.stringify(c)).join(', ') || 'none'})`,
      );
    } else if (reply?.role !== 'model') {
      at([...data, ...path, 'messageId'], `message ${JSON.stringify(ref.messageId)} is not a model reply`);
    } else if (reply.modelConfigName !== ref.modelConfigName) {
      at(
        [...data, ...path, 'modelConfigName'],
        `message ${JSON.stringify(ref.messageId)} is by ${JSON.stringify(reply.modelConfigName)}, not ${JSON.stringify(ref.modelConfigName)}`,
      );
    }
  }
  return faults;
}

/** One tool answer as the export v2 object (spec §4.2): JSON text, key order as Labelbox's. */
export function renderMessageTask(v: MessageTaskValue): string {
  return JSON.stringify(messageTaskObject(v));
}

export function messageTaskObject(v: MessageTaskValue): object {
  const head = {
    feature_id: v.featureId,
    feature_schema_id: v.featureSchemaId,
    name: v.name,
    annotation_kind: MESSAGE_ANNOTATION_KINDS[v.format],
    // Nested answers on tools are not imported (the SDK has none): always empty, as Labelbox's.
    classifications: [],
  };
  switch (v.format) {
    case 'message-single-selection':
      return {
        ...head,
        selected_message: {
          message_id: v.selected.messageId,
          model_config_name: v.selected.modelConfigName,
          parent_message_id: v.parentMessageId,
        },
      };
    case 'message-multi-selection':
      return {
        ...head,
        selected_messages: {
          messages: v.selected.map((m) => ({
            message_id: m.messageId,
            model_config_name: m.modelConfigName,
          })),
          parent_message_id: v.parentMessageId,
        },
      };
    case 'message-ranking':
      return {
        ...head,
        ranked_messages: {
          ranked_messages: v.ranked.map((m) => ({
            message_id: m.messageId,
            model_config_name: m.modelConfigName,
            order: m.order,
          })),
          parent_message_id: v.parentMessageId,
        },
      };
  }
}

/** The stored `annotations` document around rendered objects and classifications. */
export function annotationsWithObjects(
  objects: readonly string[],
  classifications: readonly string[],
): string {
  return `{"objects":[${objects.join(',')}],"classifications":[${classifications.join(',')}],"relationships":[]}`;
}

/** The graph of a stored row's `row_data` when it is a v2 conversation (validated at import). */
export function graphOfRowData(rowData: string): MmcGraph | undefined {
  if (!rowData.startsWith('{')) return undefined;
  const value = JSON.parse(rowData) as unknown;
  return isConversationV2(value) ? mmcGraph(value as ConversationV2) : undefined;
}
