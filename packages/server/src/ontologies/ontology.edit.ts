/**
 * Editing an ontology in use: the new ontology is given whole (as `POST /ontologies` takes it);
 * classifications and options keep their `featureSchemaId`s, new ones get fresh ids. Adding
 * questions and options is always allowed. Removing a node, or changing its name, value or type,
 * is allowed only while no label answers it: else a CONFLICT names the node and the labels
 * (stored answers carry the node's name, so a rename would leave them saying something else).
 */
import type { NormalizedClassification, NormalizedOntology } from '@prefer/schemas';
import type { Actor } from '../orgs/actor.ts';
import { AppError, describeFaults, notFound } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { readStoredOntology } from './ontology.index.ts';
import { parseOntology } from './ontology.normalize.ts';

interface NodeInfo {
  path: string;
  /** What answers store of it: a classification's name and type, an option's value. */
  identity: string;
}

function nodes(ontology: NormalizedOntology): Map<string, NodeInfo> {
  const out = new Map<string, NodeInfo>();
  const walk = (list: NormalizedClassification[], path: string) => {
    list.forEach((c, i) => {
      const at = `${path}[${i}]`;
      out.set(c.featureSchemaId, {
        path: `${at} (${JSON.stringify(c.name)})`,
        identity: `${c.type}\u0000${c.name}`,
      });
      c.options.forEach((o, j) => {
        out.set(o.featureSchemaId, {
          path: `${at}.options[${j}] (${JSON.stringify(o.value)})`,
          identity: o.value,
        });
        walk(o.options, `${at}.options[${j}].options`);
      });
    });
  };
  walk(ontology.classifications, '$.classifications');
  return out;
}

export async function editOntology(
  store: Store,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; ontology?: unknown },
  now = Date.now(),
): Promise<void> {
  const current = await store.db
    .selectFrom('ontologies')
    .where('org_id', '=', actor.orgId)
    .where('id', '=', id)
    .select(['normalized'])
    .executeTakeFirst();
  if (!current) throw notFound('ontology', id);
  const name = input.name === undefined ? undefined : input.name.trim();
  if (name === '') {
    throw new AppError('VALIDATION_FAILED', 'name: an ontology needs a name', [
      { path: '$.name', message: 'must be a non-empty string' },
    ]);
  }
  if (name === undefined && input.ontology === undefined) {
    throw new AppError('VALIDATION_FAILED', '$: nothing to change: give name or ontology', [
      { path: '$', message: 'nothing to change: give name or ontology' },
    ]);
  }
  let normalized: NormalizedOntology | undefined;
  if (input.ontology !== undefined) {
    const parsed = parseOntology(input.ontology);
    if (!parsed.ok) {
      throw new AppError(
        'VALIDATION_FAILED',
        `invalid ontology:\n${describeFaults(parsed.faults)}`,
        parsed.faults,
      );
    }
    normalized = parsed.ontology;
  }
  await store.write(async (tx) => {
    if (normalized) {
      const before = nodes(readStoredOntology(current.normalized));
      const after = nodes(normalized);
      const changed = [...before].filter(([fsid, node]) => after.get(fsid)?.identity !== node.identity);
      const conflicts: string[] = [];
      for (const [fsid, node] of changed) {
        const labels = await tx
          .selectFrom('labels')
          .innerJoin('projects', 'projects.id', 'labels.project_id')
          .where('projects.ontology_id', '=', id)
          .where('labels.annotations', 'like', `%"${fsid}"%`)
          .select('labels.id')
          .orderBy('labels.id')
          .limit(11)
          .execute();
        if (labels.length === 0) continue;
        const ids = labels.slice(0, 10).map((l) => l.id);
        const what = after.has(fsid) ? 'renamed' : 'removed';
        conflicts.push(
          `${node.path} cannot be ${what}: labels ${ids.join(', ')}${labels.length > 10 ? ' and more' : ''} answer it`,
        );
      }
      if (conflicts.length > 0) {
        throw new AppError('CONFLICT', `the ontology is in use: ${conflicts.join('; ')}`, { conflicts });
      }
    }
    await tx
      .updateTable('ontologies')
      .set({
        ...(name === undefined ? {} : { name }),
        ...(normalized ? { normalized: JSON.stringify(normalized) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  });
}
