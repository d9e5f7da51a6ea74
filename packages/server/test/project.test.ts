import { CANONICAL_PREFERENCE_ONTOLOGY } from '@prefer/schemas';
import { expect, it } from 'vitest';
import { createOntology } from '../src/ontologies/ontology.service.ts';
import { createProject, getProject, listProjects } from '../src/projects/project.service.ts';
import { ID_PATTERN } from '../src/shared/ids.ts';
import { describeBackends } from './support/backends.ts';
import { seedActor } from './support/seed-rows.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeBackends('projects', (ctx) => {
  const setup = async () => {
    const actor = await seedActor(ctx.store);
    const ontology = await createOntology(ctx.store, actor, {
      name: 'pref',
      ontology: CANONICAL_PREFERENCE_ONTOLOGY,
    });
    return { actor, ontologyId: ontology.id };
  };

  it('creates a conversational project with its four workflow tasks', async () => {
    const { actor, ontologyId } = await setup();
    const { id } = await createProject(ctx.store, actor, {
      name: ' Chat prefs ',
      ontologyId,
      description: 'd',
    });
    expect(id).toMatch(ID_PATTERN);
    const project = await getProject(ctx.store, actor, id);
    expect(project).toMatchObject({
      id,
      name: 'Chat prefs',
      description: 'd',
      ontologyId,
      mediaType: 'CONVERSATIONAL',
      consensusExpectedLabelCount: 1,
      createdBy: actor.userId,
    });
    expect(project.tasks.map((t) => [t.name, t.kind, t.position])).toEqual([
      ['Initial labeling task', 'LABEL', 0],
      ['Initial review task', 'REVIEW', 1],
      ['Rework', 'REWORK', 2],
      ['Done', 'DONE', 3],
    ]);
    for (const t of project.tasks) expect(t.id).toMatch(UUID);
  });

  it('keeps the consensus label count and refuses one outside 1..10', async () => {
    const { actor, ontologyId } = await setup();
    const { id } = await createProject(ctx.store, actor, { name: 'c', ontologyId, consensusLabels: 3 });
    expect((await getProject(ctx.store, actor, id)).consensusExpectedLabelCount).toBe(3);
    for (const consensusLabels of [0, 11, 2.5]) {
      await expect(
        createProject(ctx.store, actor, { name: 'c', ontologyId, consensusLabels }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: '$.consensusLabels' }],
      });
    }
  });

  it('refuses an empty name', async () => {
    const { actor, ontologyId } = await setup();
    await expect(createProject(ctx.store, actor, { name: '  ', ontologyId })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: '$.name' }],
    });
  });

  it("refuses another organization's ontology as not found and creates nothing", async () => {
    const { ontologyId } = await setup();
    const other = await seedActor(ctx.store);
    await expect(createProject(ctx.store, other, { name: 'x', ontologyId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await listProjects(ctx.store, other)).toEqual([]);
  });

  it('lists only the organization projects and hides others by id', async () => {
    const { actor, ontologyId } = await setup();
    const a = await createProject(ctx.store, actor, { name: 'a', ontologyId });
    const b = await createProject(ctx.store, actor, { name: 'b', ontologyId });
    const other = await seedActor(ctx.store);
    const listed = await listProjects(ctx.store, actor);
    expect(listed.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(listed.every((p) => p.tasks.length === 4)).toBe(true);
    await expect(getProject(ctx.store, other, a.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
