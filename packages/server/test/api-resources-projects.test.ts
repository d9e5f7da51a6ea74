/**
 * Ontologies, projects, batches and label imports over HTTP: the walk-through of the README done
 * through the API, validation with field names, paging, role and organization boundaries.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  adminOf,
  apiClient,
  type Caller,
  example,
  exampleOntology,
  grant,
  memberOf,
  ndjson,
  walk,
} from './api-resources-helpers.ts';
import { describeBackends } from './support/backends.ts';

const KEYS = example('global-keys.txt').trim().split('\n');

describeBackends('ontologies, projects, batches and label imports over HTTP', (ctx) => {
  let alice: Caller;
  let bob: Caller;
  let api: Api;
  let bobApi: Api;
  let client: ReturnType<typeof apiClient>;
  let ontologyId: string;
  let datasetId: string;
  let bobOntology: string;
  let bobProject: string;

  beforeAll(async () => {
    alice = await adminOf(ctx.store, 'Alice');
    bob = await adminOf(ctx.store, 'Bob');
    client = apiClient(ctx.store);
    api = client(alice.key);
    bobApi = client(bob.key);
    ontologyId = (await api.post('/ontologies', { name: 'Preference', ontology: exampleOntology() })).body.id;
    datasetId = (await api.post('/datasets', { name: 'examples' })).body.id;
    expect(
      (await api.upload(`/datasets/${datasetId}/data-rows`, example('conversations.ndjson'))).status,
    ).toBe(200);
    bobOntology = (await bobApi.post('/ontologies', { name: 'Bob', ontology: exampleOntology() })).body.id;
    bobProject = (await bobApi.post('/projects', { name: 'Bob p', ontology_id: bobOntology })).body.id;
  });

  const newProject = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await api.post('/projects', { name, ontology_id: ontologyId, ...extra });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  describe('ontologies', () => {
    it('creates one from the Labelbox JSON and reads it back normalized', async () => {
      const read = await api.get(`/ontologies/${ontologyId}`);
      expect(read.status).toBe(200);
      expect(read.body.name).toBe('Preference');
      expect(read.body.normalized.classifications).toHaveLength(3);
      for (const c of read.body.normalized.classifications)
        expect(c.featureSchemaId).toMatch(/^c[0-9a-z]{24}$/);
    });

    it('answers 422 with the faulty field, 400 for an unknown key', async () => {
      const bad = await api.post('/ontologies', {
        name: 'Bad',
        ontology: { tools: [], classifications: [{ type: 'slider', name: 'x' }] },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toMatch(/^\$\.classifications\[0\]/);
      const unnamed = await api.post('/ontologies', { name: '', ontology: exampleOntology() });
      expect(unnamed.status).toBe(422);
      const unknown = await api.post('/ontologies', { name: 'x', ontology: {}, media: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('valid keys are: name, ontology');
    });

    it("lists only the organization's ontologies, paged; another's id is 404", async () => {
      for (let i = 0; i < 3; i++)
        await api.post('/ontologies', { name: `o${i}`, ontology: exampleOntology() });
      const walked = await walk(api, '/ontologies', 2);
      expect(walked.ids).toHaveLength(4);
      expect(new Set(walked.ids).size).toBe(4);
      expect(walked.ids[0]).toBe(ontologyId);
      expect(walked.ids).not.toContain(bobOntology);
      expect((await api.get(`/ontologies/${bobOntology}`)).status).toBe(404);
      expect((await api.get('/ontologies?cursor=%%%')).status).toBe(400);
    });
  });

  describe('projects', () => {
    it('creates a project (the creator becomes its manager) and reads its summary', async () => {
      const manager = await memberOf(ctx.store, alice.actor, 'mgr');
      const seed = await newProject('seed for manager');
      await grant(ctx.store, seed, manager.actor, 'manager');
      const res = await client(manager.key).post('/projects', {
        name: 'Assistant preference',
        description: 'which answer is better',
        ontology_id: ontologyId,
        media_type: 'CONVERSATIONAL',
        consensus_expected_label_count: 2,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'Assistant preference',
        description: 'which answer is better',
        media_type: 'CONVERSATIONAL',
        ontology_id: ontologyId,
        consensus_expected_label_count: 2,
        data_row_count: 0,
        last_activity_at: null,
        role: 'manager',
      });
      const role = await ctx.store.db
        .selectFrom('project_members')
        .where('project_id', '=', res.body.id)
        .where('user_id', '=', manager.actor.userId)
        .select('role')
        .executeTakeFirst();
      expect(role?.role).toBe('manager');
    });

    it('answers validation faults in the API’s own field names', async () => {
      const consensus = await api.post('/projects', {
        name: 'p',
        ontology_id: ontologyId,
        consensus_expected_label_count: 11,
      });
      expect(consensus.status).toBe(422);
      expect(consensus.body.error.details).toEqual([
        { path: '$.consensus_expected_label_count', message: 'must be an integer from 1 to 10' },
      ]);
      expect(consensus.body.error.message).toContain('$.consensus_expected_label_count');
      const media = await api.post('/projects', { name: 'p', ontology_id: ontologyId, media_type: 'IMAGE' });
      expect(media.status).toBe(400);
      expect(media.body.error.message).toMatch(/^media_type: /);
      const missing = await api.post('/projects', { name: 'p' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(/^ontology_id: /);
      expect((await api.post('/projects', { name: 'p', ontology_id: bobOntology })).status).toBe(404);
    });

    it('lists to each caller only the projects they hold a role in; an admin sees all', async () => {
      const org = await adminOf(ctx.store, 'Listing');
      const admin = client(org.key);
      const ont = (await admin.post('/ontologies', { name: 'o', ontology: exampleOntology() })).body.id;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await admin.post('/projects', { name: `p${i}`, ontology_id: ont })).body.id);
      }
      expect((await walk(admin, '/projects', 2)).ids).toEqual(ids);
      const labeler = await memberOf(ctx.store, org.actor, 'lab');
      await grant(ctx.store, ids[1]!, labeler.actor, 'labeler');
      await grant(ctx.store, ids[3]!, labeler.actor, 'reviewer');
      const seen = await walk(client(labeler.key), '/projects', 1);
      expect(seen.ids).toEqual([ids[1], ids[3]]);
      // Each project answers the caller's role in it.
      const roles = async (key: string) =>
        (await client(key).get('/projects?limit=500')).body.items.map((p: { id: string; role: string }) => [
          p.id,
          p.role,
        ]);
      expect(await roles(labeler.key)).toEqual([
        [ids[1], 'labeler'],
        [ids[3], 'reviewer'],
      ]);
      expect((await roles(org.key)).map(([, role]: string[]) => role)).toEqual(ids.map(() => 'admin'));
      expect((await client(labeler.key).get(`/projects/${ids[3]}`)).body.role).toBe('reviewer');
      const nobody = await memberOf(ctx.store, org.actor, 'none');
      expect((await client(nobody.key).get('/projects')).body).toEqual({ items: [], nextCursor: null });
      expect((await client(nobody.key).get(`/projects/${ids[0]}`)).status).toBe(404);
      expect((await client(labeler.key).post('/projects', { name: 'x', ontology_id: ont })).status).toBe(403);
      expect((await admin.get(`/projects/${bobProject}`)).status).toBe(404);
    });
  });

  describe('batches', () => {
    it('adds rows by global keys, dataset or ids, with priority and consensus; lists them paged', async () => {
      const projectId = await newProject('batched');
      const byKeys = await api.post(`/projects/${projectId}/batches`, {
        name: 'keys',
        global_keys: KEYS.slice(0, 2),
        priority: 1,
        consensus_expected_label_count: 3,
      });
      expect(byKeys.status).toBe(201);
      expect(byKeys.body).toMatchObject({
        name: 'keys',
        priority: 1,
        consensus_expected_label_count: 3,
        data_row_count: 2,
        created_by: alice.actor.userId,
      });
      const rows = (await api.get(`/datasets/${datasetId}/data-rows`)).body.items as {
        id: string;
        global_key: string;
      }[];
      const rest = rows.filter((r) => !KEYS.slice(0, 2).includes(r.global_key)).map((r) => r.id);
      const byIds = await api.post(`/projects/${projectId}/batches`, {
        name: 'ids',
        data_row_ids: rest.slice(0, 1),
      });
      expect(byIds.body).toMatchObject({
        data_row_count: 1,
        priority: 5,
        consensus_expected_label_count: null,
      });
      const other = await newProject('whole dataset');
      const whole = await api.post(`/projects/${other}/batches`, { name: 'all', dataset_id: datasetId });
      expect(whole.body.data_row_count).toBe(5);
      expect((await api.get(`/projects/${other}`)).body.data_row_count).toBe(5);
      const walked = await walk(api, `/projects/${projectId}/batches`, 1);
      expect(walked.ids).toEqual([byKeys.body.id, byIds.body.id]);
    });

    it('names faulty fields as the API does, 409 for rows already in the project, 404 across organizations', async () => {
      const projectId = await newProject('faulty batches');
      const two = await api.post(`/projects/${projectId}/batches`, {
        name: 'x',
        global_keys: ['a'],
        dataset_id: datasetId,
      });
      expect(two.status).toBe(422);
      expect(two.body.error.message).toContain('global_keys');
      const unknown = await api.post(`/projects/${projectId}/batches`, {
        name: 'x',
        global_keys: [KEYS[0], 'no-such-key'],
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details).toEqual([
        { path: '$.global_keys[1]', message: 'unknown global key "no-such-key"' },
      ]);
      expect(
        (await api.post(`/projects/${projectId}/batches`, { name: 'x', global_keys: [KEYS[0]], priority: 9 }))
          .body.error.details[0].path,
      ).toBe('$.priority');
      expect(
        (await api.post(`/projects/${projectId}/batches`, { name: 'first', global_keys: [KEYS[0]] })).status,
      ).toBe(201);
      const again = await api.post(`/projects/${projectId}/batches`, {
        name: 'again',
        global_keys: [KEYS[0]],
      });
      expect(again.status).toBe(409);
      expect(again.body.error.details[0].path).toBe('$.global_keys[0]');
      expect(
        (await bobApi.post(`/projects/${projectId}/batches`, { name: 'x', dataset_id: datasetId })).status,
      ).toBe(404);
      expect(
        (await api.post(`/projects/${bobProject}/batches`, { name: 'x', dataset_id: datasetId })).status,
      ).toBe(404);
      // Bob's own project, Alice's dataset: the dataset is not found for Bob.
      expect(
        (await bobApi.post(`/projects/${bobProject}/batches`, { name: 'x', dataset_id: datasetId })).status,
      ).toBe(404);
    });

    it('lets a reviewer of the project neither create nor list batches (403)', async () => {
      const projectId = await newProject('reviewed');
      const reviewer = await memberOf(ctx.store, alice.actor, 'rev');
      await grant(ctx.store, projectId, reviewer.actor, 'reviewer');
      const as = client(reviewer.key);
      expect((await as.get(`/projects/${projectId}/batches`)).status).toBe(403);
      expect(
        (await as.post(`/projects/${projectId}/batches`, { name: 'x', dataset_id: datasetId })).status,
      ).toBe(403);
    });
  });

  describe('label imports', () => {
    let projectId: string;
    beforeAll(async () => {
      projectId = await newProject('labelled');
      await api.post(`/projects/${projectId}/batches`, { name: 'b', global_keys: KEYS });
    });

    const labelCount = async () =>
      Number(
        (
          await ctx.store.db
            .selectFrom('labels')
            .where('project_id', '=', projectId)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('is all or nothing: a bad line is a 422 naming it, and no label is stored', async () => {
      const lines = example('labels.ndjson').trimEnd().split('\n');
      lines.splice(
        2,
        0,
        JSON.stringify({
          dataRow: { globalKey: 'nope' },
          name: 'Choose the best response',
          answer: { name: 'Response A' },
        }),
      );
      const res = await api.upload(`/projects/${projectId}/label-imports`, `${lines.join('\n')}\n`);
      expect(res.status).toBe(422);
      expect(res.body.error.details.errors).toEqual([
        { line: 3, path: '$.dataRow.globalKey', message: 'unknown data row with global key "nope"' },
      ]);
      expect(await labelCount()).toBe(0);
    });

    it('credits the caller by default, an existing user with as_email, refuses an unknown one', async () => {
      const rater = await memberOf(ctx.store, alice.actor, 'rater');
      const unknown = await api.upload(
        `/projects/${projectId}/label-imports?as_email=ghost@example.com`,
        example('labels.ndjson'),
      );
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.details).toEqual([
        { path: '$.as_email', message: 'must be the email of a user of the organization' },
      ]);
      const bobsEmail = await api.upload(
        `/projects/${projectId}/label-imports?as_email=${bob.actor.email}`,
        example('labels.ndjson'),
      );
      expect(bobsEmail.status).toBe(422);
      expect(bobsEmail.body.error.message).not.toContain('another organization');
      const res = await api.upload(
        `/projects/${projectId}/label-imports?as_email=${encodeURIComponent(rater.actor.email)}`,
        example('labels.ndjson'),
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ok: true,
        pre_labels: false,
        counts: { labels: 4, annotations: 12, skipped: 0 },
      });
      const creators = await ctx.store.db
        .selectFrom('labels')
        .where('project_id', '=', projectId)
        .select('created_by')
        .distinct()
        .execute();
      expect(creators).toEqual([{ created_by: rater.actor.userId }]);
      const other = await newProject('caller credited');
      await api.post(`/projects/${other}/batches`, { name: 'b', global_keys: KEYS });
      expect((await api.upload(`/projects/${other}/label-imports`, example('labels.ndjson'))).status).toBe(
        200,
      );
      const mine = await ctx.store.db
        .selectFrom('labels')
        .where('project_id', '=', other)
        .select('created_by')
        .distinct()
        .execute();
      expect(mine).toEqual([{ created_by: alice.actor.userId }]);
    });

    it('is refused to a labeler (403) and across organizations (404)', async () => {
      const labeler = await memberOf(ctx.store, alice.actor, 'lab2');
      await grant(ctx.store, projectId, labeler.actor, 'labeler');
      expect(
        (await client(labeler.key).upload(`/projects/${projectId}/label-imports`, ndjson({}))).status,
      ).toBe(403);
      expect((await bobApi.upload(`/projects/${projectId}/label-imports`, ndjson({}))).status).toBe(404);
    });
  });
});
