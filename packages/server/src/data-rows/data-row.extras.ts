/**
 * Metadata schemas and embeddings named by import records: looked up once per import (cached,
 * so a million rows naming the same field cost one query) and created inside the import's
 * transaction when new, so a rolled-back import leaves none behind.
 */
import type { MetadataFieldSpec } from '@prefer/schemas';
import { newId } from '../shared/ids.ts';
import { parseIsoWithOffset } from '../shared/time.ts';
import type { MetadataKind } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';

interface MetadataSchema {
  id: string;
  name: string;
  kind: MetadataKind;
  options: { id: string; name: string }[];
}

export type ResolvedMetadata =
  | { ok: true; schemaId: string; value: string }
  | { ok: false; at: '' | '.schema_id' | '.value'; message: string };

export type ResolvedEmbedding = { ok: true; embeddingId: string } | { ok: false; message: string };

export class ExtrasResolver {
  readonly #byId = new Map<string, MetadataSchema | null>();
  readonly #byName = new Map<string, MetadataSchema>();
  readonly #embeddings = new Map<string, { id: string; dimensions: number }>();

  constructor(
    private readonly tx: Tx,
    private readonly orgId: string,
  ) {}

  async metadataValue(field: MetadataFieldSpec): Promise<ResolvedMetadata> {
    let schema: MetadataSchema | null;
    if (field.schema_id !== undefined) {
      schema = await this.#schemaById(field.schema_id);
      if (!schema) {
        return { ok: false, at: '.schema_id', message: `metadata schema ${field.schema_id} not found` };
      }
    } else {
      schema = await this.#schemaByName(field.name!);
    }
    const checked = checkValue(schema, field.value);
    return typeof checked === 'string'
      ? { ok: true, schemaId: schema.id, value: checked }
      : { ok: false, at: '.value', message: checked.message };
  }

  async embedding(name: string, dimensions: number): Promise<ResolvedEmbedding> {
    let found = this.#embeddings.get(name);
    if (!found) {
      const select = () =>
        this.tx
          .selectFrom('embeddings')
          .where('org_id', '=', this.orgId)
          .where('name', '=', name)
          .select(['id', 'dimensions'])
          .executeTakeFirst();
      found = await select();
      if (!found) {
        await this.tx
          .insertInto('embeddings')
          .values({ id: newId(), org_id: this.orgId, name, dimensions, is_custom: 1 })
          .onConflict((oc) => oc.doNothing())
          .execute();
        found = (await select())!;
      }
      this.#embeddings.set(name, found);
    }
    if (found.dimensions !== dimensions) {
      return {
        ok: false,
        message: `vector has ${dimensions} dimensions; embedding ${JSON.stringify(name)} has ${found.dimensions}`,
      };
    }
    return { ok: true, embeddingId: found.id };
  }

  async #schemaById(id: string): Promise<MetadataSchema | null> {
    if (this.#byId.has(id)) return this.#byId.get(id)!;
    const row = await this.#select('id', id);
    this.#byId.set(id, row);
    if (row) this.#byName.set(row.name, row);
    return row;
  }

  async #schemaByName(name: string): Promise<MetadataSchema> {
    const cached = this.#byName.get(name);
    if (cached) return cached;
    let row = await this.#select('name', name);
    if (!row) {
      // A new name becomes a string field, the one kind any value can be written as.
      await this.tx
        .insertInto('metadata_schemas')
        .values({ id: newId(), org_id: this.orgId, name, kind: 'string', options: null })
        .onConflict((oc) => oc.doNothing())
        .execute();
      row = (await this.#select('name', name))!;
    }
    this.#byName.set(name, row);
    this.#byId.set(row.id, row);
    return row;
  }

  async #select(column: 'id' | 'name', value: string): Promise<MetadataSchema | null> {
    const row = await this.tx
      .selectFrom('metadata_schemas')
      .where('org_id', '=', this.orgId)
      .where(column, '=', value)
      .select(['id', 'name', 'kind', 'options'])
      .executeTakeFirst();
    if (!row) return null;
    const options = row.options ? (JSON.parse(row.options) as { id: string; name: string }[]) : [];
    return { id: row.id, name: row.name, kind: row.kind, options };
  }
}

/** The value as stored (see MetadataValueTable), or why it does not fit the schema's kind. */
function checkValue(schema: MetadataSchema, value: string | number): string | { message: string } {
  const field = `metadata field ${JSON.stringify(schema.name)}`;
  switch (schema.kind) {
    case 'string':
      return typeof value === 'string'
        ? value
        : { message: `${field} is a string field: value must be a string` };
    case 'number':
      return typeof value === 'number'
        ? String(value)
        : { message: `${field} is a number field: value must be a number` };
    case 'datetime': {
      const ms = typeof value === 'string' ? parseIsoWithOffset(value) : undefined;
      return ms === undefined
        ? {
            message: `${field} is a datetime field: value must be an ISO-8601 time with an offset, e.g. 2024-01-31T12:00:00Z`,
          }
        : new Date(ms).toISOString();
    }
    case 'enum': {
      const option = schema.options.find((o) => o.name === value || o.id === value);
      return option
        ? option.id
        : {
            message: `${field} is an enum field: value must be one of ${schema.options.map((o) => JSON.stringify(o.name)).join(', ')}`,
          };
    }
    default: {
      const never: never = schema.kind;
      return { message: `${field} has an unknown kind ${String(never)}` };
    }
  }
}
