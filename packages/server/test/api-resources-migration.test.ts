/** `POST /imports/labelbox-export`: an organization admin migrates a Labelbox export v2 file over HTTP. */
import { beforeAll, expect, it } from 'vitest';
import { adminOf, apiClient, type Caller, grant, memberOf } from './api-resources-helpers.ts';
import { fixtureText } from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';

const SEED_ROW = JSON.stringify(JSON.parse(fixtureText('seed-sample-export-row.json')));
const PROJECT_ID = 'clpiy2itz08vg0705akh60zc1';

describeBackends('Labelbox export migration over HTTP', (ctx) => {
  let admin: Caller;
  beforeAll(async () => {
    admin = await adminOf(ctx.store, 'Migrating');
  });
  const projects = async () =>
    Number(
      (
        await ctx.store.db
          .selectFrom('projects')
          .where('id', '=', PROJECT_ID)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a manager (403) and a faulty file (422 naming the line, nothing stored)', async () => {
    const manager = await memberOf(ctx.store, admin.actor, 'manager');
    const api = apiClient(ctx.store)(admin.key);
    const ont = await api.post('/ontologies', {
      name: 'o',
      ontology: { tools: [], classifications: [{ type: 'text', name: 'why' }] },
    });
    const project = await api.post('/projects', { name: 'p', ontology_id: ont.body.id });
    await grant(ctx.store, project.body.id, manager.actor, 'manager');
    const denied = await apiClient(ctx.store)(manager.key).upload(
      '/imports/labelbox-export',
      `${SEED_ROW}\n`,
    );
    expect(denied.status).toBe(403);
    const bad = await api.upload('/imports/labelbox-export', `${SEED_ROW}\n{"data_row":{}}\n`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.errors[0].line).toBe(2);
    expect(await projects()).toBe(0);
  });

  it('imports the seed export row keeping its ids; a replay is refused', async () => {
    const api = apiClient(ctx.store)(admin.key);
    const res = await api.upload('/imports/labelbox-export', `${SEED_ROW}\n`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, counts: { dataRows: 1, projects: 1, labels: 1 } });
    const project = await api.get(`/projects/${PROJECT_ID}`);
    expect(project.body).toMatchObject({
      id: PROJECT_ID,
      name: 'Test LLM Human Preference',
      data_row_count: 1,
    });
    const again = await api.upload('/imports/labelbox-export', `${SEED_ROW}\n`);
    expect(again.status).toBe(422);
    expect(again.body.error.message).toContain('conflict');
  });
});
