/**
 * Issue 4's "done when", end to end over HTTP with the SDK against a real server (`startServer`)
 * and a real export worker, on both backends. Everyone acts with their own API key, made by
 * themselves after logging in with the password the admin gave them:
 * the admin creates users, an ontology and a project (consensus 2) and adds the team; the manager
 * imports data rows and makes a batch asking for 2 labels per row; two labelers label every row;
 * a reviewer approves two rows and rejects one label; its labeler reworks it and the reviewer
 * approves it; the manager exports (export v2, every param) and the export shows every label,
 * review, consensus score, timing and workflow history entry, exactly as stored.
 */
import { AuthorizationError, Client, type ExportV2Row } from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { formatV2 } from '../src/shared/time.ts';
import { spec } from './data-rows-helpers.ts';
import { describeBackends } from './support/backends.ts';
import { orgAdmin } from './support/org-admin.ts';
import { ALL_PARAMS, SEED_FILTERS } from './support/seed-params.ts';
import { LABEL_TEST_ONTOLOGY } from './support/seed-rows.ts';
import { answers } from './workflow-helpers.ts';

const PASSWORD = 'a long enough password 1';

/** Logs in with a password (session cookie + CSRF token) and creates one's own API key. */
async function ownKey(url: string, email: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = /__Host-prefer_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${url}/api/v1/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie!, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: `scenario key of ${email}` }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { key: string }).key;
}

describeBackends('scenario: a whole project over the API', (ctx) => {
  let server: RunningServer;
  let worker: ExportWorker;

  beforeAll(async () => {
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner: exportRunner,
      pollMs: 20,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });

  it('admin, manager, two labelers and a reviewer run a project with consensus 2 to its export', async () => {
    const { url } = server;
    // The first admin and their key come from the command line (`prefer admin create`, `keys create`).
    const adminActor = await ctx.store.write((tx) =>
      orgAdmin(tx, 'Scenario org', `admin-${ctx.backend}@s.example`),
    );
    const adminKey = (await createApiKey(ctx.store, adminActor, { name: 'bootstrap' })).key;
    const admin = new Client({ endpoint: url, apiKey: adminKey });

    // 1. The admin creates the team; each member logs in and makes their own key.
    const people = ['manager', 'reviewer', 'labeler1', 'labeler2'] as const;
    const users = Object.fromEntries(
      await Promise.all(
        people.map(async (who) => {
          const user = await admin.createUser({
            email: `${who}-${ctx.backend}@s.example`,
            name: who,
            password: PASSWORD,
          });
          return [who, user] as const;
        }),
      ),
    ) as Record<(typeof people)[number], Awaited<ReturnType<Client['createUser']>>>;
    const clients = {} as Record<(typeof people)[number], Client>;
    for (const who of people) {
      clients[who] = new Client({ endpoint: url, apiKey: await ownKey(url, users[who].email) });
    }
    const emailOf = new Map(Object.values(users).map((u) => [u.id, u.email]));

    const ontology = await admin.createOntology('Preference', LABEL_TEST_ONTOLOGY);
    const created = await admin.createProject({
      name: 'Scenario',
      ontologyId: ontology.id,
      consensusExpectedLabelCount: 2,
    });
    await created.addMember({ userId: users.manager.id, role: 'manager' });
    await created.addMember({ userId: users.reviewer.id, role: 'reviewer' });
    await created.addMember({ userId: users.labeler1.id, role: 'labeler' });
    await created.addMember({ email: users.labeler2.email, role: 'labeler' });

    // 2. The manager imports data and makes a batch asking for 2 labels per row.
    const manager = await clients.manager.getProject(created.id);
    const dataset = await clients.manager.createDataset({ name: 'Scenario conversations' });
    const keys = ['s-1', 's-2', 's-3'].map((k) => `${k}-${ctx.backend}`);
    expect(await dataset.createDataRows(keys.map((k) => spec(k)))).toMatchObject({ dataRows: 3 });
    const batch = await manager.createBatch({
      name: 'Consensus batch',
      globalKeys: keys,
      priority: 2,
      consensusExpectedLabelCount: 2,
    });
    expect(batch.dataRowCount).toBe(3);

    // A labeler may neither import nor export.
    const labeler1 = await clients.labeler1.getProject(created.id);
    const labeler2 = await clients.labeler2.getProject(created.id);
    await expect(labeler1.exportV2({ params: ALL_PARAMS })).rejects.toBeInstanceOf(AuthorizationError);
    await expect(clients.labeler1.createDataset({ name: 'no' })).rejects.toBeInstanceOf(AuthorizationError);

    // 3. Two labelers label every row (labeler1 ticks one evaluation, labeler2 two).
    // Taking turns: a row one labeler holds under lease is not offered to the other meanwhile.
    const labelOne = async (project: typeof labeler1, evaluations: string[], labels: Map<string, string>) => {
      const row = await project.nextRow();
      if (!row) return false;
      const submitted = await project.submitLabel({
        dataRowId: row.dataRowId,
        classifications: answers('Response A', evaluations),
        secondsToCreate: (evaluations.length === 1 ? 10 : 20) + labels.size,
      });
      labels.set(row.dataRowId, submitted.labelId);
      return true;
    };
    const byLabeler1 = new Map<string, string>();
    const byLabeler2 = new Map<string, string>();
    for (let turn = 0; turn < 10; turn++) {
      const took1 = await labelOne(labeler1, ['Relevance'], byLabeler1);
      const took2 = await labelOne(labeler2, ['Relevance', 'Usefulness'], byLabeler2);
      if (!took1 && !took2) break;
    }
    expect(byLabeler1.size).toBe(3);
    expect(byLabeler2.size).toBe(3);
    expect((await manager.queueStats()).counts).toEqual({ TO_LABEL: 0, IN_REVIEW: 3, IN_REWORK: 0, DONE: 0 });
    // A labeler sees only their own labels; the reviewer sees all six.
    const reviewer = await clients.reviewer.getProject(created.id);
    const own = [];
    for await (const label of labeler1.labels()) own.push(label);
    expect(
      own.map((l) => l.createdBy).every((by) => by === users.labeler1.email || by === users.labeler1.id),
    ).toBe(true);
    expect(own).toHaveLength(3);
    const all = [];
    for await (const label of reviewer.labels()) all.push(label);
    expect(all).toHaveLength(6);

    // 4. The reviewer approves two rows and rejects labeler1's label of the third.
    const rows = [...byLabeler1.keys()].sort();
    const [r1, r2, r3] = rows as [string, string, string];
    await reviewer.approveLabel(byLabeler2.get(r1)!, { secondsToReview: 3 });
    await reviewer.approveLabel(byLabeler2.get(r2)!, { secondsToReview: 3.5 });
    const rejected = await reviewer.rejectLabel(byLabeler1.get(r3)!, {
      reason: 'tick usefulness too',
      secondsToReview: 4,
    });
    expect(rejected.workflowStatus).toBe('IN_REWORK');

    // 5. labeler1 reworks it (now agreeing with labeler2) and the reviewer approves it.
    const reworked = await labeler1.submitLabel({
      dataRowId: r3,
      classifications: answers('Response A', ['Relevance', 'Usefulness']),
      secondsToCreate: 5,
    });
    expect(reworked).toMatchObject({ labelId: byLabeler1.get(r3), workflowStatus: 'IN_REVIEW' });
    await reviewer.approveLabel(byLabeler1.get(r3)!, { secondsToReview: 2.5 });
    expect((await manager.queueStats()).counts).toEqual({ TO_LABEL: 0, IN_REVIEW: 0, IN_REWORK: 0, DONE: 3 });

    // 6. The manager exports everything.
    const task = await manager.exportV2({ params: ALL_PARAMS, filters: SEED_FILTERS, taskName: 'scenario' });
    await task.waitTillDone({ timeoutSeconds: 120 });
    expect(await task.errors()).toBeNull();
    const exported: ExportV2Row[] = await task.result();
    expect(exported.map((r) => r.data_row.global_key).sort()).toEqual([...keys].sort());

    // The export against what is stored: every label, review, score, timing and history entry.
    const db = ctx.store.db;
    for (const line of exported) {
      const rowId = line.data_row.id;
      const project = (line.projects as unknown as Record<string, ProjectEntry>)[created.id]!;
      const labels = await db
        .selectFrom('labels')
        .where('project_id', '=', created.id)
        .where('data_row_id', '=', rowId)
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      expect(labels).toHaveLength(2);
      expect(project.labels.map((l) => l.id)).toEqual(labels.map((l) => l.id));
      for (const [i, label] of labels.entries()) {
        const out = project.labels[i]!;
        const reviews = await db
          .selectFrom('reviews')
          .where('label_id', '=', label.id)
          .selectAll()
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        expect(out.label_details.created_by).toBe(emailOf.get(label.created_by));
        expect(out.label_details.reviews).toEqual(
          reviews.map((r) => ({
            id: r.id,
            score: r.score,
            created_at: formatV2(r.created_at),
            created_by: users.reviewer.email,
          })),
        );
        expect(out.performance_details).toMatchObject({
          seconds_to_create: label.seconds_to_create,
          seconds_to_review: label.seconds_to_review ?? 0,
          skipped: false,
          consensus_score: label.consensus_score,
        });
      }
      const history = await db
        .selectFrom('workflow_history')
        .where('project_id', '=', created.id)
        .where('data_row_id', '=', rowId)
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      expect(
        project.project_details.workflow_history.map((h) => [h.action, h.created_by, h.next_task_name]),
      ).toEqual(
        history.map((h) => [h.action, emailOf.get(h.created_by) ?? adminActor.email, h.next_task_name]),
      );
      expect(project.project_details).toMatchObject({
        batch_name: 'Consensus batch',
        workflow_status: 'DONE',
        task_name: 'Done',
        priority: 2,
        consensus_expected_label_count: 2,
      });
    }

    // And the values the story implies, independent of the stored rows.
    const entry = (rowId: string) =>
      (exported.find((r) => r.data_row.id === rowId)!.projects as unknown as Record<string, ProjectEntry>)[
        created.id
      ]!;
    const labelOf = (rowId: string, labelId: string) => entry(rowId).labels.find((l) => l.id === labelId)!;
    // Radio agrees (1), checklists {Relevance} vs {Relevance, Usefulness} (Jaccard 0.5): 0.75.
    for (const rowId of [r1, r2]) {
      expect(labelOf(rowId, byLabeler1.get(rowId)!).performance_details.consensus_score).toBe(0.75);
      expect(labelOf(rowId, byLabeler2.get(rowId)!).performance_details.consensus_score).toBe(0.75);
    }
    // After the rework both labels of r3 agree fully.
    const reworkedLabel = labelOf(r3, byLabeler1.get(r3)!);
    expect(reworkedLabel.performance_details).toMatchObject({ consensus_score: 1, seconds_to_review: 6.5 });
    expect(reworkedLabel.label_details.reviews.map((r) => r.score)).toEqual([-1, 1]);
    expect(labelOf(r1, byLabeler2.get(r1)!).performance_details.seconds_to_review).toBe(3);
    expect(labelOf(r2, byLabeler2.get(r2)!).performance_details.seconds_to_review).toBe(3.5);
    // labeler1's first label of r3 took 10-12 s; the rework added 5.
    expect(reworkedLabel.performance_details.seconds_to_create).toBeGreaterThanOrEqual(15);
    const actions = (rowId: string) =>
      entry(rowId)
        .project_details.workflow_history.map((h) => h.action)
        .reverse();
    expect(actions(r1)).toEqual(['Move', 'Move', 'Approve']);
    expect(actions(r3)).toEqual(['Move', 'Move', 'Reject', 'Move', 'Approve']);
  });
});

interface ProjectEntry {
  labels: {
    id: string;
    label_details: {
      created_by: string;
      reviews: { id: string; score: number; created_at: string; created_by: string }[];
    };
    performance_details: {
      seconds_to_create: number | null;
      seconds_to_review: number | null;
      skipped: boolean;
      consensus_score?: number | null;
    };
  }[];
  project_details: {
    workflow_history: { action: string; created_by: string; next_task_name: string }[];
  } & Record<string, unknown>;
}
