/**
 * The Labelbox export importer as a cross-organization oracle (issue 10, finding 8). Ids and
 * emails are global, so an id or email another organization holds cannot be used; but the answer
 * must not say that another organization holds it: an id of another organization is refused with
 * the same fault as an unusable id of one's own, and an email only "cannot be used".
 */
import { beforeAll, expect, it } from 'vitest';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import {
  fixtureRow,
  ndjson,
  newOrgActor,
  ONTOLOGY,
  renameIds,
  SEED,
  tableCounts,
  variant,
} from './fixtures/labelbox-lines.ts';
import { describeBackends } from './support/backends.ts';

const DATASET_NAME = 'pairwise_demo_42454af2-b7b5-45c0-a25a-90f97efd49be';
const LABELER = 'labeler@example.com';

describeBackends('security: the migration import tells nothing of other organizations', (ctx) => {
  let owner: Actor;
  let other: Actor;

  beforeAll(async () => {
    owner = await newOrgActor(ctx.store, 'Owner org');
    other = await newOrgActor(ctx.store, 'Prober org');
    const seeded = await importLabelboxExport(ctx.store, owner, { input: ndjson(fixtureRow(SEED)) });
    expect(seeded.ok).toBe(true);
  });

  async function faults(actor: Actor, line: unknown): Promise<string[]> {
    const before = await tableCounts(ctx.store);
    const result = await importLabelboxExport(ctx.store, actor, { input: ndjson(line as never) });
    expect(await tableCounts(ctx.store)).toEqual(before);
    if (result.ok) throw new Error('the import was accepted');
    return result.errors.map((f) => `${f.line} ${f.path ?? ''}: ${f.message}`);
  }

  it("answers another organization's ids exactly as its own unusable ones", async () => {
    // The same ids, the dataset renamed: every id is taken, and the dataset cannot be reused.
    const line = renameIds(fixtureRow(SEED), { [DATASET_NAME]: 'another name' });
    const own = await faults(owner, line);
    const probe = await faults(other, renameIds(line, { [LABELER]: 'labeler@prober.example.com' }));
    // An ontology of one's own is always reused: the prober alone gets that fault.
    const ontology = probe.filter((f) => f.includes(ONTOLOGY));
    expect(ontology).toHaveLength(1);
    // Global keys are each organization's own: only the owner's are taken.
    const ids = (list: string[]) => list.filter((f) => !f.includes(ONTOLOGY) && !f.includes('global_key'));
    expect(ids(probe)).toEqual(ids(own));
    expect(own.some((f) => f.includes('dataset'))).toBe(true);
    for (const f of probe) expect(f).not.toMatch(/organization|tenant|belongs/i);
  });

  it('the dataset of another organization, even under its own name, is refused like one of another name', async () => {
    const mine = await faults(
      owner,
      renameIds(variant(1), { [DATASET_NAME]: 'another name', [LABELER]: 'x@example.com' }),
    );
    const theirs = await faults(other, renameIds(variant(2), { [LABELER]: 'y@prober.example.com' }));
    const dataset = (list: string[]) => list.filter((f) => f.includes('dataset'));
    expect(dataset(mine)).toHaveLength(1);
    expect(dataset(theirs)).toEqual(dataset(mine));
  });

  it('an email of another organization only "cannot be used"', async () => {
    const probe = await faults(other, variant(3));
    const emails = probe.filter((f) => f.includes(LABELER));
    expect(emails.length).toBeGreaterThan(0);
    for (const f of emails) expect(f).toMatch(new RegExp(`: the email ${LABELER} cannot be used`));
    for (const f of probe) expect(f).not.toMatch(/organization|tenant|belongs/i);
  });
});
