/**
 * Parquet columns in the layout Hugging Face `datasets` reads back as its own features: a chat
 * is `list<struct<content: string, role: string>>` (TRL's conversational columns), nested
 * records (prefer's labels, reviews) are JSON text, everything else a plain optional column.
 */
import type { ParquetWriter } from 'hyparquet-writer';

// The writer's own schema type (it bundles its own hyparquet, whose types may differ from ours).
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export type ColumnKind = 'string' | 'messages' | 'bool' | 'double' | 'int' | 'json';

const utf8 = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

export function parquetSchema(columns: readonly [string, ColumnKind][]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'schema', num_children: columns.length }];
  for (const [name, kind] of columns) {
    switch (kind) {
      case 'string':
      case 'json':
        schema.push(utf8(name));
        break;
      case 'bool':
        schema.push({ name, type: 'BOOLEAN', repetition_type: 'OPTIONAL' });
        break;
      case 'double':
        schema.push({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
        break;
      case 'int':
        schema.push({ name, type: 'INT64', repetition_type: 'OPTIONAL' });
        break;
      case 'messages':
        schema.push(
          { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
          utf8('content'),
          utf8('role'),
        );
        break;
      default: {
        const never: never = kind;
        throw new Error(`unknown column kind ${never}`);
      }
    }
  }
  return schema;
}

/** A record's value as the column stores it. */
export function cell(kind: ColumnKind, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'json':
      return JSON.stringify(value);
    case 'int':
      return BigInt(Math.round(value as number));
    case 'messages':
      return (value as { role: string; content: string }[]).map((m) => ({
        content: m.content,
        role: m.role,
      }));
    default:
      return value;
  }
}
