/**
 * The conversation of a data row (`row_data`, Labelbox's conversational JSON) as chat messages
 * and model outputs. Roles are not in the format, so they are derived: a speaker named or id'd
 * `system` is the system; otherwise `align: "right"` is the user and `"left"` the assistant (how
 * the Labelbox editor and prefer's demo draw them); without `align`, the first speaker is the user
 * and any other the assistant. `roles` in the mapping file overrides this per `user.userId`.
 */
import { lineError } from '../errors.ts';
import type { Message, ModelOutput, Role } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readConversation(
  rowData: unknown,
  line: number,
  roles: Readonly<Record<string, Role>> = {},
): { prompt: Message[]; outputs: ModelOutput[] } {
  let conv: unknown = rowData;
  if (typeof rowData === 'string') {
    if (!rowData.trimStart().startsWith('{')) {
      lineError(
        line,
        `data_row.row_data is not an inline conversation (${rowData.slice(0, 80)}); export a project whose conversations were imported inline`,
      );
    }
    try {
      conv = JSON.parse(rowData);
    } catch {
      lineError(line, 'data_row.row_data is not valid JSON');
    }
  }
  if (!isObj(conv)) lineError(line, 'data_row.row_data: expected a conversation object');
  const messages = conv.messages;
  if (!Array.isArray(messages)) lineError(line, 'data_row.row_data.messages: expected a list');
  let firstSpeaker: string | undefined;
  const prompt = messages.map((m, i): Message => {
    const at = `data_row.row_data.messages[${i}]`;
    if (!isObj(m) || typeof m.content !== 'string') lineError(line, `${at}.content: expected a string`);
    const user = isObj(m.user) ? m.user : {};
    const id = typeof user.userId === 'string' ? user.userId : '';
    const name = typeof user.name === 'string' ? user.name : '';
    firstSpeaker ??= id;
    return { role: roleOf(id, name, m.align, firstSpeaker, roles), content: m.content };
  });
  const rawOutputs = conv.modelOutputs ?? [];
  if (!Array.isArray(rawOutputs)) lineError(line, 'data_row.row_data.modelOutputs: expected a list');
  const outputs = rawOutputs.map((o, i): ModelOutput => {
    const at = `data_row.row_data.modelOutputs[${i}]`;
    if (!isObj(o) || typeof o.title !== 'string' || typeof o.content !== 'string') {
      lineError(line, `${at}: expected { title, content, modelConfigName }`);
    }
    const model =
      typeof o.modelConfigName === 'string' && o.modelConfigName !== '' ? o.modelConfigName : o.title;
    return { title: o.title, model, content: o.content };
  });
  return { prompt, outputs };
}

function roleOf(
  id: string,
  name: string,
  align: unknown,
  firstSpeaker: string,
  roles: Readonly<Record<string, Role>>,
): Role {
  const given = roles[id];
  if (given) return given;
  if (id.toLowerCase() === 'system' || name.toLowerCase() === 'system') return 'system';
  if (align === 'right') return 'user';
  if (align === 'left') return 'assistant';
  return id === firstSpeaker ? 'user' : 'assistant';
}
