/**
 * The order a labeler saw the model outputs in (`displayed_order`): checked against the row's
 * `modelOutputs` titles, stored with the label (and with a rework), answered by the label routes,
 * and never part of an export row (v2 and V1 are byte for byte the same with or without it).
 */
import { beforeAll, expect, it } from 'vitest';
import { writeExportV1Array } from '../src/exports/v1/export-v1.ts';
import { createApp } from '../src/http/app.ts';
import { getLabel } from '../src/workflow/label-read.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import { MMC_IDS } from './fixtures/mmc.ts';
import { describeBackends } from './support/backends.ts';
import { actor, collect, RICH, seedExportFixtures } from './support/export-fixtures.ts';
import { mmcProject } from './support/mmc-project.ts';
import { ALL_PARAMS } from './support/seed-params.ts';
import { answers, colleague } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';
import { withModelOutputs } from './workflow-model-outputs.ts';

describeBackends('displayed order of model outputs', (ctx) => {
  let as: ReturnType<typeof caller>;
  beforeAll(() => {
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
  });
  let n = 0;
  const submit = (t: Team, key: string, body: Record<string, unknown>) =>
    as(key).post(`/projects/${t.projectId}/labels`, body, { 'Idempotency-Key': `order-${n++}` });
  const body = (rowId: string, extra: Record<string, unknown> = {}) => ({
    data_row_id: rowId,
    classifications: answers(),
    seconds_to_create: 7,
    ...extra,
  });
  const leased = async (t: Team, key: string) =>
    (await as(key).post(`/projects/${t.projectId}/queue/next`)).json.data_row.id as string;

  it('stores the order with the label and answers it; null when not given', async () => {
    const t = await team(ctx.store, 2);
    await withModelOutputs(ctx.store, t.rowIds);
    const first = await submit(
      t,
      t.labeler.key,
      body(await leased(t, t.labeler.key), { displayed_order: ['Response B', 'Response A'] }),
    );
    expect(first.status).toBe(201);
    const plain = await submit(t, t.labeler2.key, body(await leased(t, t.labeler2.key)));
    expect(plain.status).toBe(201);
    const one = await as(t.labeler.key).get(`/projects/${t.projectId}/labels/${first.json.label_id}`);
    expect(one.json.displayed_order).toEqual(['Response B', 'Response A']);
    const list = await as(t.manager.key).get(`/projects/${t.projectId}/labels`);
    expect(
      Object.fromEntries(
        list.json.items.map((l: { id: string; displayed_order: unknown }) => [l.id, l.displayed_order]),
      ),
    ).toEqual({ [first.json.label_id]: ['Response B', 'Response A'], [plain.json.label_id]: null });
  });

  it('counts the order as part of the submission under its idempotency key', async () => {
    const t = await team(ctx.store, 1);
    await withModelOutputs(ctx.store, t.rowIds);
    const rowId = await leased(t, t.labeler.key);
    const send = (order: string[]) =>
      as(t.labeler.key).post(`/projects/${t.projectId}/labels`, body(rowId, { displayed_order: order }), {
        'Idempotency-Key': 'same-key',
      });
    const first = await send(['Response B', 'Response A']);
    expect(first.status).toBe(201);
    expect((await send(['Response B', 'Response A'])).json).toEqual(first.json);
    const other = await send(['Response A', 'Response B']);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('CONFLICT');
  });

  it('refuses an order that is not a permutation of the titles, naming the field; nothing is stored', async () => {
    const t = await team(ctx.store, 1);
    await withModelOutputs(ctx.store, t.rowIds);
    const rowId = await leased(t, t.labeler.key);
    const refused = async (order: unknown, status: number) => {
      const res = await submit(t, t.labeler.key, body(rowId, { displayed_order: order }));
      expect(res.status).toBe(status);
      return res.json.error;
    };
    const unknown = await refused(['Response B', 'Response C'], 422);
    expect(unknown.code).toBe('VALIDATION_FAILED');
    expect(unknown.details).toEqual([
      {
        path: '$.displayed_order[1]',
        message: `"Response C" is not a permutation of the row's model output titles ("Response A", "Response B")`,
      },
      {
        path: '$.displayed_order',
        message: `must be a permutation of the row's model output titles ("Response A", "Response B"); missing: "Response A"`,
      },
    ]);
    const twice = await refused(['Response A', 'Response A'], 422);
    expect(twice.details.map((f: { path: string }) => f.path)).toEqual([
      '$.displayed_order[1]',
      '$.displayed_order',
    ]);
    expect(twice.details[0].message).toBe('"Response A" is listed twice');
    expect((await refused(['Response A'], 422)).message).toContain('missing: "Response B"');
    // Not a list of strings: the body's schema refuses it before the service runs.
    expect((await refused('Response A', 400)).message).toMatch(/^displayed_order: /);
    expect((await refused([1, 2], 400)).message).toMatch(/^displayed_order\.0: /);
    expect(
      await ctx.store.db.selectFrom('labels').where('project_id', '=', t.projectId).selectAll().execute(),
    ).toEqual([]);
    // The lease still holds: the corrected submit goes through.
    const ok = await submit(t, t.labeler.key, body(rowId, { displayed_order: ['Response A', 'Response B'] }));
    expect(ok.status).toBe(201);
  });

  it('refuses an order for a row without model outputs or whose row_data is a URL', async () => {
    const t = await team(ctx.store, 2);
    await ctx.store.db
      .updateTable('data_rows')
      .set({ row_data: 'https://storage.example/chat.json' })
      .where('id', '=', t.rowIds[1]!)
      .execute();
    for (let i = 0; i < 2; i++) {
      const rowId = await leased(t, t.labeler.key);
      const res = await submit(t, t.labeler.key, body(rowId, { displayed_order: ['Response A'] }));
      expect(res.status).toBe(422);
      expect(res.json.error.details[0].path).toMatch(/^\$\.displayed_order/);
      expect(res.json.error.details[0].message).toMatch(
        rowId === t.rowIds[1] ? /row_data is a URL/ : /titles \(none\)/,
      );
      // An empty order fits a row without outputs; the URL row takes a label without an order.
      const fine = await submit(
        t,
        t.labeler.key,
        body(rowId, rowId === t.rowIds[1] ? {} : { displayed_order: [] }),
      );
      expect(fine.status).toBe(201);
    }
  });

  it('replaces the order on a rework resubmission (null when the resubmission gives none)', async () => {
    const t = await team(ctx.store, 1);
    await withModelOutputs(ctx.store, t.rowIds);
    const rowId = await leased(t, t.labeler.key);
    const first = await submit(
      t,
      t.labeler.key,
      body(rowId, { displayed_order: ['Response B', 'Response A'] }),
    );
    const reject = await as(t.reviewer.key).post(
      `/projects/${t.projectId}/labels/${first.json.label_id}/review`,
      {
        decision: 'reject',
        reason: 'look again',
        seconds_to_review: 1,
      },
    );
    expect(reject.status).toBe(201);
    const again = await submit(
      t,
      t.labeler.key,
      body(rowId, { displayed_order: ['Response A', 'Response B'] }),
    );
    expect(again.json).toMatchObject({ label_id: first.json.label_id, workflow_status: 'IN_REVIEW' });
    const label = async () =>
      (await as(t.labeler.key).get(`/projects/${t.projectId}/labels/${first.json.label_id}`)).json;
    expect((await label()).displayed_order).toEqual(['Response A', 'Response B']);
    // A bad order on a rework is refused like on a first submit, and changes nothing.
    await as(t.reviewer.key).post(`/projects/${t.projectId}/labels/${first.json.label_id}/review`, {
      decision: 'reject',
      reason: 'once more',
      seconds_to_review: 1,
    });
    const bad = await submit(t, t.labeler.key, body(rowId, { displayed_order: ['Response A'] }));
    expect(bad.status).toBe(422);
    expect((await label()).displayed_order).toEqual(['Response A', 'Response B']);
    expect((await submit(t, t.labeler.key, body(rowId))).status).toBe(201);
    expect((await label()).displayed_order).toBeNull();
  });

  it('leaves export v2 and V1 byte for byte the same', async () => {
    await seedExportFixtures(ctx.store.db);
    const exports = async () => {
      const v2 = await collect(ctx.store, actor, RICH.projectId, { params: ALL_PARAMS });
      let v1 = '';
      await writeExportV1Array(
        ctx.store,
        actor,
        RICH.projectId,
        {},
        (chunk) => {
          v1 += chunk;
        },
        { baseUrl: 'https://prefer.example/' },
      );
      return { v2: v2.lines.join('\n'), errors: v2.errors, v1 };
    };
    const before = await exports();
    expect(before.v2.length).toBeGreaterThan(0);
    expect(before.errors).toEqual([]);
    // Every label gets an order; the write clears the rows' stored export text, so the second
    // export renders the labels again from the table.
    const updated = await ctx.store.db
      .updateTable('labels')
      .set({ displayed_order: JSON.stringify(['Response B', 'Response A']) })
      .where('project_id', '=', RICH.projectId)
      .executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBeGreaterThan(0);
    const after = await exports();
    expect(after).toEqual(before);
    expect(after.v2).not.toContain('displayed_order');
    expect(after.v1).not.toContain('displayed');
  });

  it("takes a v2 row's compared reply ids in any order per prompt, refusing others, naming the entry", async () => {
    const p = await mmcProject(ctx.store);
    const labeler = await colleague(ctx.store, p.actor, 'labeler');
    await nextRow(ctx.store, labeler, { projectId: p.projectId });
    const send = (key: string, displayedOrder: string[]) =>
      submitLabel(ctx.store, labeler, {
        projectId: p.projectId,
        dataRowId: p.rowId,
        idempotencyKey: key,
        secondsToCreate: 3,
        classifications: [],
        displayedOrder,
      }).catch((e: unknown) => e as { code: string; details: unknown });
    const { prompt1, a1, b1, c1, a2, b2 } = MMC_IDS;
    const refused = (await send('k0', [c1, a1, prompt1, b2, a2])) as { code: string; details: unknown };
    expect(refused.code).toBe('VALIDATION_FAILED');
    const all = [a1, b1, c1, a2, b2].map((x) => JSON.stringify(x)).join(', ');
    expect(refused.details).toEqual([
      {
        path: '$.displayedOrder[2]',
        message: `${JSON.stringify(prompt1)} is not a permutation of the row's compared model reply ids (${all})`,
      },
      {
        path: '$.displayedOrder',
        message: `must be a permutation of the row's compared model reply ids (${all}); missing: ${JSON.stringify(b1)}`,
      },
    ]);
    expect(
      await ctx.store.db.selectFrom('labels').where('project_id', '=', p.projectId).selectAll().execute(),
    ).toEqual([]);
    const order = [c1, a1, b1, b2, a2];
    const ok = (await send('k1', order)) as { labelId: string };
    const label = await getLabel(ctx.store, labeler, {
      projectId: p.projectId,
      labelId: ok.labelId,
      role: 'labeler',
    });
    expect(label.displayed_order).toEqual(order);
  });
});
