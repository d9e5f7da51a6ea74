/**
 * The editor for multimodal chat (conversation v2) rows in a real Chromium against a real server,
 * on SQLite and PostgreSQL: the spec's §1.6 conversation labeled by keyboard only (a ranking of
 * three replies, single and multi selection, message-scoped questions, a global question), a
 * reload mid-label that brings the draft back, the export row compared whole with a hand-written
 * one; a ranking dragged by pointer; the hostile-text corpus in the v2 views; the reviewer's
 * read-only view and approval. Screenshots land in test-results/web/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Client } from '@prefer/sdk';
import {
  addMember,
  createApiKey,
  createBatch,
  createDataset,
  createOntology,
  createProject,
  importDataRows,
  localActor,
} from '@prefer/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MMC_IDS, MMC_ONTOLOGY, MMC_ROW_TEXT } from '../../server/test/fixtures/mmc.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { maskIds } from '../../server/test/support/seed-rows.ts';
import { displayedOrder } from '../src/editor/order.ts';
import { type AppServer, startAppServer } from './support/app-server.ts';
import { browserSkipReason, expectAccessible, launchBrowser, screenshot } from './support/browser.ts';
import { projectLink, signedInPage } from './support/pages.ts';

const skip = browserSkipReason();
const PROJECT = 'Chat evaluation';

/** The hostile-text corpus of xss.test.ts, in a v2 row's every text. */
const P = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<svg onload="window.__pwned='svg'">`,
  `</script><script>window.__pwned='script'</script>`,
  `[click me](javascript:window.__pwned='md-link')`,
  `" onfocus="window.__pwned='onfocus'" autofocus="`,
  `![pixel](javascript:window.__pwned='md-image')`,
  `<a href="javascript:window.__pwned='a-href'">a</a>`,
  `[data](data:text/html,<script>window.__pwned='data'</script>)`,
  `$\\href{javascript:window.__pwned='katex-href'}{katex link}$`,
] as const;

const hostileRow = {
  global_key: 'mmc-hostile',
  media_type: 'CONVERSATIONAL',
  row_data: {
    type: 'application/vnd.labelbox.conversational.model-chat-evaluation',
    version: 2,
    actors: {
      h: { role: 'human', metadata: { name: P[0] } },
      x: { role: 'model', metadata: { modelConfigName: `Secret model ${P[1]}` } },
      y: { role: 'model', metadata: { modelConfigName: P[2] } },
      z: { role: 'model', metadata: { modelConfigName: 'plain' } },
    },
    messages: {
      q: {
        actorId: 'h',
        content: [{ type: 'text', content: P.join('\n\n') }],
        childMessageIds: ['r1', 'r2', 'r3'],
      },
      r1: { actorId: 'x', content: [{ type: 'text', content: P.slice(3).join('\n') }], childMessageIds: [] },
      r2: {
        actorId: 'y',
        content: [
          { type: 'text', content: P[4] },
          {
            type: 'fileData',
            fileUri: `https://files.example/a.png?x="><img src=x onerror=window.__pwned=1>`,
            mimeType: 'image/png',
          },
        ],
        childMessageIds: [],
      },
      r3: { actorId: 'z', content: [{ type: 'text', content: P[0] }], childMessageIds: [] },
    },
    rootMessageIds: ['q'],
  },
};

describeBackends('web app: multimodal chat rows', (ctx) => {
  let browser: Browser;
  let app: AppServer;
  let api: Client;
  let projectId = '';
  let rowId = '';
  let hostileId = '';
  let labelerId = '';
  let labeler: Page;
  const shot = (page: Page, name: string) => screenshot(page, `${ctx.backend}-mmc-${name}`);

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer(ctx.store, ctx.dir);
    browser = await launchBrowser();
    const admin = await localActor(ctx.store);
    const { key } = await createApiKey(ctx.store, admin, { name: 'test' });
    api = new Client({ endpoint: app.url, apiKey: key });
    const dataset = await createDataset(ctx.store, admin, { name: 'mmc rows' });
    const text = `${MMC_ROW_TEXT.replaceAll('\n', '')}\n${JSON.stringify(hostileRow)}\n`;
    const imported = await importDataRows(ctx.store, admin, {
      datasetId: dataset.id,
      input: Readable.from([Buffer.from(text)]),
    });
    expect(imported.ok).toBe(true);
    const ontology = await createOntology(ctx.store, admin, { name: 'mmc', ontology: MMC_ONTOLOGY });
    const project = await createProject(ctx.store, admin, {
      name: PROJECT,
      ontologyId: ontology.id,
      editorTaskType: 'OFFLINE_MODEL_CHAT_EVALUATION',
    });
    projectId = project.id;
    await createBatch(ctx.store, admin, { projectId, name: 'b', datasetId: dataset.id });
    for (const [email, role] of [
      [app.users.labeler, 'labeler'],
      [app.users.reviewer, 'reviewer'],
    ] as const) {
      await addMember(ctx.store, admin, projectId, { email, role });
    }
    for await (const u of api.getUsers()) if (u.email === app.users.labeler) labelerId = u.id;
    for await (const row of (await api.getDataset(dataset.id)).dataRows()) {
      if (row.globalKey === 'mmc-example-0001') rowId = row.id;
      if (row.globalKey === 'mmc-hostile') hostileId = row.id;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The reply ids of a prompt in the order this labeler sees them, left to right. */
  const shown = (prompt: string, replies: string[]) =>
    displayedOrder(replies, labelerId, `${rowId}\u0000${prompt}`);
  const title = (order: string[], id: string) => `Model reply ${order.indexOf(id) + 1}`;
  const turn = (page: Page, n: number) => page.getByRole('region', { name: `Turn ${n}`, exact: true });

  it.skipIf(skip)(
    'labels the §1.6 row by keyboard only, keeps the draft over a reload, and exports the hand-written row',
    async () => {
      const { prompt1, prompt2, a1, b1, c1, a2, b2 } = MMC_IDS;
      const order1 = shown(prompt1, [a1, b1, c1]);
      const order2 = shown(prompt2, [a2, b2]);
      labeler = await signedInPage(browser, app.url, app.users.labeler);
      await projectLink(labeler, PROJECT, 'Start labeling').focus();
      await labeler.keyboard.press('Enter');
      const t1 = turn(labeler, 1);
      await t1.getByRole('region', { name: 'Model reply 3' }).waitFor();
      // The replies stand in this labeler's order; model names never show.
      expect(await t1.locator('.output-title').allInnerTexts()).toEqual([
        'Model reply 1',
        'Model reply 2',
        'Model reply 3',
      ]);
      await t1
        .getByRole('region', { name: title(order1, c1) })
        .getByText('The capital is Canberra, not Sydney.')
        .waitFor();
      await turn(labeler, 2)
        .getByRole('region', { name: title(order2, a2) })
        .getByText('Parliament moved there in 1927.')
        .waitFor();
      expect(await labeler.getByText('Model A').count()).toBe(0);
      await shot(labeler, 'editor-1440');
      await expectAccessible(labeler, 'mmc editor');

      // Focus starts in turn 1: 1..3 pick the single selection, Shift+1..3 tick the multi selection.
      const pos = (id: string) => String(order1.indexOf(id) + 1);
      await labeler.keyboard.press(pos(a1));
      await labeler.keyboard.press(pos(c1));
      await labeler.keyboard.press(`Shift+${pos(a1)}`);
      await labeler.keyboard.press(`Shift+${pos(b1)}`);
      await labeler.keyboard.press(`Shift+${pos(c1)}`);
      await labeler.keyboard.press(`Shift+${pos(b1)}`);
      const single = t1.getByRole('group', { name: 'Single message selection' });
      expect(await single.getByRole('radio', { name: title(order1, c1) }).isChecked()).toBe(true);
      const multi = t1.getByRole('group', { name: 'Multi message selection' });
      for (const [id, on] of [
        [a1, true],
        [b1, false],
        [c1, true],
      ] as const) {
        expect(await multi.getByRole('checkbox', { name: title(order1, id) }).isChecked()).toBe(on);
      }

      // Ranking: a focused reply takes its rank from a digit, and moves with Alt+arrows.
      const ranking = t1.getByRole('list', { name: 'Message ranking' });
      expect(await ranking.getByRole('listitem').allInnerTexts()).toHaveLength(3);
      await ranking.getByRole('listitem', { name: `${title(order1, b1)}, not ranked yet` }).focus();
      await labeler.keyboard.press('1');
      await ranking.getByRole('listitem', { name: `${title(order1, b1)}, rank 1` }).waitFor();
      await labeler.keyboard.press('Alt+ArrowDown');
      await labeler.keyboard.press('Alt+ArrowDown');
      await ranking.getByRole('listitem', { name: `${title(order1, b1)}, rank 3` }).waitFor();
      await ranking.getByRole('listitem', { name: new RegExp(`^${title(order1, c1)}, rank`) }).focus();
      await labeler.keyboard.press('1');
      const ranks = async () =>
        ranking.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      expect(await ranks()).toEqual([
        `${title(order1, c1)}, rank 1`,
        `${title(order1, a1)}, rank 2`,
        `${title(order1, b1)}, rank 3`,
      ]);
      expect(await labeler.locator('[aria-live="polite"]').first().textContent()).toBe(
        `${title(order1, c1)} moved to rank 1 of 3`,
      );

      // Message-scoped questions sit beside their message: here reply B of turn 1.
      const replyB = t1.getByRole('region', { name: title(order1, b1) });
      await replyB.getByText('Questions on this message').focus();
      await labeler.keyboard.press('Enter');
      await labeler.keyboard.press('Tab');
      await labeler.keyboard.press('Space');
      await labeler.keyboard.press('Tab');
      await labeler.keyboard.press('Tab');
      await labeler.keyboard.type('Factually');
      // The reload once the draft holds the last keystroke (a fixed pause lost it on a loaded CI).
      await labeler.waitForFunction(
        "Object.keys(localStorage).some((k) => (localStorage.getItem(k) ?? '').includes('Factually'))",
      );
      await labeler.reload();

      // The draft comes back: the same order, every answer.
      await t1.getByRole('region', { name: 'Model reply 3' }).waitFor();
      expect(await ranks()).toEqual([
        `${title(order1, c1)}, rank 1`,
        `${title(order1, a1)}, rank 2`,
        `${title(order1, b1)}, rank 3`,
      ]);
      expect(await single.getByRole('radio', { name: title(order1, c1) }).isChecked()).toBe(true);
      expect(await multi.getByRole('checkbox', { name: title(order1, a1) }).isChecked()).toBe(true);
      expect(await replyB.getByRole('checkbox', { name: 'first_checklist_answer' }).isChecked()).toBe(true);
      const why = replyB.getByRole('textbox', { name: 'text_convo' });
      expect(await why.inputValue()).toBe('Factually');
      await why.focus();
      await labeler.keyboard.press('End');
      await labeler.keyboard.type(' wrong');
      await labeler.keyboard.press('Escape');
      await labeler.getByRole('radio', { name: 'Response A' }).focus();
      await labeler.keyboard.press('Space');
      await labeler.waitForTimeout(120);
      await shot(labeler, 'editor-answered-1440');
      await labeler.keyboard.press('Control+Enter');
      await labeler.getByText('1 done this session').waitFor();

      const project = await api.getProject(projectId);
      const labels = [];
      for await (const l of project.labels({ dataRowId: rowId })) labels.push(l);
      expect(labels).toHaveLength(1);
      expect(labels[0]!.displayedOrder).toEqual([...order1, ...order2]);
      expect(labels[0]!.secondsToCreate).toBeGreaterThan(0);

      const task = await project.exportV2({ filters: { global_keys: ['mmc-example-0001'] } });
      await task.waitTillDone();
      const [line] = (await task.result()) as unknown[];
      const ontology = await api.getOntology(project.ontologyId);
      expect(maskIds(JSON.stringify(line))).toBe(expectedRow(ontology.normalized, labels[0]!.id));
    },
    180_000,
  );

  /** The export row of the label above, written out by hand (feature ids masked). */
  function expectedRow(
    normalized: { tools: unknown[]; classifications: unknown[] },
    labelId: string,
  ): string {
    const schema = new Map<string, string>();
    for (const t of normalized.tools as { name: string; featureSchemaId: string }[])
      schema.set(t.name, t.featureSchemaId);
    for (const c of normalized.classifications as {
      name: string;
      featureSchemaId: string;
      options: { value: string; featureSchemaId: string }[];
    }[]) {
      schema.set(c.name, c.featureSchemaId);
      for (const o of c.options) schema.set(o.value, o.featureSchemaId);
    }
    const golden = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../server/test/fixtures/mmc-export-row.json'), 'utf8'),
    ) as { data_row: { row_data: string }; media_attributes: unknown };
    const { prompt1, a1, b1, c1 } = MMC_IDS;
    const row = {
      data_row: { id: rowId, global_key: 'mmc-example-0001', row_data: golden.data_row.row_data },
      media_attributes: golden.media_attributes,
      projects: {
        [projectId]: {
          name: PROJECT,
          labels: [
            {
              label_kind: 'Default',
              version: '1.0.0',
              id: labelId,
              annotations: {
                objects: [
                  {
                    feature_id: '<id>',
                    feature_schema_id: schema.get('Single message selection'),
                    name: 'Single message selection',
                    annotation_kind: 'MessageSingleSelection',
                    classifications: [],
                    selected_message: {
                      message_id: c1,
                      model_config_name: 'Model C',
                      parent_message_id: prompt1,
                    },
                  },
                  {
                    feature_id: '<id>',
                    feature_schema_id: schema.get('Multi message selection'),
                    name: 'Multi message selection',
                    annotation_kind: 'MessageMultiSelection',
                    classifications: [],
                    selected_messages: {
                      messages: [
                        { message_id: a1, model_config_name: 'Model A' },
                        { message_id: c1, model_config_name: 'Model C' },
                      ],
                      parent_message_id: prompt1,
                    },
                  },
                  {
                    feature_id: '<id>',
                    feature_schema_id: schema.get('Message ranking'),
                    name: 'Message ranking',
                    annotation_kind: 'MessageRanking',
                    classifications: [],
                    ranked_messages: {
                      ranked_messages: [
                        { message_id: c1, model_config_name: 'Model C', order: 1 },
                        { message_id: a1, model_config_name: 'Model A', order: 2 },
                        { message_id: b1, model_config_name: 'Model B', order: 3 },
                      ],
                      parent_message_id: prompt1,
                    },
                  },
                ],
                classifications: [
                  {
                    feature_id: '<id>',
                    feature_schema_id: schema.get('Choose the best response'),
                    name: 'Choose the best response',
                    radio_answer: {
                      feature_id: '<id>',
                      feature_schema_id: schema.get('Response A'),
                      name: 'Response A',
                      classifications: [],
                    },
                  },
                  {
                    feature_id: '<id>',
                    feature_schema_id: schema.get('checklist_convo'),
                    name: 'checklist_convo',
                    message_id: b1,
                    conversational_checklist_answers: [
                      {
                        feature_id: '<id>',
                        name: 'first_checklist_answer',
                        classifications: [],
                      },
                    ],
                  },
                  {
                    feature_id: '<id>',
                    feature_schema_id: schema.get('text_convo'),
                    name: 'text_convo',
                    message_id: b1,
                    conversational_text_answer: { content: 'Factually wrong' },
                  },
                ],
                relationships: [],
              },
            },
          ],
        },
      },
    };
    return JSON.stringify(row);
  }

  it.skipIf(skip)(
    'ranks by pointer drag and keeps hostile text inert in the v2 views',
    async () => {
      await labeler.addInitScript('window.__pwned = null');
      await labeler.reload();
      const t1 = turn(labeler, 1);
      await t1.getByRole('region', { name: 'Model reply 3' }).waitFor();
      await labeler.getByText(P[0], { exact: false }).first().waitFor();
      const ranking = t1.getByRole('list', { name: 'Message ranking' });
      const items = ranking.getByRole('listitem');
      const third = (await items.nth(2).getAttribute('aria-label'))!.split(',')[0]!;
      await items.nth(2).dragTo(items.nth(0));
      await ranking.getByRole('listitem', { name: `${third}, rank 1` }).waitFor();
      // The file is a plain link that opens apart from the app, never an image loaded in place.
      const file = labeler.getByRole('link', { name: /^image\/png file:/ });
      expect(await file.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await file.getAttribute('href')).toMatch(/^https:\/\/files\.example\//);
      const found = await labeler.evaluate(`(() => {
      const bad = [];
      for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
          if (/^\\s*(javascript|data):/i.test(a.value) && ['href', 'src'].includes(a.name)) bad.push(el.tagName + ' ' + a.value);
        }
      }
      const foreign = [...document.querySelectorAll('main img, main iframe, body script:not([src])')]
        .filter((el) => !el.closest('.katex')).map((el) => el.tagName);
      return { pwned: window.__pwned ?? null, bad, foreign };
    })()`);
      expect(found).toEqual({ pwned: null, bad: [], foreign: [] });
      // The human's name and the model names never become markup; model names never show at all.
      expect(await labeler.getByText(P[0], { exact: true }).count()).toBeGreaterThan(0);
      expect(await labeler.getByText('Secret model').count()).toBe(0);
      await shot(labeler, 'hostile-1440');
      await expectAccessible(labeler, 'mmc hostile row');

      const phone = await signedInPage(browser, app.url, app.users.labeler, { width: 390, height: 844 });
      await projectLink(phone, PROJECT, 'Start labeling').click();
      await turn(phone, 1).getByRole('region', { name: 'Model reply 3' }).waitFor();
      await shot(phone, 'editor-390');
      await expectAccessible(phone, 'mmc editor 390');
      await phone.context().close();
    },
    180_000,
  );

  it.skipIf(skip)(
    'shows the label read-only to a reviewer, who approves it',
    async () => {
      const reviewer = await signedInPage(browser, app.url, app.users.reviewer);
      await projectLink(reviewer, PROJECT, 'Review').click();
      await reviewer.getByRole('button', { name: 'Approve' }).waitFor();
      const t1 = turn(reviewer, 1);
      const ranking = t1.getByRole('list', { name: 'Message ranking' });
      const names = await ranking
        .getByRole('listitem')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      const order1 = shown(MMC_IDS.prompt1, [MMC_IDS.a1, MMC_IDS.b1, MMC_IDS.c1]);
      // As the labeler saw it: the same positions, the same ranks.
      expect(names).toEqual([
        `${title(order1, MMC_IDS.c1)}, rank 1`,
        `${title(order1, MMC_IDS.a1)}, rank 2`,
        `${title(order1, MMC_IDS.b1)}, rank 3`,
      ]);
      expect(await t1.getByRole('radio', { name: title(order1, MMC_IDS.c1) }).isChecked()).toBe(true);
      expect(await t1.getByRole('radio', { name: title(order1, MMC_IDS.a1) }).isDisabled()).toBe(true);
      expect(await ranking.getByRole('button').count()).toBe(0);
      const replyB = t1.getByRole('region', { name: title(order1, MMC_IDS.b1) });
      expect(await replyB.getByRole('textbox', { name: 'text_convo' }).inputValue()).toBe('Factually wrong');
      await shot(reviewer, 'review-1440');
      await expectAccessible(reviewer, 'mmc review');
      await reviewer.keyboard.press('a');
      await reviewer.getByText('1 reviewed this session').waitFor();
      const project = await api.getProject(projectId);
      const statuses = [];
      for await (const l of project.labels({ dataRowId: rowId })) statuses.push(l.workflowStatus);
      expect(statuses).toEqual(['DONE']);
      await reviewer.context().close();
    },
    180_000,
  );
  it.skipIf(skip)(
    "shows a manager the row in the console's row detail: prompts, and replies under their models",
    async () => {
      const admin = await signedInPage(browser, app.url, app.users.admin);
      await admin.goto(`/console/projects/${projectId}/rows/${rowId}`);
      const conversation = admin.getByRole('list', { name: 'Conversation' });
      await conversation.getByText('What is the capital of Australia?').waitFor();
      // Managers see which model wrote each reply (labelers never do).
      const replies = conversation.locator('.output-title');
      expect(await replies.allInnerTexts()).toEqual(['Model A', 'Model B', 'Model C', 'Model A', 'Model B']);
      await conversation
        .getByRole('region', { name: `Model C (${MMC_IDS.c1})` })
        .getByText('The capital is Canberra, not Sydney.')
        .waitFor();
      expect(await admin.getByText('does not hold a conversation').count()).toBe(0);
      await shot(admin, 'row-detail-1440');
      await expectAccessible(admin, 'mmc row detail');
      await admin.context().close();
    },
    180_000,
  );
  it.skipIf(skip)(
    'a rejected v2 label comes back to its labeler with its answers, who reranks and resubmits it',
    async () => {
      // The labeler's tab is still on the hostile row, ranked by drag above: pick and submit.
      const t1 = turn(labeler, 1);
      await t1.getByRole('group', { name: 'Single message selection' }).getByRole('radio').first().check();
      await labeler.keyboard.press('Control+Enter');
      const project = await api.getProject(projectId);
      const labelsOfRow = async () => {
        const out = [];
        for await (const l of project.labels({ dataRowId: hostileId })) out.push(l);
        return out;
      };
      await expect.poll(async () => (await labelsOfRow()).length, { timeout: 60_000 }).toBe(1);
      const rankingOf = (l: { annotations: Record<string, unknown> }) =>
        (
          (l.annotations.objects as unknown[]).find(
            (o) => (o as { annotation_kind: string }).annotation_kind === 'MessageRanking',
          ) as { ranked_messages: { ranked_messages: { message_id: string; order: number }[] } }
        ).ranked_messages.ranked_messages
          .slice()
          .sort((a, b) => a.order - b.order)
          .map((m) => m.message_id);
      const before = rankingOf((await labelsOfRow())[0]!);

      const reviewer = await signedInPage(browser, app.url, app.users.reviewer);
      await projectLink(reviewer, PROJECT, 'Review').click();
      await reviewer.getByRole('button', { name: 'Reject' }).waitFor();
      await reviewer.keyboard.press('r');
      await reviewer
        .getByRole('textbox', { name: 'Reason (the labeler sees it)' })
        .fill('Rank the plain reply last.');
      await reviewer.keyboard.press('Control+Enter');
      await reviewer.getByText('1 reviewed this session').waitFor();
      await reviewer.context().close();
      expect((await labelsOfRow())[0]!.workflowStatus).toBe('IN_REWORK');

      await labeler.goto(`/projects/${projectId}/rework`);
      await labeler.getByText('Rank the plain reply last.').waitFor();
      await labeler.getByRole('link', { name: 'Rework' }).last().click();
      const ranking = turn(labeler, 1).getByRole('list', { name: 'Message ranking' });
      const items = ranking.getByRole('listitem');
      // The stored ranking is back, as the labeler left it.
      await ranking.getByRole('listitem', { name: /, rank 3$/ }).waitFor();
      expect(await items.count()).toBe(3);
      const first = (await ranking.getByRole('listitem', { name: /, rank 1$/ }).getAttribute('aria-label'))!;
      await ranking.getByRole('listitem', { name: first }).focus();
      await labeler.keyboard.press('Alt+ArrowDown');
      await ranking.getByRole('listitem', { name: first.replace(/rank 1$/, 'rank 2') }).waitFor();
      await shot(labeler, 'rework-1440');
      await labeler.keyboard.press('Control+Enter');
      await labeler.getByText('Nothing to rework').waitFor();

      const [reworked] = await labelsOfRow();
      expect(reworked!.workflowStatus).toBe('IN_REVIEW');
      const after = rankingOf(reworked!);
      expect(after).toEqual([before[1], before[0], before[2]]);
    },
    180_000,
  );
});
