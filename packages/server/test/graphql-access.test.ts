/**
 * Who may do what through /graphql, and what a malformed, oversized, tampered or expired request
 * gets: API keys, roles and organizations as in the REST API, errors in the shape and with the
 * codes the Labelbox SDK maps, signed file links that refuse any change.
 */
import { expect, it } from 'vitest';
import { revokeApiKey } from '../src/auth/api-key.service.ts';
import { startExport } from '../src/exports/tasks/export-start.service.ts';
import { signGrant } from '../src/graphql/signed-url.ts';
import { createApp } from '../src/http/app.ts';
import {
  data,
  exportInput,
  gql,
  graphqlFixture,
  heldTask,
  PROJECT,
  pyDumps,
  Q,
  SECRET,
  sdkExport,
  sdkHeaders,
} from './graphql-helpers.ts';
import { describeBackends } from './support/backends.ts';
import { seedProject } from './support/export-child-fixtures.ts';

const codeOf = (answer: { body: { errors?: { extensions: { code: string } }[] } }) =>
  answer.body.errors?.map((e) => e.extensions.code);

describeBackends('GraphQL: access and refusals', (ctx) => {
  const fx = graphqlFixture(ctx, { chunkBytes: 4096 });

  it('a missing, unknown or revoked key is AUTHENTICATION_ERROR (401), before anything is parsed', async () => {
    for (const key of [null, 'prefer_nope_nope', 'not a key at all']) {
      const answer = await gql(fx, Q.getProject, { param_0: PROJECT }, key);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'AUTHENTICATION_ERROR' } }],
      });
    }
    const unparsable = await gql(fx, '{{{', null, null);
    expect(codeOf(unparsable)).toEqual(['AUTHENTICATION_ERROR']);
    // A key that worked stops working once revoked.
    const { createApiKey } = await import('../src/auth/api-key.service.ts');
    const made = await createApiKey(ctx.store, fx.actor, { name: 'short-lived' });
    expect((await gql(fx, Q.currentUser, null, made.key)).status).toBe(200);
    await revokeApiKey(ctx.store, fx.actor, made.id);
    expect(codeOf(await gql(fx, Q.currentUser, null, made.key))).toEqual(['AUTHENTICATION_ERROR']);
  });

  it('accepts and ignores the SDK’s other headers (X-SDK-Method of 6.0.0)', async () => {
    const res = await fetch(`${fx.url}/graphql`, {
      method: 'POST',
      headers: sdkHeaders(fx.keys.admin, {
        'X-SDK-Method': 'Project.export_v2',
        'X-User-Agent': 'python-sdk 6.0.0',
      }),
      body: pyDumps({ query: Q.currentUser, variables: null }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { user: { timezone: null } } });
  });

  it('another organization’s project or task is RESOURCE_NOT_FOUND, as a missing one', async () => {
    const missing = await gql(fx, Q.getProject, { param_0: 'cmissingmissingmissing0000' });
    const foreign = await gql(fx, Q.getProject, { param_0: fx.otherProject });
    expect(codeOf(missing)).toEqual(['RESOURCE_NOT_FOUND']);
    expect(codeOf(foreign)).toEqual(['RESOURCE_NOT_FOUND']);
    expect(foreign.body.data).toEqual({ project: null });
    expect(foreign.body.errors![0]!.message).toBe(`project ${fx.otherProject} not found`);

    const exportForeign = await gql(fx, Q.exportV2, { input: exportInput(fx.otherProject, []) });
    expect(codeOf(exportForeign)).toEqual(['RESOURCE_NOT_FOUND']);

    // A task of the other organization, by each way the SDK reads tasks.
    const otherActor = await ctx.store.db
      .selectFrom('projects')
      .innerJoin('users', 'users.org_id', 'projects.org_id')
      .where('projects.id', '=', fx.otherProject)
      .select(['projects.org_id', 'users.id', 'users.email'])
      .executeTakeFirstOrThrow();
    const task = await startExport(
      ctx.store,
      { orgId: otherActor.org_id, userId: otherActor.id, email: otherActor.email, role: 'admin' },
      { projectId: fx.otherProject },
    );
    const where = { id: task.id };
    expect(codeOf(await gql(fx, Q.header, { where, streamType: 'RESULT' }))).toEqual(['RESOURCE_NOT_FOUND']);
    expect(codeOf(await gql(fx, Q.fileFromOffset, { where, streamType: 'RESULT', offset: '0' }))).toEqual([
      'RESOURCE_NOT_FOUND',
    ]);
    const { user } = await data(fx, Q.getUser, {});
    const tasks = await data(fx, Q.createdTasks, { param_0: task.id, param_1: user.id });
    expect(tasks).toEqual({ user: { createdTasks: [] } });
    // Another user's id is not readable either.
    const otherUser = await gql(fx, Q.createdTasks, { param_0: task.id, param_1: otherActor.id });
    expect(codeOf(otherUser)).toEqual(['RESOURCE_NOT_FOUND']);
  });

  it('a labeler’s key reads the project but cannot export: AUTHORIZATION_ERROR', async () => {
    const labeler = fx.keys.labeler;
    expect((await data(fx, Q.getProject, { param_0: PROJECT }, labeler)).project.id).toBe(PROJECT);
    const refused = await gql(fx, Q.exportV2, { input: exportInput(PROJECT, []) }, labeler);
    expect(codeOf(refused)).toEqual(['AUTHORIZATION_ERROR']);
    expect(refused.body.errors![0]!.message).toMatch(/your role \(labeler\) may not start exports/);
    const v1 = await gql(
      fx,
      'mutation GetLabelExportUrlPyApi($projectId: ID!) {exportLabels(data:{projectId: $projectId}) {downloadUrl createdAt shouldPoll} }',
      { projectId: PROJECT },
      labeler,
    );
    expect(codeOf(v1)).toEqual(['AUTHORIZATION_ERROR']);
    // Nor read a task an admin started.
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const header = await gql(fx, Q.header, { where: { id: run.taskId }, streamType: 'RESULT' }, labeler);
    expect(codeOf(header)).toEqual(['AUTHORIZATION_ERROR']);
    // Another organization's key does not even see the project.
    const other = await gql(fx, Q.exportV2, { input: exportInput(PROJECT, []) }, fx.keys.other);
    expect(codeOf(other)).toEqual(['RESOURCE_NOT_FOUND']);
  });

  it('signed file links: work without credentials; refuse any tampering and expiry (403)', async () => {
    const run = await sdkExport(fx, exportInput(PROJECT, []));
    const chunk = run.chunks[0]!;
    const url = new URL(chunk.file);
    expect(url.origin).toBe(fx.url);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(Number(ok.headers.get('content-length'))).toBe(chunk.offsets.end - chunk.offsets.start + 1);
    await ok.arrayBuffer();

    const changed = (mutate: (u: URL) => void) => {
      const u = new URL(url);
      mutate(u);
      return u;
    };
    const sig = url.searchParams.get('sig')!;
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    const tampered = [
      changed((u) => u.searchParams.set('sig', flipped)),
      changed((u) => u.searchParams.set('sig', '')),
      changed((u) => u.searchParams.delete('sig')),
      changed((u) => u.searchParams.set('end', String(run.header!.totalSize - 1))),
      changed((u) => u.searchParams.set('start', '1')),
      changed((u) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600))),
      changed((u) => {
        u.pathname = u.pathname.replace('/result', '/errors');
      }),
      changed((u) => {
        u.pathname = u.pathname.replace(
          run.taskId,
          `${run.taskId.slice(0, -1)}${run.taskId.endsWith('x') ? 'y' : 'x'}`,
        );
      }),
    ];
    for (const u of tampered) {
      const res = await fetch(u);
      expect(res.status, u.toString()).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('FORBIDDEN');
      expect(body.error.message).toMatch(/invalid/);
    }

    // Correctly signed, but its time is over.
    const expires = Math.floor(Date.now() / 1000) - 1;
    const grant = { taskId: run.taskId, stream: 'result' as const, ...chunk.offsets, expires };
    const expired = changed((u) => {
      u.searchParams.set('exp', String(expires));
      u.searchParams.set('sig', signGrant(SECRET, grant));
    });
    const res = await fetch(expired);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    // The same grant a minute ahead is fine: the secret and the format are what the server uses.
    const fresh = { ...grant, expires: expires + 61 };
    const valid = changed((u) => {
      u.searchParams.set('exp', String(fresh.expires));
      u.searchParams.set('sig', signGrant(SECRET, fresh));
    });
    const again = await fetch(valid);
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(chunk.bytes)).toBe(true);
  });

  it('parse and validation failures, bad variables and bodies: 400 with the SDK’s codes', async () => {
    const parseFailed = await gql(fx, 'query {', null);
    expect(parseFailed.status).toBe(400);
    expect(codeOf(parseFailed)).toEqual(['GRAPHQL_PARSE_FAILED']);

    const unknownField = await gql(fx, 'query { project(where: {id: "x"}) { name secretField } }', null);
    expect(unknownField.status).toBe(400);
    expect(codeOf(unknownField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unknownField.body.errors![0]!.message).toMatch(/secretField/);

    const introspection = await gql(fx, '{ __schema { types { name } } }', null);
    expect(introspection.status).toBe(400);
    expect(new Set(codeOf(introspection))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));

    const badEnum = await gql(fx, Q.header, { where: { id: 'x' }, streamType: 'BOTH' });
    expect(badEnum.status).toBe(400);
    expect(codeOf(badEnum)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const missingVar = await gql(fx, Q.getProject, {});
    expect(missingVar.status).toBe(400);
    expect(codeOf(missingVar)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const notJson = await fetch(`${fx.url}/graphql`, {
      method: 'POST',
      headers: sdkHeaders(fx.keys.admin),
      body: '{"query": ',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({
      errors: [
        { message: expect.stringMatching(/^invalid JSON body/), extensions: { code: 'MALFORMED_REQUEST' } },
      ],
    });
    const extraKey = await fetch(`${fx.url}/graphql`, {
      method: 'POST',
      headers: sdkHeaders(fx.keys.admin),
      body: JSON.stringify({ query: Q.currentUser, varaibles: {} }),
    });
    expect(((await extraKey.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(
      /unknown key "varaibles" in the request body; valid keys are: query, variables/,
    );
    const get = await fetch(`${fx.url}/graphql`, { headers: sdkHeaders(fx.keys.admin) });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('bounds: body size before parsing (413), depth and cost (Query complexity limit exceeded)', async () => {
    // In-process: over a socket the server answers and closes while the client still sends.
    const app = createApp({ store: ctx.store, logError: () => {}, graphql: { secret: SECRET } });
    const big = await app.request('/graphql', {
      method: 'POST',
      headers: sdkHeaders(fx.keys.admin),
      body: pyDumps({ query: `query { user { id } } # ${'x'.repeat(1024 * 1024)}`, variables: null }),
    });
    expect(big.status).toBe(413);
    expect(codeOf({ body: (await big.json()) as { errors: { extensions: { code: string } }[] } })).toEqual([
      'MALFORMED_REQUEST',
    ]);

    const aliases = Array.from(
      { length: 3 },
      (_, i) => `f${i}: exportFileFromOffset(streamType: RESULT, offset: 0) { file }`,
    );
    const costly = await gql(fx, `query { task(where: {id: "x"}) { ${aliases.join(' ')} } }`, null);
    expect(costly.status).toBe(400);
    expect(costly.body.errors).toEqual([
      { message: 'Query complexity limit exceeded', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    const wide = Array.from({ length: 300 }, (_, i) => `a${i}: id`).join(' ');
    expect(codeOf(await gql(fx, `query { user { ${wide} } }`, null))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const nested = 'fragment F on Query { user { createdTasks { id } } } query { ...F }';
    expect((await gql(fx, nested, null)).status).toBe(200);
    const tokens = `query { ${'user { id } '.repeat(2000)} }`;
    expect(codeOf(await gql(fx, tokens, null))).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('too many running exports: 429 with Retry-After and the message the SDK reads as ApiLimitError', async () => {
    const busy = await seedProject(ctx.store, fx.actor, 'Busy');
    // Ten running tasks (held by another worker): the limit of one project.
    const held: string[] = [];
    for (let i = 0; i < 10; i++) held.push(await heldTask(ctx.store, fx.actor, busy));
    try {
      const refused = await gql(fx, Q.exportV2, { input: exportInput(busy, []) });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('10');
      expect(codeOf(refused)).toEqual(['RATE_LIMITED']);
      expect(refused.body.errors![0]!.message).toMatch(/Too many exports running for this project/);
      expect((refused.body as { message?: string }).message).toMatch(/^You have exceeded/);
    } finally {
      await ctx.store.db
        .updateTable('export_tasks')
        .set({ status: 'FAILED', failure_reason: 'test', worker_id: null })
        .where('id', 'in', held)
        .execute();
    }
  });

  it('several operations need operationName, which then picks one', async () => {
    const doc = `${Q.currentUser} query Other { organization { id } }`;
    const ambiguous = await gql(fx, doc, null);
    expect(ambiguous.status).toBe(400);
    const res = await fetch(`${fx.url}/graphql`, {
      method: 'POST',
      headers: sdkHeaders(fx.keys.admin),
      body: JSON.stringify({ query: doc, variables: null, operationName: 'Other' }),
    });
    expect(await res.json()).toEqual({ data: { organization: { id: fx.actor.orgId } } });
  });
});
