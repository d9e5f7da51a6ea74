/**
 * GraphQL cost under lists (issue 10, finding 3): a field under a list runs once per item, so
 * `createdTasks(first: 100) { exportFileFromOffset }` is 100 file reads, not one. The cost check
 * multiplies by `first`, a request reads at most two chunks whatever it asks, and a subscription
 * is the documented 400.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, ReadBudget } from '../src/graphql/graphql.limits.ts';
import { buildGraphqlSchema } from '../src/graphql/graphql.schema.ts';
import {
  data,
  exportInput,
  gql,
  graphqlFixture,
  PROJECT,
  Q,
  SEED_SDK_PARAMS,
  sdkExport,
} from './graphql-helpers.ts';
import { describeBackends } from './support/backends.ts';

const REFUSED = {
  message: 'Query complexity limit exceeded',
  extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
};

const reads = (first: string) =>
  `query Reads${first.includes('$n') ? '($n: Int)' : ''} { ${[0, 1, 2, 3]
    .map(
      (i) =>
        `u${i}: user { createdTasks${first ? `(${first})` : ''} { exportFileFromOffset(streamType: RESULT, offset: 0) { file offsets { start end } } } }`,
    )
    .join(' ')} }`;

describeBackends('security: GraphQL cost under lists', (ctx) => {
  const fx = graphqlFixture(ctx, { chunkBytes: 4096 });

  it('refuses file reads under a list of tasks, aliased or not, literal or variable first', async () => {
    // Tasks to read, so that today's server would really read them.
    for (let i = 0; i < 3; i++) await sdkExport(fx, exportInput(PROJECT, [], SEED_SDK_PARAMS));
    for (const [doc, variables] of [
      [reads('first: 100'), null],
      [reads('first: $n'), { n: 100 }],
      [reads(''), null],
      [reads('first: $n'), {}],
      [
        'query { user { createdTasks(first: 3) { exportFileFromOffset(streamType: RESULT, offset: 0) { file } } } }',
        null,
      ],
      [
        'query { user { createdTasks(first: 30) { exportMetadataHeader(streamType: RESULT) { totalSize } } } }',
        null,
      ],
    ] as const) {
      const answer = await gql(fx, doc, variables);
      expect(answer.status, doc).toBe(400);
      expect(answer.body).toEqual({ errors: [REFUSED] });
    }
  });

  it('still answers the SDK’s own documents and two reads in one request', async () => {
    const done = await sdkExport(fx, exportInput(PROJECT, [], SEED_SDK_PARAMS));
    const user = (await data(fx, Q.getUser, {})).user;
    const tasks = (await data(fx, Q.createdTasks, { param_0: done.taskId, param_1: user.id })).user
      .createdTasks;
    expect(tasks.map((t: { id: string }) => t.id)).toEqual([done.taskId]);
    const second = done.chunks[0]!.offsets.end + 1;
    const two = await data(
      fx,
      `query { task(where: {id: "${done.taskId}"}) { a: exportFileFromOffset(streamType: RESULT, offset: 0) { offsets { start end } } b: exportFileFromOffset(streamType: RESULT, offset: ${second}) { offsets { start end } } } }`,
      null,
    );
    expect(two.task.a.offsets).toEqual(done.chunks[0]!.offsets);
    expect(two.task.b.offsets).toEqual(done.chunks[1]!.offsets);
    const one = await data(
      fx,
      'query($n: Int) { user { createdTasks(first: $n) { exportFileFromOffset(streamType: RESULT, offset: 0) { file } } } }',
      { n: 1 },
    );
    expect(one.user.createdTasks).toHaveLength(1);
  });

  it('a subscription is a 400 that says so, never a 200 with null data', async () => {
    const answer = await gql(fx, 'subscription { user { id } }', null);
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((e) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(answer.body.errors?.[0]?.message).toMatch(/subscription/i);
  });
});

describe('GraphQL limits: the cost of lists and the read budget', () => {
  const schema = buildGraphqlSchema();
  const cost = (doc: string, variables?: Record<string, unknown>) =>
    checkLimits(schema, parse(doc), variables);

  it('multiplies objects under a list by first, and passes the SDK documents', () => {
    for (const doc of Object.values(Q))
      expect(cost(doc, { param_0: 'a', param_1: 'b' }), doc).toBeUndefined();
    const tasks = (n: number) =>
      `query { ${'a: user { createdTasks(first: N) { offsets: exportMetadataHeader(streamType: RESULT) { totalSize } } } '.replace('N', String(n))} }`;
    expect(cost(tasks(2))).toBeUndefined();
    expect(cost(tasks(30))).toMatch(/complexity/);
    // Fragments and inline fragments carry the multiplier too.
    const viaFragment =
      'fragment T on Task { exportFileFromOffset(streamType: RESULT, offset: 0) { file } } query { user { createdTasks(first: 3) { ... on Task { ...T } } } }';
    expect(cost(viaFragment)).toMatch(/complexity/);
  });

  it('allows two chunk reads per request and refuses the third, and any read over the byte budget', () => {
    const budget = new ReadBudget(8);
    budget.take(4);
    budget.take(4);
    expect(() => budget.take(1)).toThrow(/Query complexity limit exceeded/);
    const bytes = new ReadBudget(8);
    expect(() => bytes.take(9)).toThrow(/at most 2 export chunks \(8 bytes\)/);
  });
});
