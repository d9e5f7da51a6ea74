/**
 * The data lifecycle on both backends, through the HTTP API in-process: edit, archive, soft-delete
 * and restore (exports compared byte for byte before the delete and after the restore), the purge
 * after the retention window on an injected clock (rows gone: asserted with SQL), and erasure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createApp } from '../src/http/app.ts';
import { DAY_MS, purgeExpired } from '../src/lifecycle/purge.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { addMember } from '../src/projects/member.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import { tableChecksums as allTableChecksums, call } from './security-world.ts';
import { describeBackends } from './support/backends.ts';
import { collect } from './support/export-fixtures.ts';
import { ALL_PARAMS } from './support/seed-params.ts';
import { answers, colleague, workflowProject } from './workflow-helpers.ts';

/** Every table but the audit log, which records refused writes too (by design). */
async function tableChecksums(store: Parameters<typeof allTableChecksums>[0]) {
  const { audit_log: _audited, ...rest } = await allTableChecksums(store);
  return rest;
}

describeBackends('data lifecycle', (ctx) => {
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp({ store: ctx.store, logError: () => {} });
  });

  /** A project of `rows` rows, its admin's key, and `labeled` rows labeled by a colleague. */
  async function setup(rows = 3, labeled = 1) {
    const p = await workflowProject(ctx.store, rows);
    const { key } = await createApiKey(ctx.store, p.owner, { name: 'admin' });
    const labeler = await colleague(ctx.store, p.owner, 'labeler');
    await addMember(ctx.store, p.owner, p.projectId, { userId: labeler.userId, role: 'labeler' });
    const labelIds: string[] = [];
    for (let i = 0; i < labeled; i++) {
      const row = await nextRow(ctx.store, labeler, { projectId: p.projectId });
      const label = await submitLabel(ctx.store, labeler, {
        projectId: p.projectId,
        dataRowId: row!.dataRowId,
        idempotencyKey: `k${i}`,
        secondsToCreate: 4,
        classifications: answers(),
      });
      labelIds.push(label.labelId);
    }
    const api = (method: string, path: string, body?: unknown, as = key) =>
      call(app, `/api/v1${path}`, {
        method,
        key: as,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const exported = async () =>
      (await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS })).lines;
    return { ...p, key, labeler, labelIds, api, exported };
  }

  const count = async (
    table: 'data_rows' | 'labels' | 'project_data_rows' | 'reviews',
    col: string,
    id: string,
  ) =>
    Number(
      (
        await ctx.store.db
          .selectFrom(table)
          .where(col as never, '=', id as never)
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('edit', () => {
    it('changes a project, and refuses unknown keys and bad values changing nothing', async () => {
      const s = await setup(1, 0);
      const before = await tableChecksums(ctx.store);
      const unknown = await s.api('PATCH', `/projects/${s.projectId}`, { name: 'x', colour: 'red' });
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain('colour');
      for (const valid of ['name', 'description', 'instructions', 'consensus_expected_label_count']) {
        expect(unknown.text).toContain(valid);
      }
      const bad = await s.api('PATCH', `/projects/${s.projectId}`, {
        name: ' ',
        consensus_expected_label_count: 11,
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('$.name');
      expect(bad.text).toContain('$.consensus_expected_label_count');
      expect(await tableChecksums(ctx.store)).toEqual(before);

      const ok = await s.api('PATCH', `/projects/${s.projectId}`, {
        name: 'Renamed',
        instructions: '# Guide\n\nPrefer **honest** answers.',
        consensus_expected_label_count: 2,
      });
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({
        name: 'Renamed',
        instructions: '# Guide\n\nPrefer **honest** answers.',
        consensus_expected_label_count: 2,
        archived_at: null,
      });
      const read = await s.api('GET', `/projects/${s.projectId}`);
      expect((read.json as { instructions: string }).instructions).toContain('honest');
    });

    it('changes a batch priority onto its queued rows, and a dataset name', async () => {
      const s = await setup(2, 0);
      const batches = (await s.api('GET', `/projects/${s.projectId}/batches`)).json as {
        items: { id: string }[];
      };
      const batchId = batches.items[0]!.id;
      const bad = await s.api('PATCH', `/projects/${s.projectId}/batches/${batchId}`, { priority: 9 });
      expect(bad.status).toBe(422);
      const ok = await s.api('PATCH', `/projects/${s.projectId}/batches/${batchId}`, {
        priority: 1,
        consensus_expected_label_count: 3,
      });
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ priority: 1, consensus_expected_label_count: 3 });
      const priorities = await ctx.store.db
        .selectFrom('project_data_rows')
        .where('batch_id', '=', batchId)
        .select('priority')
        .execute();
      expect(priorities.map((r) => r.priority)).toEqual([1, 1]);
      const datasetId = (
        await ctx.store.db
          .selectFrom('data_rows')
          .where('id', '=', s.rowIds[0]!)
          .select('dataset_id')
          .executeTakeFirstOrThrow()
      ).dataset_id;
      const renamed = await s.api('PATCH', `/datasets/${datasetId}`, { name: 'Chats', description: null });
      expect(renamed.json).toMatchObject({ name: 'Chats', description: null });
      const unknown = await s.api('PATCH', `/datasets/${datasetId}`, { title: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain('name');
    });
  });

  describe('ontology in use', () => {
    interface Node {
      featureSchemaId: string;
      name?: string;
      value?: string;
      options: Node[];
    }
    it('adds questions and options, renames what no label answers, refuses removing an answered option naming the labels', async () => {
      const s = await setup(2, 1);
      const { ontology_id: ontologyId } = await ctx.store.db
        .selectFrom('projects')
        .where('id', '=', s.projectId)
        .select('ontology_id')
        .executeTakeFirstOrThrow();
      const read = async () =>
        (
          (await s.api('GET', `/ontologies/${ontologyId}`)).json as {
            normalized: { classifications: Node[] };
          }
        ).normalized;
      const before = await read();
      const best = before.classifications.find((c) => c.name === 'Choose the best response')!;
      const tie = best.options.find((o) => o.value === 'Tie')!;

      const unknown = await s.api('PATCH', `/ontologies/${ontologyId}`, { colour: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain('ontology');

      // Removing the answered option: refused, naming the label; nothing changes.
      const checksum = await tableChecksums(ctx.store);
      const without = structuredClone(before);
      const radio = without.classifications.find((c) => c.name === 'Choose the best response')!;
      radio.options = radio.options.filter((o) => o.value !== 'Response A');
      const refused = await s.api('PATCH', `/ontologies/${ontologyId}`, {
        ontology: { tools: [], ...without },
      });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('Response A');
      expect(refused.text).toContain(s.labelIds[0]!);
      expect(await tableChecksums(ctx.store)).toEqual(checksum);

      // Adding a question and an option, and renaming the unanswered Tie: accepted, ids kept.
      const grown = structuredClone(before);
      const radio2 = grown.classifications.find((c) => c.name === 'Choose the best response')!;
      radio2.options.find((o) => o.value === 'Tie')!.value = 'Both equal';
      radio2.options.push({ value: 'Neither', options: [] } as unknown as Node);
      grown.classifications.push({ type: 'text', name: 'Anything else?', options: [] } as unknown as Node);
      const ok = await s.api('PATCH', `/ontologies/${ontologyId}`, { ontology: { tools: [], ...grown } });
      expect(ok.status, ok.text).toBe(200);
      const after = await read();
      const best2 = after.classifications.find((c) => c.name === 'Choose the best response')!;
      expect(best2.featureSchemaId).toBe(best.featureSchemaId);
      expect(best2.options.map((o) => o.value)).toEqual([
        'Response A',
        'Response B',
        'Both equal',
        'Neither',
      ]);
      expect(best2.options[2]!.featureSchemaId).toBe(tie.featureSchemaId);
      expect(after.classifications.map((c) => c.name)).toContain('Anything else?');
      // The labels and their export are untouched.
      expect((await s.exported()).join('\n')).toContain(s.labelIds[0]!);
    });
  });

  describe('archive', () => {
    it('makes a project read-only and out of the queue and the labeler’s list, still exportable', async () => {
      const s = await setup(3, 1);
      const lines = await s.exported();
      const archived = await s.api('POST', `/projects/${s.projectId}/archive`);
      expect(archived.status).toBe(200);
      expect((archived.json as { archived_at: string | null }).archived_at).not.toBeNull();
      const { key: labelerKey } = await createApiKey(ctx.store, s.labeler, { name: 'labeler' });
      const next = await s.api('POST', `/projects/${s.projectId}/queue/next`, {}, labelerKey);
      expect(next.status).toBe(409);
      expect(next.text).toContain('archived');
      const edit = await s.api('PATCH', `/projects/${s.projectId}`, { name: 'no' });
      expect(edit.status).toBe(409);
      const mine = (await s.api('GET', '/projects', undefined, labelerKey)).json as {
        items: { id: string }[];
      };
      expect(mine.items.map((p) => p.id)).not.toContain(s.projectId);
      const admins = (await s.api('GET', '/projects')).json as { items: { id: string }[] };
      expect(admins.items.map((p) => p.id)).toContain(s.projectId);
      expect(await s.exported()).toEqual(lines);
      const task = await s.api('POST', `/projects/${s.projectId}/exports`, {});
      expect(task.status).toBeLessThan(300);
      expect((await s.api('POST', `/projects/${s.projectId}/unarchive`)).status).toBe(200);
      expect((await s.api('POST', `/projects/${s.projectId}/queue/next`, {}, labelerKey)).status).toBe(200);
    });
  });

  describe('delete and restore', () => {
    it('a data row leaves every export, count and read with its labels, and comes back byte for byte', async () => {
      const s = await setup(3, 2);
      const labeledRow = (
        await ctx.store.db
          .selectFrom('labels')
          .where('id', '=', s.labelIds[0]!)
          .select('data_row_id')
          .executeTakeFirstOrThrow()
      ).data_row_id;
      const before = await s.exported();
      const summary = async () =>
        (await s.api('GET', `/projects/${s.projectId}`)).json as { data_row_count: number };
      expect((await summary()).data_row_count).toBe(3);

      const del = await s.api('DELETE', `/data-rows/${labeledRow}`);
      expect(del.status).toBe(200);
      expect(del.json).toMatchObject({ kind: 'data_row', id: labeledRow, state: 'deleted' });
      expect((del.json as { rows: number }).rows).toBeGreaterThan(2);
      const after = await s.exported();
      expect(after).toHaveLength(2);
      expect(after.join('\n')).not.toContain(labeledRow);
      expect(after.join('\n')).not.toContain(s.labelIds[0]!);
      expect((await summary()).data_row_count).toBe(2);
      expect((await s.api('GET', `/data-rows/${labeledRow}`)).status).toBe(404);
      expect((await s.api('GET', `/projects/${s.projectId}/labels/${s.labelIds[0]}`)).status).toBe(404);
      const labels = (await s.api('GET', `/projects/${s.projectId}/labels`)).json as {
        items: { id: string }[];
      };
      expect(labels.items.map((l) => l.id)).toEqual([s.labelIds[1]]);
      expect(await count('labels', 'data_row_id', labeledRow)).toBe(0);
      expect((await s.api('DELETE', `/data-rows/${labeledRow}`)).status).toBe(404);

      const restored = await s.api('POST', `/data-rows/${labeledRow}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.json).toMatchObject({ kind: 'data_row', id: labeledRow, skipped: 0 });
      expect(await s.exported()).toEqual(before);
      expect((await summary()).data_row_count).toBe(3);
      expect((await s.api('POST', `/data-rows/${labeledRow}/restore`)).status).toBe(404);
    });

    it('a deleted row is never handed out by the queue', async () => {
      const s = await setup(2, 0);
      await s.api('DELETE', `/data-rows/${s.rowIds[0]}`);
      const someone = await colleague(ctx.store, s.owner, 'other');
      await addMember(ctx.store, s.owner, s.projectId, { userId: someone.userId, role: 'labeler' });
      const first = await nextRow(ctx.store, someone, { projectId: s.projectId });
      expect(first?.dataRowId).toBe(s.rowIds[1]);
    });

    it('a label goes with its reviews and comes back; the export matches again', async () => {
      const s = await setup(2, 1);
      const before = await s.exported();
      const del = await s.api('DELETE', `/projects/${s.projectId}/labels/${s.labelIds[0]}`);
      expect(del.status).toBe(200);
      expect((await s.exported()).join('\n')).not.toContain(s.labelIds[0]!);
      expect(await count('labels', 'id', s.labelIds[0]!)).toBe(0);
      expect((await s.api('POST', `/projects/${s.projectId}/labels/${s.labelIds[0]}/restore`)).status).toBe(
        200,
      );
      expect(await s.exported()).toEqual(before);
    });

    it('a batch needs labels=keep|delete; its rows leave the project and come back', async () => {
      const s = await setup(3, 1);
      const batchId = (
        (await s.api('GET', `/projects/${s.projectId}/batches`)).json as { items: { id: string }[] }
      ).items[0]!.id;
      const before = await s.exported();
      const checksum = await tableChecksums(ctx.store);
      const missing = await s.api('DELETE', `/projects/${s.projectId}/batches/${batchId}`);
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('labels');
      const wrong = await s.api('DELETE', `/projects/${s.projectId}/batches/${batchId}?labels=maybe`);
      expect(wrong.status).toBe(400);
      expect(await tableChecksums(ctx.store)).toEqual(checksum);

      const del = await s.api('DELETE', `/projects/${s.projectId}/batches/${batchId}?labels=delete`);
      expect(del.status).toBe(200);
      expect(await s.exported()).toEqual([]);
      expect(await count('labels', 'project_id', s.projectId)).toBe(0);
      expect(
        ((await s.api('GET', `/projects/${s.projectId}`)).json as { data_row_count: number }).data_row_count,
      ).toBe(0);
      expect((await s.api('POST', `/projects/${s.projectId}/batches/${batchId}/restore`)).status).toBe(200);
      expect(await s.exported()).toEqual(before);

      const keep = await s.api('DELETE', `/projects/${s.projectId}/batches/${batchId}?labels=keep`);
      expect(keep.status).toBe(200);
      expect(await s.exported()).toEqual([]);
      expect(await count('labels', 'project_id', s.projectId)).toBe(1);
    });

    it('a project answers 404 everywhere once deleted, and restores', async () => {
      const s = await setup(2, 1);
      const before = await s.exported();
      const del = await s.api('DELETE', `/projects/${s.projectId}`);
      expect(del.json).toMatchObject({ kind: 'project', state: 'deleted' });
      expect((await s.api('GET', `/projects/${s.projectId}`)).status).toBe(404);
      expect((await s.api('GET', `/projects/${s.projectId}/labels`)).status).toBe(404);
      expect((await s.api('POST', `/projects/${s.projectId}/exports`, {})).status).toBe(404);
      const list = (await s.api('GET', '/projects')).json as { items: { id: string }[] };
      expect(list.items.map((p) => p.id)).not.toContain(s.projectId);
      await expect(collect(ctx.store, s.owner, s.projectId, { params: ALL_PARAMS })).rejects.toThrow(
        /not found/,
      );
      expect((await s.api('POST', `/projects/${s.projectId}/restore`)).status).toBe(200);
      expect(await s.exported()).toEqual(before);
    });

    it('a dataset takes its rows out of every project and brings them back', async () => {
      const s = await setup(2, 1);
      const datasetId = (
        await ctx.store.db
          .selectFrom('data_rows')
          .where('id', '=', s.rowIds[0]!)
          .select('dataset_id')
          .executeTakeFirstOrThrow()
      ).dataset_id;
      const before = await s.exported();
      expect((await s.api('DELETE', `/datasets/${datasetId}`)).status).toBe(200);
      expect(await s.exported()).toEqual([]);
      expect((await s.api('GET', `/datasets/${datasetId}`)).status).toBe(404);
      const datasets = (await s.api('GET', '/datasets')).json as { items: { id: string }[] };
      expect(datasets.items.map((d) => d.id)).not.toContain(datasetId);
      // A row of a deleted dataset cannot come back alone.
      expect((await s.api('POST', `/datasets/${datasetId}/restore`)).status).toBe(200);
      expect(await s.exported()).toEqual(before);
    });
  });

  describe('purge and erasure', () => {
    it('purges after the retention window, not before (injected clock), leaving no row behind', async () => {
      const s = await setup(2, 1);
      const rowId = (
        await ctx.store.db
          .selectFrom('labels')
          .where('id', '=', s.labelIds[0]!)
          .select('data_row_id')
          .executeTakeFirstOrThrow()
      ).data_row_id;
      const del = await s.api('DELETE', `/data-rows/${rowId}`);
      const deletedAt = Date.parse((del.json as { deleted_at: string }).deleted_at);
      const retentionMs = 30 * DAY_MS;
      const trash = () =>
        ctx.store.db.selectFrom('trash').where('target_id', '=', rowId).select('id').execute();
      await purgeExpired(ctx.store, { retentionMs, now: deletedAt + retentionMs - 1000 });
      expect(await trash()).toHaveLength(1);
      await purgeExpired(ctx.store, { retentionMs, now: deletedAt + retentionMs + 1000 });
      expect(await trash()).toHaveLength(0);
      const leftovers = await ctx.store.db
        .selectFrom('trash_rows')
        .where('data', 'like', `%${rowId}%`)
        .select('trash_id')
        .execute();
      expect(leftovers).toEqual([]);
      expect(await count('data_rows', 'id', rowId)).toBe(0);
      expect(await count('labels', 'data_row_id', rowId)).toBe(0);
      expect(await count('project_data_rows', 'data_row_id', rowId)).toBe(0);
      expect((await s.api('POST', `/data-rows/${rowId}/restore`)).status).toBe(404);
    });

    it('purges a deleted project with everything in it', async () => {
      const s = await setup(2, 1);
      const del = await s.api('DELETE', `/projects/${s.projectId}`);
      const deletedAt = Date.parse((del.json as { deleted_at: string }).deleted_at);
      expect(
        await purgeExpired(ctx.store, { retentionMs: DAY_MS, now: deletedAt + 2 * DAY_MS }),
      ).toBeGreaterThan(0);
      for (const table of ['projects', 'labels', 'project_data_rows', 'batches', 'workflow_tasks'] as const) {
        const col = table === 'projects' ? 'id' : 'project_id';
        const left = await ctx.store.db
          .selectFrom(table)
          .where(col as never, '=', s.projectId as never)
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(left.n), table).toBe(0);
      }
      // The data rows themselves belong to their dataset and stay.
      expect(await count('data_rows', 'id', s.rowIds[0]!)).toBe(1);
    });

    it('erases at once for an admin only, recording who and when without the content', async () => {
      const s = await setup(2, 1);
      const rowId = s.rowIds[0]!;
      const manager = await colleague(ctx.store, s.owner, 'manager');
      await addMember(ctx.store, s.owner, s.projectId, { userId: manager.userId, role: 'manager' });
      const { key: managerKey } = await createApiKey(ctx.store, manager as Actor, { name: 'manager' });
      const checksum = await tableChecksums(ctx.store);
      const refused = await s.api('DELETE', `/data-rows/${rowId}?erase=true`, undefined, managerKey);
      expect(refused.status).toBe(403);
      expect(await tableChecksums(ctx.store)).toEqual(checksum);

      const rowData = (
        await ctx.store.db
          .selectFrom('data_rows')
          .where('id', '=', rowId)
          .select('row_data')
          .executeTakeFirstOrThrow()
      ).row_data;
      const erased = await s.api('DELETE', `/data-rows/${rowId}?erase=true`);
      expect(erased.status).toBe(200);
      expect(erased.json).toMatchObject({ kind: 'data_row', id: rowId, state: 'erased' });
      expect(await count('data_rows', 'id', rowId)).toBe(0);
      expect(
        await ctx.store.db.selectFrom('trash').where('target_id', '=', rowId).selectAll().execute(),
      ).toEqual([]);
      const records = await ctx.store.db
        .selectFrom('erasures')
        .where('target_id', '=', rowId)
        .selectAll()
        .execute();
      expect(records).toHaveLength(1);
      const record = records[0]!;
      expect(Object.keys(record).sort()).toEqual(
        ['erased_at', 'erased_by', 'id', 'kind', 'org_id', 'row_count', 'target_id'].sort(),
      );
      expect(record).toMatchObject({ kind: 'data_row', erased_by: s.owner.userId, org_id: s.owner.orgId });
      expect(record.row_count).toBeGreaterThan(1);
      expect(JSON.stringify(record)).not.toContain(rowData.slice(0, 40));
      expect((await s.api('POST', `/data-rows/${rowId}/restore`)).status).toBe(404);

      // Erasing what is already in the trash purges it.
      const other = s.rowIds[1]!;
      await s.api('DELETE', `/data-rows/${other}`);
      expect((await s.api('DELETE', `/data-rows/${other}?erase=true`)).json).toMatchObject({
        state: 'erased',
      });
      expect(
        await ctx.store.db.selectFrom('trash').where('target_id', '=', other).selectAll().execute(),
      ).toEqual([]);
    });
  });
});
