/**
 * The message tools' answers in the form's answers (one key per tool and prompt, beside the
 * questions' keys) and their translations: to a submit's `annotations` (the shape the server's
 * label import takes, without `dataRow`), from a stored label's `objects` (export v2 form), and
 * the required-tool check, which mirrors the server's: a required tool answers every prompt with
 * two or more model replies.
 *
 * Values: single selection, the reply id; multi selection, the reply ids; ranking, the reply ids
 * best first (absent until the labeler ranks: a ranking is never assumed from the shown order).
 */
import type { MessageTaskAnswer, NormalizedTool } from '@prefer/schemas';
import type { Answers } from '../answers.ts';
import { comparedTurns, type Thread } from './thread.ts';

export type Tool = NormalizedTool;

export const toolKey = (toolId: string, promptId: string) => `@tool|${toolId}|${promptId}`;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** The submit's `annotations`: per compared prompt, its tools in the ontology's order. */
export function toAnnotations(tools: readonly Tool[], thread: Thread, answers: Answers): MessageTaskAnswer[] {
  const out: MessageTaskAnswer[] = [];
  for (const turn of comparedTurns(thread)) {
    const parentMessageId = turn.prompt.id;
    const reply = new Map(turn.replies.map((r) => [r.id, r]));
    const ref = (id: string) => ({ messageId: id, modelConfigName: reply.get(id)?.modelConfigName ?? '' });
    for (const tool of tools) {
      const v = answers[toolKey(tool.featureSchemaId, parentMessageId)];
      const schemaId = tool.featureSchemaId;
      switch (tool.tool) {
        case 'message-single-selection':
          if (typeof v === 'string' && reply.has(v)) {
            out.push({
              schemaId,
              messageEvaluationTask: { format: tool.tool, data: { ...ref(v), parentMessageId } },
            });
          }
          break;
        case 'message-multi-selection': {
          // In the row's order, whatever order they were ticked in.
          const chosen = turn.replies.filter((r) => list(v).includes(r.id)).map((r) => ref(r.id));
          if (chosen.length > 0) {
            out.push({
              schemaId,
              messageEvaluationTask: {
                format: tool.tool,
                data: { parentMessageId, selectedMessages: chosen },
              },
            });
          }
          break;
        }
        case 'message-ranking': {
          const ranked = list(v).filter((id) => reply.has(id));
          if (ranked.length > 0) {
            out.push({
              schemaId,
              messageEvaluationTask: {
                format: tool.tool,
                data: {
                  parentMessageId,
                  rankedMessages: ranked.map((id, i) => ({ ...ref(id), order: i + 1 })),
                },
              },
            });
          }
          break;
        }
      }
    }
  }
  return out;
}

/** Required tools left unanswered, by answer key. */
export function missingTools(tools: readonly Tool[], thread: Thread, answers: Answers): Set<string> {
  const missing = new Set<string>();
  for (const turn of comparedTurns(thread)) {
    for (const tool of tools) {
      const key = toolKey(tool.featureSchemaId, turn.prompt.id);
      const v = answers[key];
      if (tool.required && (v === undefined || v.length === 0)) missing.add(key);
    }
  }
  return missing;
}

interface StoredObject {
  name?: string;
  feature_schema_id?: string;
  selected_message?: { message_id?: string; parent_message_id?: string };
  selected_messages?: { messages?: { message_id?: string }[]; parent_message_id?: string };
  ranked_messages?: {
    ranked_messages?: { message_id?: string; order?: number }[];
    parent_message_id?: string;
  };
}

/** A stored label's tool objects (export v2 form) as form answers. */
export function fromStoredObjects(tools: readonly Tool[], objects: readonly unknown[] | undefined): Answers {
  const out: Answers = {};
  for (const o of (objects ?? []) as StoredObject[]) {
    const tool = tools.find((t) =>
      o.feature_schema_id !== undefined ? t.featureSchemaId === o.feature_schema_id : t.name === o.name,
    );
    if (!tool) continue;
    const key = (parent: string | undefined) => (parent ? toolKey(tool.featureSchemaId, parent) : undefined);
    if (o.selected_message?.message_id) {
      const k = key(o.selected_message.parent_message_id);
      if (k) out[k] = o.selected_message.message_id;
    } else if (o.selected_messages) {
      const k = key(o.selected_messages.parent_message_id);
      if (k) out[k] = list((o.selected_messages.messages ?? []).map((m) => m.message_id));
    } else if (o.ranked_messages) {
      const k = key(o.ranked_messages.parent_message_id);
      const ranked = [...(o.ranked_messages.ranked_messages ?? [])].sort(
        (a, b) => (a.order ?? 0) - (b.order ?? 0),
      );
      if (k) out[k] = list(ranked.map((m) => m.message_id));
    }
  }
  return out;
}
