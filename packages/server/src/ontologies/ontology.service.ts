/** Ontologies: the questions of a project, stored normalized (every node with a featureSchemaId). */
import type { NormalizedOntology } from '@prefer/schemas';
import type { Actor } from '../orgs/actor.ts';
import { afterKey, decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
import { AppError, describeFaults, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { prepared } from '../store/prepared.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { indexOntology, type OntologyIndex, readStoredOntology } from './ontology.index.ts';
import { parseOntology } from './ontology.normalize.ts';

export interface OntologyRecord {
  id: string;
  name: string;
  normalized: NormalizedOntology;
  createdAt: number;
  updatedAt: number;
}

export async function createOntology(
  store: Store,
  actor: Actor,
  input: { name: string; ontology: unknown },
): Promise<{ id: string; normalized: NormalizedOntology }> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') {
    throw new AppError('VALIDATION_FAILED', 'name: an ontology needs a name', [
      { path: '$.name', message: 'must be a non-empty string' },
    ]);
  }
  const parsed = parseOntology(input.ontology);
  if (!parsed.ok) {
    throw new AppError(
      'VALIDATION_FAILED',
      `invalid ontology:\n${describeFaults(parsed.faults)}`,
      parsed.faults,
    );
  }
  const now = Date.now();
  const id = newId(now);
  await store.write((tx) =>
    tx
      .insertInto('ontologies')
      .values({
        id,
        org_id: actor.orgId,
        name,
        normalized: JSON.stringify(parsed.ontology),
        created_at: now,
        updated_at: now,
      })
      .execute(),
  );
  return { id, normalized: parsed.ontology };
}

export async function getOntology(store: Store, actor: Actor, id: string): Promise<OntologyRecord> {
  const row = await store.db
    .selectFrom('ontologies')
    .where('org_id', '=', actor.orgId)
    .where('id', '=', id)
    .select(['id', 'name', 'normalized', 'created_at', 'updated_at'])
    .executeTakeFirst();
  // Another organization's ontology is answered exactly like a missing one.
  if (!row) throw notFound('ontology', id);
  return {
    id: row.id,
    name: row.name,
    normalized: readStoredOntology(row.normalized),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One page of the organization's ontologies, oldest first (keyset on `created_at`, id). */
export async function listOntologyPage(
  store: Store,
  actor: Actor,
  page: PageRequest,
): Promise<Page<OntologyRecord>> {
  let query = store.db
    .selectFrom('ontologies')
    .where('org_id', '=', actor.orgId)
    .select(['id', 'name', 'normalized', 'created_at', 'updated_at'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (page.cursor !== undefined) {
    const [at, id] = decodeCursor(page.cursor, ['number', 'string']) as [number, string];
    query = query.where((e) => afterKey(e, 'created_at', 'id', [at, id]));
  }
  const rows = await query.execute();
  return pageFrom(
    rows,
    page.limit,
    (r) => [Number(r.created_at), r.id],
    (r) => ({
      id: r.id,
      name: r.name,
      normalized: readStoredOntology(r.normalized),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }),
  );
}

/** Throws NOT_FOUND unless the ontology exists in the organization. */
export async function requireOntology(db: Db | Tx, orgId: string, id: string): Promise<{ id: string }> {
  const row = await db
    .selectFrom('ontologies')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .select('id')
    .executeTakeFirst();
  if (!row) throw notFound('ontology', id);
  return row;
}

/** The index of an ontology of the organization, for validating answers; NOT_FOUND otherwise. */
export async function loadOntologyIndex(db: Db | Tx, orgId: string, id: string): Promise<OntologyIndex> {
  const row = await normalizedOntology.first(db, { orgId, id });
  if (!row) throw notFound('ontology', id);
  const known = indexes.get(id);
  if (known?.text === row.normalized) return known.index;
  const index = indexOntology(readStoredOntology(row.normalized));
  indexes.delete(id);
  if (indexes.size >= INDEXES_KEPT) indexes.delete(indexes.keys().next().value!);
  indexes.set(id, { text: row.normalized, index });
  return index;
}

/**
 * Indexes built lately, with the stored text each came from: every submit reads the text (an
 * edit counts at once) and parses and indexes it only when it changed. Indexes are read-only.
 */
const indexes = new Map<string, { text: string; index: OntologyIndex }>();
const INDEXES_KEPT = 64;

// Every submit reads it: built and compiled once (store/prepared.ts).
const normalizedOntology = prepared((db, p: { orgId: string; id: string }) =>
  db.selectFrom('ontologies').where('org_id', '=', p.orgId).where('id', '=', p.id).select('normalized'),
);
