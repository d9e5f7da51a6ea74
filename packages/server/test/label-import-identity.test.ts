/**
 * Label imports are idempotent and take pre-labels, over the real HTTP API on both backends:
 * - a file imported twice makes one copy (by `labelExternalId`, else by the answers' hash for the
 *   same row and labeler), the second answer counting the labels as skipped;
 * - external ids that would name two labels are faults, and nothing is written;
 * - pre-labels are never in an export (the streamed export is byte for byte the same), never
 *   counted as labels, and `queue/next` hands the row's newest one to the labeler.
 */
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createApp } from '../src/http/app.ts';
import { ensureUser } from '../src/orgs/org.service.ts';
import { addMember } from '../src/projects/member.service.ts';
import { describeBackends } from './support/backends.ts';
import { type LabelProject, labelProject } from './support/seed-rows.ts';

type App = ReturnType<typeof createApp>;

const linesFor = (rowIds: string[], extra: (i: number) => Record<string, unknown> = () => ({})) =>
  rowIds.flatMap((id, i) => [
    {
      dataRow: { id },
      name: 'Choose the best response',
      answer: { name: i % 2 ? 'Response B' : 'Tie' },
      ...extra(i),
    },
    { dataRow: { id }, name: 'Provide a reason for your choice', answer: `reason ${i}`, ...extra(i) },
  ]);

describeBackends('label import identity and pre-labels', (ctx) => {
  let app: App;
  let p: LabelProject;
  let key: string;

  beforeAll(async () => {
    app = createApp({ store: ctx.store, logError: () => {} });
    p = await labelProject(ctx.store, 4);
    key = (await createApiKey(ctx.store, p.actor, { name: 'imports' })).key;
    await ctx.store.write((tx) => ensureUser(tx, p.actor.orgId, p.rater));
  });

  const post = async (lines: unknown[], query = '') => {
    const res = await app.request(
      `/api/v1/projects/${p.projectId}/label-imports?as_email=${encodeURIComponent(p.rater)}${query}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
        body: lines.map((l) => JSON.stringify(l)).join('\n'),
      },
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const count = async (table: 'labels' | 'pre_labels') =>
    Number(
      (
        await ctx.store.db
          .selectFrom(table)
          .where('project_id', '=', p.projectId)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const exported = async () => {
    const res = await app.request(`/api/v1/projects/${p.projectId}/exports/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        params: {
          label_details: true,
          performance_details: true,
          project_details: true,
          data_row_details: true,
        },
      }),
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  it('imports a file with label external ids once, however often it is sent', async () => {
    const rows = [p.rows[0]!.id, p.rows[1]!.id];
    const lines = linesFor(rows, (i) => ({ labelExternalId: `ext-${i}` }));
    const first = await post(lines);
    expect(first).toEqual({
      status: 200,
      body: { ok: true, pre_labels: false, counts: { labels: 2, annotations: 4, skipped: 0 } },
    });
    const again = await post([...lines].reverse());
    expect(again.body).toEqual({
      ok: true,
      pre_labels: false,
      counts: { labels: 0, annotations: 0, skipped: 2 },
    });
    expect(await count('labels')).toBe(2);
    const stored = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', p.projectId)
      .select(['external_id', 'content_hash'])
      .orderBy('external_id')
      .execute();
    expect(stored).toEqual([
      { external_id: 'ext-0', content_hash: null },
      { external_id: 'ext-1', content_hash: null },
    ]);
  });

  it('without external ids, the same answers by the same labeler on a row are one label', async () => {
    const lines = linesFor([p.rows[2]!.id]);
    expect((await post(lines)).body.counts).toEqual({ labels: 1, annotations: 2, skipped: 0 });
    // The same answers in another order: still the same label.
    const reordered = [lines[1]!, lines[0]!];
    expect((await post(reordered)).body.counts).toEqual({ labels: 0, annotations: 0, skipped: 1 });
    expect(await count('labels')).toBe(3);
    // Other answers on the same row are a new label.
    const changed = [{ ...lines[0]!, answer: { name: 'Response A' } }];
    expect((await post(changed)).body.counts).toEqual({ labels: 1, annotations: 1, skipped: 0 });
    expect(await count('labels')).toBe(4);
  });

  it('refuses external ids that would name two labels, writing nothing', async () => {
    const before = await count('labels');
    const [a, b] = [p.rows[3]!.id, p.rows[2]!.id];
    const mixed = await post([
      {
        dataRow: { id: a },
        name: 'Choose the best response',
        answer: { name: 'Tie' },
        labelExternalId: 'x1',
      },
      { dataRow: { id: a }, name: 'Provide a reason for your choice', answer: 'r', labelExternalId: 'x2' },
    ]);
    expect(mixed.status).toBe(422);
    expect(JSON.stringify(mixed.body)).toContain('must all give the same labelExternalId');
    const shared = await post([
      { dataRow: { id: a }, name: 'Choose the best response', answer: { name: 'Tie' }, labelExternalId: 'y' },
      { dataRow: { id: b }, name: 'Choose the best response', answer: { name: 'Tie' }, labelExternalId: 'y' },
    ]);
    expect(shared.status).toBe(422);
    expect(JSON.stringify(shared.body)).toContain('is also given to another data row at line 1');
    // ext-0 names the label of row 0 already.
    const elsewhere = await post([
      {
        dataRow: { id: a },
        name: 'Choose the best response',
        answer: { name: 'Tie' },
        labelExternalId: 'ext-0',
      },
    ]);
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({
      error: {
        details: {
          errors: [{ line: 1, path: '$.labelExternalId', message: expect.stringContaining(p.rows[0]!.id) }],
        },
      },
    });
    expect(await count('labels')).toBe(before);
  });

  it('keeps pre-labels out of exports and label counts, and hands them to the labeler', async () => {
    const labeler = await ctx.store.write((tx) =>
      ensureUser(tx, p.actor.orgId, `pre-${Date.now()}@example.com`),
    );
    await addMember(ctx.store, p.actor, p.projectId, { userId: labeler.id, role: 'labeler' });
    const labelerActor = {
      orgId: p.actor.orgId,
      userId: labeler.id,
      email: labeler.email,
      role: 'member' as const,
    };
    const labelerKey = (await createApiKey(ctx.store, labelerActor, { name: 'l' })).key;
    const next = async () => {
      const res = await app.request(`/api/v1/projects/${p.projectId}/queue/next`, {
        method: 'POST',
        headers: { authorization: `Bearer ${labelerKey}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        data_row: { id: string };
        pre_label: { annotations: { classifications: { name: string }[] } } | null;
      };
    };
    const leased = await next();
    expect(leased.pre_label).toBeNull();
    const row = leased.data_row.id;

    const before = await exported();
    const labels = await count('labels');
    const lines = linesFor([row]);
    const imported = await post(lines, '&pre_labels=true');
    expect(imported.body).toEqual({
      ok: true,
      pre_labels: true,
      counts: { labels: 1, annotations: 2, skipped: 0 },
    });
    expect((await post(lines, '&pre_labels=true')).body.counts).toEqual({
      labels: 0,
      annotations: 0,
      skipped: 1,
    });
    expect(await count('pre_labels')).toBe(1);
    expect(await count('labels')).toBe(labels);
    const after = await exported();
    expect(after.length).toBeGreaterThan(0);
    expect(after.equals(before)).toBe(true);

    // The labeler holds the row: asking again answers it, now with its pre-label.
    const again = await next();
    expect(again.data_row.id).toBe(row);
    expect(again.pre_label?.annotations.classifications.map((c) => c.name)).toEqual([
      'Choose the best response',
      'Provide a reason for your choice',
    ]);
  });
});
