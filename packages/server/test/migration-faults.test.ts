/**
 * Bad input: every fault is listed with its line and path, and the database is left exactly as
 * it was (counted table by table), even when valid lines came before the bad one.
 */
import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import {
  BATCH,
  type ExportLine,
  type ExportProject,
  fixtureRow,
  LABEL,
  LABEL_TASK,
  ndjson,
  newOrgActor,
  PROJECT,
  REVIEW_TASK,
  ROW,
  renameIds,
  SEED,
  tableCounts,
  variant,
} from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('migration: bad input leaves the database unchanged', (ctx) => {
  let actor: Actor;
  beforeAll(async () => {
    actor = await newOrgActor(ctx.store, 'Faults org');
    const seeded = await importLabelboxExport(ctx.store, actor, { input: ndjson(fixtureRow(SEED)) });
    expect(seeded.ok).toBe(true);
  });

  /** Imports the lines and answers the listed faults as `line path: message`, checking nothing changed. */
  async function refused(lines: (ExportLine | string)[], options: { ontology?: unknown } = {}) {
    const before = await tableCounts(ctx.store);
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(...lines), ...options });
    expect(await tableCounts(ctx.store)).toEqual(before);
    if (result.ok) throw new Error('the import was accepted');
    expect(result.errorCount).toBe(result.errors.length);
    return result.errors.map((f) => `${f.line} ${f.path}: ${f.message}`);
  }

  it('a malformed line, after a valid one', async () => {
    const faults = await refused([variant(1), '{"data_row": {"id": "c0000000000000000000000'.concat('01"')]);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(/^2 \$/);
  });

  it('a missing data_row.id', async () => {
    const row = variant(2);
    delete row.data_row.id;
    expect(await refused([row])).toEqual([
      '1 $.data_row.id: expected a non-empty string, got nothing (the key is missing)',
    ]);
  });

  it('an id that is not a Labelbox id', async () => {
    const row = variant(3);
    row.data_row.id = 'row-1';
    expect(await refused([row])).toEqual([
      '1 $.data_row.id: not a Labelbox id (c then 24 of 0-9 a-z): "row-1"',
    ]);
  });

  it('a bad timestamp format, wherever it is', async () => {
    const row = variant(4);
    row.data_row.details!.created_at = '2023-11-28 19:30:49';
    const history = row.projects[Object.keys(row.projects)[0]!]!.project_details!.workflow_history as {
      created_at: string;
    }[];
    history[1]!.created_at = '1701199867631';
    expect(await refused([row])).toEqual([
      '1 $.data_row.details.created_at: expected a timestamp like 2023-11-28T19:30:49.729+00:00, got string "2023-11-28 19:30:49"',
      `1 $.projects["${Object.keys(row.projects)[0]}"].project_details.workflow_history[1].created_at: expected a timestamp like 2023-11-28T19:30:49.729+00:00, got string "1701199867631"`,
    ]);
  });

  it('the same data row id twice in the file', async () => {
    const second = variant(5);
    const first = variant(6);
    second.data_row.id = first.data_row.id;
    // Different projects and labels, so the data row id is the only clash.
    const faults = await refused([first, second]);
    expect(faults).toEqual([`2 $.data_row.id: data row id "${first.data_row.id}" appears twice in the file`]);
  });

  it('a data row id already in the store', async () => {
    const row = variant(7);
    row.data_row.id = ROW;
    expect(await refused([row])).toEqual([`1 $.data_row.id: conflict: data row ${ROW} already exists`]);
  });

  it('a global key already in the store, whatever its case', async () => {
    const row = variant(8);
    row.data_row.global_key = '0914C7DA-5999-464B-B621-054A5247CF48';
    expect(await refused([row])).toEqual([
      '1 $.data_row.global_key: conflict: global key "0914C7DA-5999-464B-B621-054A5247CF48" is already used',
    ]);
  });

  it('one project id with conflicting fields on two lines', async () => {
    const a = variant(9);
    const projectId = Object.keys(a.projects)[0]!;
    const batchId = a.projects[projectId]!.project_details!.batch_id;
    /** Another row in the project of line 1. */
    const sameProject = (n: number, change: (p: ExportProject) => void) => {
      const row = variant(n);
      const p = row.projects[Object.keys(row.projects)[0]!]!;
      change(p);
      row.projects = { [projectId]: p };
      return row;
    };
    const renamed = sameProject(10, (p) => {
      p.name = 'Renamed project';
    });
    const recounted = sameProject(23, (p) => {
      p.project_details!.batch_id = batchId;
      p.project_details!.consensus_expected_label_count = 3;
    });
    // Another batch of the project may want another count: that one is fine.
    const otherBatch = sameProject(24, (p) => {
      p.project_details!.consensus_expected_label_count = 2;
    });
    expect(await refused([a, renamed, recounted, otherBatch])).toEqual([
      `2 $.projects["${projectId}"]: project ${projectId} has another name than on line 1`,
      `3 $.projects["${projectId}"].project_details.batch_id: batch ${batchId} has another consensus_expected_label_count than on line 1`,
    ]);
  });

  it('one batch id in two projects, one task id in two projects', async () => {
    const a = variant(11);
    const b = variant(12);
    const da = a.projects[Object.keys(a.projects)[0]!]!.project_details!;
    const db = b.projects[Object.keys(b.projects)[0]!]!.project_details!;
    db.batch_id = da.batch_id;
    db.task_id = da.task_id;
    const faults = await refused([a, b]);
    expect(faults).toHaveLength(2);
    expect(faults[0]).toMatch(/^2 .*\.batch_id: batch .* has another project than on line 1$/);
    expect(faults[1]).toMatch(/^2 .*project_details: workflow task .* belongs to project .* on line 1$/);
  });

  it('a project id already in the store', async () => {
    const row = variant(13);
    const own = Object.keys(row.projects)[0]!;
    row.projects = { [PROJECT]: row.projects[own]! };
    const faults = await refused([row]);
    expect(faults).toContain(`1 $.projects["${PROJECT}"]: conflict: project ${PROJECT} already exists`);
  });

  it("another organization's ids answer like any existing id", async () => {
    const other = await newOrgActor(ctx.store, 'Other org');
    // The seed's data row, dataset and ontology belong to the first organization.
    const row = renameIds(variant(21), { 'labeler@example.com': 'labeler@other.example.com' });
    row.data_row.id = ROW;
    const before = await tableCounts(ctx.store);
    const result = await importLabelboxExport(ctx.store, other, { input: ndjson(row) });
    expect(await tableCounts(ctx.store)).toEqual(before);
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { line: 1, path: '$.data_row.id', message: `conflict: data row ${ROW} already exists` },
        {
          line: 1,
          path: '$.data_row.details',
          message: 'conflict: dataset clpiqgrsr00f60737sqeiaf4v already exists and cannot be reused',
        },
        {
          line: 1,
          message: 'conflict: ontology clpiqh0ud04mp0729adeoccsl already exists and cannot be reused',
        },
      ],
    });
  });

  it('two imports of the same rows at once: one wins, the other is refused without an exception', async () => {
    const row = renameIds(variant(22), { 'labeler@example.com': 'racer@example.com' });
    const results = await Promise.all([
      importLabelboxExport(ctx.store, actor, { input: ndjson(row) }),
      importLabelboxExport(ctx.store, actor, { input: ndjson(row) }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused).toMatchObject({ ok: false });
    if (refused && !refused.ok) for (const f of refused.errors) expect(f.message).toMatch(/^conflict: /);
    const rows = await ctx.store.db
      .selectFrom('data_rows')
      .select('id')
      .where('id', '=', row.data_row.id as string)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('a created_by that is not an email', async () => {
    const row = variant(14);
    row.data_row.details!.created_by = 'Labeler Name';
    expect(await refused([row])).toEqual([
      '1 $.data_row.details.created_by: not an email address: "Labeler Name"',
    ]);
  });

  it('bad answer shapes and a wrong workflow status', async () => {
    const row = variant(15);
    const project = row.projects[Object.keys(row.projects)[0]!]!;
    project.project_details!.workflow_status = 'Done';
    const classes = project.labels[0]!.annotations.classifications as Record<string, unknown>[];
    classes[0]!.text_answer = { content: 'two answers' };
    classes[2]!.conversational_checklist_answers = classes[2]!.checklist_answers;
    delete classes[2]!.checklist_answers;
    const faults = await refused([row]);
    const at = `$.projects["${Object.keys(row.projects)[0]}"]`;
    expect(faults).toEqual([
      `1 ${at}.project_details.workflow_status: expected one of TO_LABEL, IN_REVIEW, IN_REWORK, DONE`,
    ]);
    project.project_details!.workflow_status = 'DONE';
    expect(await refused([row])).toEqual([
      `1 ${at}.labels[0].annotations.classifications[0]: expected exactly one answer key of radio_answer, checklist_answers, text_answer, conversational_radio_answer, conversational_checklist_answers, conversational_text_answer`,
      `1 ${at}.labels[0].annotations.classifications[2].message_id: a message-scoped answer needs a message_id (and cannot be nested)`,
    ]);
  });

  it('an invalid given ontology', async () => {
    const ontology = {
      tools: [],
      classifications: [{ type: 'radio', name: 'Choose the best response', options: [] }],
    };
    expect(await refused([variant(16)], { ontology })).toEqual([
      'undefined ontology $.classifications[0].options: a radio classification needs at least 1 option',
    ]);
  });

  it('labels whose rebuilt ontology is not valid (one question name, two schema ids)', async () => {
    // A new ontology id: an existing ontology is reused, not rebuilt.
    const row = renameIds(variant(17), { clpiqh0ud04mp0729adeoccsl: 'cnewontology0000000000001' });
    const label = row.projects[Object.keys(row.projects)[0]!]!.labels[0]!;
    const classes = label.annotations.classifications as Record<string, unknown>[];
    classes[1]!.name = 'Choose the best response';
    const faults = await refused([row]);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(
      /^undefined ontology cnewontology0000000000001 \$\.classifications\[1\]\.name: .*Choose the best response.* \(in the ontology rebuilt from the labels; pass the project's ontology JSON instead\)$/,
    );
  });

  it('one metadata schema twice in a row', async () => {
    const row = variant(18);
    const field = { schema_id: 'cmetatwice000000000000001', schema_name: 'twice', value: 'a' };
    row.metadata_fields = [field, { ...field, value: 'b' }];
    expect(await refused([row])).toEqual([
      '1 $.metadata_fields[1].schema_id: metadata schema cmetatwice000000000000001 appears twice in this row',
    ]);
  });

  it('lists faults of every pass in line order', async () => {
    const conflicting = variant(19);
    conflicting.data_row.id = ROW;
    const faults = await refused([conflicting, variant(20), '{"data_row": 1']);
    expect(faults.map((f) => f.split(' ')[0])).toEqual(['1', '3']);
  });

  it('lists the first 100 faults and counts them all', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `{"data_row": ${i}}`);
    const before = await tableCounts(ctx.store);
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(...lines) });
    expect(result).toMatchObject({ ok: false, errorCount: 300 });
    if (!result.ok) expect(result.errors).toHaveLength(100);
    expect(await tableCounts(ctx.store)).toEqual(before);
  });

  /** `count` rows of one new project (tag `p`), as several pages of the importer. */
  const onePage = 200;
  function projectRows(count: number, p: string): ExportLine[] {
    return Array.from({ length: count }, (_, i) => {
      const tag = `${p}${i.toString(36).padStart(3, '0')}`;
      return renameIds(fixtureRow(SEED), {
        [ROW]: `${ROW.slice(0, 21)}${tag}`,
        [LABEL]: `${LABEL.slice(0, 21)}${tag}`,
        '0914c7da-5999-464b-b621-054a5247cf48': `global-key-${tag}`,
        [PROJECT]: `${PROJECT.slice(0, 21)}${p}000`,
        [LABEL_TASK]: `${LABEL_TASK.slice(0, 32)}${p}000`,
        [REVIEW_TASK]: `${REVIEW_TASK.slice(0, 32)}${p}000`,
        [BATCH]: `${BATCH.slice(0, 32)}${p}000`,
      });
    });
  }

  it('a conflict on the third page, after two pages were written', async () => {
    const lines = projectRows(2 * onePage + 50, 'q');
    lines[2 * onePage + 20]!.data_row.id = ROW;
    expect(await refused(lines)).toEqual([
      `${2 * onePage + 21} $.data_row.id: conflict: data row ${ROW} already exists`,
    ]);
  });

  it('a file that fails to read after two pages: rejected, nothing kept, the store still writes', async () => {
    const before = await tableCounts(ctx.store);
    // The read fails after the line after the second page, while that page is being written
    // (a line per read: the stream is asked for more only as lines are taken).
    const lines = projectRows(2 * onePage + 1, 'r').map((l) => `${JSON.stringify(l)}\n`);
    let next = 0;
    const input = new Readable({
      highWaterMark: 1,
      read() {
        if (next < lines.length) this.push(lines[next++]);
        else this.destroy(new Error('disk read failed'));
      },
    });
    await expect(importLabelboxExport(ctx.store, actor, { input })).rejects.toThrow('disk read failed');
    expect(await tableCounts(ctx.store)).toEqual(before);
    const after = await importLabelboxExport(ctx.store, actor, { input: ndjson(...projectRows(3, 'r')) });
    expect(after).toMatchObject({ ok: true, counts: { dataRows: 3 } });
  });

  it('an empty file', async () => {
    expect(await refused([''])).toEqual(['undefined $: the file holds no export rows']);
  });
});
