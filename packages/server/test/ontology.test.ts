import { CANONICAL_PREFERENCE_ONTOLOGY, type NormalizedOntology } from '@prefer/schemas';
import { describe, expect, it } from 'vitest';
import { findClassification, findOption, indexOntology } from '../src/ontologies/ontology.index.ts';
import { parseOntology } from '../src/ontologies/ontology.normalize.ts';
import { createOntology, getOntology, loadOntologyIndex } from '../src/ontologies/ontology.service.ts';
import { AppError, type Fault } from '../src/shared/errors.ts';
import { ID_PATTERN } from '../src/shared/ids.ts';
import { describeBackends } from './support/backends.ts';
import { seedActor } from './support/seed-rows.ts';

const radio = (name: string, values: string[], extra: Record<string, unknown> = {}) => ({
  type: 'radio',
  name,
  options: values.map((value) => ({ value })),
  ...extra,
});

function faultsOf(value: unknown): Fault[] {
  const parsed = parseOntology(value);
  if (parsed.ok) throw new Error('expected the ontology to be refused');
  return parsed.faults;
}

const paths = (faults: Fault[]) => faults.map((f) => f.path);

describe('ontology validation', () => {
  it('accepts the canonical preference ontology and fills defaults', () => {
    const parsed = parseOntology(CANONICAL_PREFERENCE_ONTOLOGY);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [choice, reason, checks] = parsed.ontology.classifications;
    expect(choice).toMatchObject({
      type: 'radio',
      name: 'Choose the best response',
      required: true,
      scope: 'global',
    });
    expect(choice!.options.map((o) => o.value)).toEqual(['Response A', 'Response B', 'Tie']);
    expect(reason).toMatchObject({ type: 'text', name: 'Provide a reason for your choice', options: [] });
    expect(checks!.options.map((o) => o.value)).toEqual([
      'Relevance',
      'Usefulness',
      'Toxicity',
      'Factuality',
    ]);
  });

  it('fills scope, required, instructions and label when absent', () => {
    const parsed = parseOntology({ classifications: [radio('Q', ['a'])] });
    if (!parsed.ok) throw new Error('refused');
    const q = parsed.ontology.classifications[0]!;
    expect(q).toMatchObject({ scope: 'global', required: false, instructions: 'Q' });
    expect(q.options[0]).toMatchObject({ value: 'a', label: 'a', options: [] });
    expect(parsed.ontology.tools).toEqual([]);
  });

  it('refuses radio and checklist without options, and text with options', () => {
    const faults = faultsOf({
      classifications: [
        { type: 'radio', name: 'r', options: [] },
        { type: 'checklist', name: 'c' },
        { type: 'text', name: 't', options: [{ value: 'x' }] },
      ],
    });
    expect(paths(faults)).toEqual([
      '$.classifications[0].options',
      '$.classifications[1].options',
      '$.classifications[2].options',
    ]);
    expect(faults[0]!.message).toMatch(/at least 1 option/);
    expect(faults[2]!.message).toMatch(/text classification has no options/);
  });

  it('refuses duplicate option values with the path of the second', () => {
    const faults = faultsOf({ classifications: [radio('Q', ['a', 'b', 'a'])] });
    expect(faults).toEqual([
      { path: '$.classifications[0].options[2].value', message: 'duplicate option value "a"' },
    ]);
  });

  it('refuses an option label equal to another option value (answers name either)', () => {
    const faults = faultsOf({
      classifications: [{ type: 'radio', name: 'Q', options: [{ value: 'a' }, { value: 'b', label: 'a' }] }],
    });
    expect(paths(faults)).toEqual(['$.classifications[0].options[1].label']);
  });

  it('refuses duplicate classification names among siblings, top level and nested', () => {
    const nested = { value: 'a', options: [radio('N', ['x']), radio('N', ['y'])] };
    const faults = faultsOf({
      classifications: [radio('Q', ['z']), { type: 'radio', name: 'Q', options: [nested] }],
    });
    expect(paths(faults).sort()).toEqual([
      '$.classifications[1].name',
      '$.classifications[1].options[0].options[1].name',
    ]);
  });

  it('allows the same name under different parents', () => {
    const parsed = parseOntology({
      classifications: [
        { type: 'radio', name: 'Q', options: [{ value: 'a', options: [radio('N', ['x'])] }] },
        { type: 'radio', name: 'P', options: [{ value: 'a', options: [radio('N', ['x'])] }] },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it('refuses unknown types, scopes, keys, empty names and tools', () => {
    const faults = faultsOf({
      tools: [{ tool: 'bbox' }],
      classifications: [
        { type: 'slider', name: 'a', options: [] },
        { type: 'text', name: ' ', scope: 'message' },
        { type: 'text', name: 'b', requried: true },
      ],
    });
    // prefer's tools are the message tools of multimodal chat evaluation (mmc-data.test.ts).
    expect(paths(faults)).toEqual([
      '$.tools[0].tool',
      '$.tools[0].name',
      '$.classifications[0].type',
      '$.classifications[1].name',
      '$.classifications[1].scope',
      '$.classifications[2].requried',
    ]);
  });

  it('refuses a message-scoped nested classification', () => {
    const faults = faultsOf({
      classifications: [
        {
          type: 'radio',
          name: 'Q',
          options: [{ value: 'a', options: [{ type: 'text', name: 'T', scope: 'index' }] }],
        },
      ],
    });
    expect(paths(faults)).toEqual(['$.classifications[0].options[0].options[0].scope']);
  });

  it('refuses featureSchemaIds that are not cuids or used twice', () => {
    const id = 'clp8fepqc02nd071phl4tck59';
    const faults = faultsOf({
      classifications: [
        radio('Q', [], { options: [{ value: 'a', featureSchemaId: id }], featureSchemaId: 'nope' }),
        radio('P', ['b'], { featureSchemaId: id }),
      ],
    });
    expect(paths(faults)).toEqual([
      '$.classifications[0].featureSchemaId',
      '$.classifications[1].featureSchemaId',
    ]);
    expect(faults[1]!.message).toMatch(/used by another node/);
  });

  it('keeps given featureSchemaIds and schemaNodeIds and assigns the rest', () => {
    const given = 'clp8fepqc02nd071phl4tck59';
    const parsed = parseOntology({
      classifications: [
        radio('Q', [], {
          featureSchemaId: given,
          schemaNodeId: 'node-1',
          options: [{ value: 'a', options: [{ type: 'text', name: 'why' }] }, { value: 'b' }],
        }),
      ],
    });
    if (!parsed.ok) throw new Error('refused');
    const q = parsed.ontology.classifications[0]!;
    expect(q.featureSchemaId).toBe(given);
    expect(q.schemaNodeId).toBe('node-1');
    const ids = [
      q.options[0]!.featureSchemaId,
      q.options[1]!.featureSchemaId,
      q.options[0]!.options[0]!.featureSchemaId,
    ];
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect(new Set([given, ...ids]).size).toBe(4);
  });
});

describe('ontology index', () => {
  const ontology: NormalizedOntology = {
    tools: [],
    classifications: [
      {
        featureSchemaId: 'c1',
        type: 'radio',
        name: 'Q',
        instructions: 'Q',
        required: false,
        scope: 'global',
        options: [
          {
            featureSchemaId: 'o1',
            value: 'a',
            label: 'Answer A',
            options: [
              {
                featureSchemaId: 'n1',
                type: 'text',
                name: 'why',
                instructions: '',
                required: false,
                scope: 'global',
                options: [],
              },
            ],
          },
        ],
      },
    ],
  };
  const index = indexOntology(ontology);

  it('finds questions by name or schemaId and options by value, label or schemaId', () => {
    const q = findClassification(index.classifications, { name: 'Q' })!;
    expect(findClassification(index.classifications, { schemaId: 'c1' })).toBe(q);
    expect(findClassification(index.classifications, { name: 'nope' })).toBeUndefined();
    const a = findOption(q, { name: 'a' })!;
    expect(findOption(q, { name: 'Answer A' })).toBe(a);
    expect(findOption(q, { schemaId: 'o1' })).toBe(a);
    expect(a.exportName).toBe('Answer A');
    expect(findClassification(a.classifications, { name: 'why' })?.featureSchemaId).toBe('n1');
    expect(index.byFeatureSchemaId.get('n1')?.kind).toBe('classification');
    expect(index.byFeatureSchemaId.get('o1')).toMatchObject({ kind: 'option', parent: q });
  });
});

describeBackends('ontology service', (ctx) => {
  it('indexes an ontology once, and again as soon as its stored text changes', async () => {
    const actor = await seedActor(ctx.store);
    const { id, normalized } = await createOntology(ctx.store, actor, {
      name: 'Indexed',
      ontology: CANONICAL_PREFERENCE_ONTOLOGY,
    });
    const first = await loadOntologyIndex(ctx.store.db, actor.orgId, id);
    expect(await loadOntologyIndex(ctx.store.db, actor.orgId, id)).toBe(first);
    expect(first.classifications.byName.has('Choose the best response')).toBe(true);
    // The stored text changes (as an edit would): the next read indexes the new text.
    const renamed = {
      ...normalized,
      classifications: normalized.classifications.map((c, i) => (i === 0 ? { ...c, name: 'Pick one' } : c)),
    };
    await ctx.store.db
      .updateTable('ontologies')
      .set({ normalized: JSON.stringify(renamed) })
      .where('id', '=', id)
      .execute();
    const second = await loadOntologyIndex(ctx.store.db, actor.orgId, id);
    expect(second).not.toBe(first);
    expect(second.classifications.byName.has('Pick one')).toBe(true);
    expect(second.classifications.byName.has('Choose the best response')).toBe(false);
    // Another organization still gets NOT_FOUND, cached index or not.
    const stranger = await seedActor(ctx.store);
    await expect(loadOntologyIndex(ctx.store.db, stranger.orgId, id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('stores the normalized ontology and reads it back', async () => {
    const actor = await seedActor(ctx.store);
    const created = await createOntology(ctx.store, actor, {
      name: 'Preference',
      ontology: CANONICAL_PREFERENCE_ONTOLOGY,
    });
    expect(created.id).toMatch(ID_PATTERN);
    const read = await getOntology(ctx.store, actor, created.id);
    expect(read.name).toBe('Preference');
    expect(read.normalized).toEqual(created.normalized);
    const stored = await ctx.store.db
      .selectFrom('ontologies')
      .where('id', '=', created.id)
      .select('normalized')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(stored.normalized)).toEqual(created.normalized);
  });

  it('refuses an invalid ontology with VALIDATION_FAILED faults and stores nothing', async () => {
    const actor = await seedActor(ctx.store);
    const error = await createOntology(ctx.store, actor, {
      name: 'bad',
      ontology: {
        classifications: [
          radio('Q', ['a']),
          { type: 'radio', name: 'R', options: [{ value: 'x' }, { value: 'x' }] },
        ],
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect((error as AppError).details).toEqual([
      { path: '$.classifications[1].options[1].value', message: 'duplicate option value "x"' },
    ]);
    const rows = await ctx.store.db
      .selectFrom('ontologies')
      .where('org_id', '=', actor.orgId)
      .select('id')
      .execute();
    expect(rows).toEqual([]);
  });

  it("answers another organization's ontology as not found", async () => {
    const owner = await seedActor(ctx.store);
    const other = await seedActor(ctx.store);
    const { id } = await createOntology(ctx.store, owner, {
      name: 'o',
      ontology: CANONICAL_PREFERENCE_ONTOLOGY,
    });
    await expect(getOntology(ctx.store, other, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
