/**
 * Hostile input on every declared route, as an organization admin (who passes every permission
 * check, so the input itself is what gets tested):
 * - docs/reliability.md no. 24, prototype pollution: `__proto__` and `constructor.prototype` in JSON bodies,
 *   NDJSON uploads and query strings are refused; afterwards `({}).isAdmin` is still undefined,
 *   `Object.prototype` has no new property and no permission changed;
 * - docs/reliability.md no. 28, filter and sort injection: SQL in path ids, cursors, limits and filter values,
 *   unknown field and sort names: 400/404 (values are bound, names are checked), every table intact;
 * - docs/reliability.md no. 47 (sampled): no error answer carries SQL, a stack trace or a file path.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeclaredRoute } from '../src/http/api-router.ts';
import { createApp } from '../src/http/app.ts';
import { fillPath, paramNames, paramsFor, privateRoutes, routeKey } from './security-routes.ts';
import { type Answer, buildWorld, call, tableChecksums, type World } from './security-world.ts';
import { describeBackends } from './support/backends.ts';

const SQL_PAYLOADS = [
  "' OR 1=1--",
  '1; DROP TABLE labels',
  '1); DROP TABLE labels;--',
  "x' UNION SELECT password_hash FROM users--",
  '" OR ""="',
  '%27%20OR%201%3D1',
];
const BAD_NAMES = ['author.password', 'created_at) UNION SELECT 1--', 'sort', 'order_by', '__proto__'];

const POLLUTING_BODIES = [
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"name":"x","__proto__":{"isAdmin":true}}',
  '{"name":"x","constructor":{"prototype":{"isAdmin":true}}}',
];
const POLLUTING_QUERIES = [
  '__proto__[isAdmin]=1',
  '__proto__.isAdmin=1',
  'constructor[prototype][isAdmin]=1',
  'constructor.prototype.isAdmin=1',
];

/** What no error answer may contain: SQL, driver names and errors, stack frames, file paths. */
const LEAKS: [string, RegExp][] = [
  ['SQL', /\b(select|insert|update|delete|drop|union)\b[^"]*\b(from|into|table|set|where)\b/i],
  ['database driver', /sqlite|postgres|pg_|SQLSTATE|syntax error at or near|no such (table|column)/i],
  ['stack frame', /\bat [\w.<>]+ \(\S+:\d+:\d+\)|\n\s+at /],
  ['file path', /\/(work|home|srv|tmp|usr)\/|node_modules|\.ts\b/],
];

function leaksIn(answer: Answer, sent: readonly string[]): string[] {
  let text = answer.text;
  try {
    // Paths are echoed partly percent-encoded.
    text = decodeURIComponent(text);
  } catch {
    // A stray % in the body: compare it as it is.
  }
  // What the caller sent may be echoed (JSON-escaped); only what the server adds is checked.
  for (const s of sent) {
    for (const form of [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])
      text = text.split(form).join('');
  }
  return LEAKS.filter(([, re]) => re.test(text)).map(([what]) => what);
}

describeBackends('hostile input on every route', (ctx) => {
  let world: World;
  let app: ReturnType<typeof createApp>;
  let routes: DeclaredRoute[];
  const answers: { name: string; answer: Answer; sent: string[] }[] = [];
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  const paramsOf = new Map<DeclaredRoute, Record<string, string>>();

  beforeAll(async () => {
    world = await buildWorld(ctx.store);
    app = createApp({ store: ctx.store, logError: () => {} });
    routes = privateRoutes(ctx.store);
    // Fixtures write (labels, keys, members): made before any "nothing changed" checksum.
    for (const route of routes) paramsOf.set(route, await paramsFor(route, world, world.a.admin));
  });

  async function send(name: string, path: string, init: Parameters<typeof call>[2], sent: string[]) {
    const answer = await call(app, path, { key: world.a.admin.key, ...init });
    answers.push({ name, answer, sent });
    return answer;
  }

  afterAll(() => {
    // Nothing reached Object.prototype, whatever the requests did.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });

  it('refuses __proto__ and constructor.prototype in bodies, uploads and query strings', async () => {
    const before = await tableChecksums(ctx.store);
    const failures: string[] = [];
    for (const route of routes) {
      const params = paramsOf.get(route)!;
      const path = fillPath(route.path, params);
      const method = route.method.toUpperCase();
      const bodies = route.body
        ? POLLUTING_BODIES.map((body) => ({ body }))
        : route.rawBody
          ? POLLUTING_BODIES.map((body) => ({ body: `${body}\n`, contentType: route.rawBody!.contentType }))
          : [];
      for (const b of bodies) {
        const answer = await send(`${routeKey(route)} ${b.body}`, path, { method, ...b }, [b.body]);
        if (answer.status < 400 || answer.status >= 500)
          failures.push(
            `${routeKey(route)} body ${b.body.trim()}: ${answer.status} ${answer.text.slice(0, 160)}`,
          );
      }
      for (const q of POLLUTING_QUERIES) {
        const answer = await send(`${routeKey(route)} ?${q}`, `${path}?${q}`, { method }, [q]);
        if (answer.status !== 400)
          failures.push(`${routeKey(route)} ?${q}: ${answer.status} ${answer.text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    // No permission changed: nothing was written at all, and the labeler is still refused an export.
    expect(await tableChecksums(ctx.store)).toEqual(before);
    const labeler = await call(app, `/api/v1/projects/${world.projectId}/exports`, {
      method: 'POST',
      key: world.a.labeler.key,
      body: '{}',
    });
    expect(labeler.status).toBe(403);
  });

  it('answers SQL in path ids with 404 and never runs it', async () => {
    const before = await tableChecksums(ctx.store);
    const failures: string[] = [];
    for (const route of routes.filter((r) => paramNames(r.path).length > 0)) {
      const real = paramsOf.get(route)!;
      for (const name of paramNames(route.path)) {
        for (const payload of SQL_PAYLOADS) {
          const path = fillPath(route.path, { ...real, [name]: payload });
          const method = route.method.toUpperCase();
          const body = route.body ? { body: '{}' } : {};
          const answer = await send(`${routeKey(route)} :${name}=${payload}`, path, { method, ...body }, [
            payload,
          ]);
          // 404 for the id; 400 when the body is checked before a non-project id is looked up.
          if (answer.status !== 404 && answer.status !== 400)
            failures.push(
              `${routeKey(route)} :${name}=${payload}: ${answer.status} ${answer.text.slice(0, 160)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await tableChecksums(ctx.store)).toEqual(before);
  });

  it('checks cursors, limits and filter values as values, and refuses unknown field and sort names', async () => {
    const before = await tableChecksums(ctx.store);
    const failures: string[] = [];
    const lists = routes.filter((r) => r.method === 'get' && r.query && 'cursor' in r.query.shape);
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const route of lists) {
      const path = fillPath(route.path, paramsOf.get(route)!);
      const shape = route.query!.shape as Record<string, unknown>;
      const probes: { query: string; want: number[]; sent: string }[] = [];
      for (const payload of SQL_PAYLOADS) {
        probes.push({ query: `cursor=${encodeURIComponent(payload)}`, want: [400], sent: payload });
        probes.push({ query: `limit=${encodeURIComponent(payload)}`, want: [400], sent: payload });
        // Filter values (ids, statuses, emails) are bound: they match nothing, or are refused.
        for (const filter of Object.keys(shape).filter((k) => k !== 'cursor' && k !== 'limit')) {
          probes.push({
            query: `${filter}=${encodeURIComponent(payload)}`,
            want: [200, 400, 404],
            sent: payload,
          });
        }
      }
      for (const name of BAD_NAMES) {
        probes.push({ query: `${encodeURIComponent(name)}=1`, want: [400], sent: name });
      }
      for (const p of probes) {
        const answer = await send(`${routeKey(route)} ?${p.query}`, `${path}?${p.query}`, { method: 'GET' }, [
          p.sent,
        ]);
        if (!p.want.includes(answer.status)) {
          failures.push(`${routeKey(route)} ?${p.query}: ${answer.status} ${answer.text.slice(0, 160)}`);
        } else if (answer.status === 200) {
          const items = (answer.json as { items?: unknown[] }).items;
          // The audit log recorded this suite's own hostile writes, payload ids included: an
          // entry holding exactly the value sent is a bound match, not an injection.
          const recorded =
            routeKey(route) === 'GET /audit' &&
            items?.every((i) => Object.values(i as Record<string, unknown>).includes(p.sent));
          if (items?.length !== 0 && !recorded)
            failures.push(`${routeKey(route)} ?${p.query}: matched ${items?.length} items`);
        } else if (!answer.text.includes('valid keys') && BAD_NAMES.includes(p.sent)) {
          failures.push(`${routeKey(route)} ?${p.query}: the refusal does not list the valid keys`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await tableChecksums(ctx.store)).toEqual(before);
  });

  it('refuses unknown export filter and param names, and binds filter values', async () => {
    const path = `/api/v1/projects/${world.projectId}/exports/stream`;
    const failures: string[] = [];
    const refused = [
      { filters: { 'author.password': 'x' } },
      { filters: { 'last_activity_at) UNION SELECT 1--': ['2020-01-01', '2030-01-01'] } },
      { params: { password_hash: true } },
      { filters: { workflow_status: "' OR 1=1--" } },
      { filters: { last_activity_at: ["' OR 1=1--", '2030-01-01'] } },
    ];
    for (const body of refused) {
      const text = JSON.stringify(body);
      const answer = await send(`stream ${text}`, path, { method: 'POST', body: text }, [
        text,
        ...Object.keys(body),
      ]);
      if (answer.status !== 400) failures.push(`${text}: ${answer.status} ${answer.text.slice(0, 160)}`);
    }
    for (const payload of SQL_PAYLOADS) {
      for (const filter of ['data_row_ids', 'global_keys']) {
        const text = JSON.stringify({ filters: { [filter]: [payload] } });
        const answer = await send(`stream ${text}`, path, { method: 'POST', body: text }, [payload]);
        if (!(answer.status === 200 && answer.text === '') && answer.status !== 400)
          failures.push(`${text}: ${answer.status} ${answer.text.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never shows SQL, a stack trace or a file path in an error answer', () => {
    const errors = answers.filter((a) => a.answer.status >= 400);
    expect(errors.length).toBeGreaterThan(200);
    const failures: string[] = [];
    for (const { name, answer, sent } of errors) {
      const body = answer.json as { error?: { code?: string; requestId?: string } } | undefined;
      if (!body?.error?.code || !body.error.requestId)
        failures.push(`${name}: not an error body: ${answer.text}`);
      if (answer.status >= 500) failures.push(`${name}: ${answer.status}`);
      const leaked = leaksIn(answer, sent);
      if (leaked.length > 0) failures.push(`${name}: ${leaked.join(', ')} in ${answer.text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });
});
