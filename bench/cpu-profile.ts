/**
 * `npm run bench -- cpu-profile <file.cpuprofile> [--requests N] [--top 25] [--in CATEGORY]`
 *
 * Sums a V8 CPU profile (as `bench api --cpu-prof DIR` writes for the server process) by
 * category: each sample goes to the first category met walking its stack from the leaf up, so
 * kysely's time is kysely's own work and not the driver it calls, and the driver's native calls
 * count as driver time. With `--requests` it also prints milliseconds per request. Then the
 * functions with the most self time (of the categories whose name contains `--in`), for what the
 * categories do not say.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Natives better-sqlite3 and the pg socket run; a leaf among them is driver time. */
const SQLITE_NATIVES = new Set(['run', 'get', 'all', 'iterate', 'exec', 'prepare', 'pragma', 'raw', 'pluck']);

type Rule = [category: string, test: (f: CallFrame, leaf: boolean, parent: CallFrame | undefined) => boolean];

const inModule = (f: CallFrame, ...parts: string[]) => parts.some((p) => f.url.includes(p));

// First match wins, frame by frame from the leaf: the order matters only within one frame.
const RULES: Rule[] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['V8/native (program)', (f) => f.functionName === '(program)'],
  [
    'driver: better-sqlite3 (incl. fsync at commit)',
    (f, leaf, parent) =>
      (leaf &&
        f.url === '' &&
        SQLITE_NATIVES.has(f.functionName) &&
        parent !== undefined &&
        inModule(parent, '/kysely/', '/store/', 'better-sqlite3')) ||
      inModule(f, '/better-sqlite3/'),
  ],
  [
    'driver: pg (protocol, socket writes, rows)',
    (f) => inModule(f, '/pg/', '/pg-protocol/', '/pg-pool/', '/pg-types/'),
  ],
  [
    'JSON parse/stringify',
    (f, leaf) => leaf && f.url === '' && ['parse', 'stringify'].includes(f.functionName),
  ],
  ['crypto (hash, random ids)', (f) => inModule(f, 'node:crypto', 'internal/crypto')],
  ['zod validation', (f) => inModule(f, '/zod/')],
  ['kysely build/compile/execute', (f) => inModule(f, '/kysely/')],
  ['hono routing/middleware', (f) => inModule(f, '/hono/', '/@hono/')],
  ['auth (API key, session, access)', (f) => inModule(f, '/src/auth/')],
  ['audit', (f) => inModule(f, '/src/audit/')],
  ['store (group commit, transactions)', (f) => inModule(f, '/src/store/')],
  ['app http (body, log, errors, router)', (f) => inModule(f, '/src/http/')],
  [
    'services (workflow, labels, exports renderer)',
    (f) => inModule(f, '/packages/server/src/', '/packages/schemas/'),
  ],
];

/**
 * Node's own modules are no category of their own unless nothing above them is (the HTTP parser,
 * timers, the event loop): `new Request()` in undici counts for whoever made it (hono's node
 * adapter), a socket write for whoever wrote (pg's query, hono's response), so the figures say
 * which of our layers to thin.
 */
const NODE_INTERNALS = 'node internals (timers, promises, other)';
const NODE_HTTP = 'node http/net/streams (parser, sockets)';
const NODE_IO = [
  'node:_http',
  'node:http',
  'node:net',
  'node:stream',
  'internal/streams',
  'node:internal/http',
];
const isNodeInternal = (f: CallFrame) => f.url.startsWith('node:');

export async function run(args: string[]): Promise<void> {
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1]?.startsWith('--') !== true);
  if (!file)
    throw new Error('usage: npm run bench -- cpu-profile <file.cpuprofile> [--requests N] [--top 25]');
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const requests = get('requests');
  const top = get('top') ?? 25;
  const within = args.includes('--in') ? args[args.indexOf('--in') + 1] : undefined;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

  const categoryOf = new Map<number, string>();
  const categorize = (id: number): string => {
    const known = categoryOf.get(id);
    if (known) return known;
    let cur: number | undefined = id;
    let found = 'other JS';
    let fallback: string | undefined;
    while (cur !== undefined) {
      const f = byId.get(cur)!.callFrame;
      const parentId = parentOf.get(cur);
      const parent = parentId === undefined ? undefined : byId.get(parentId)!.callFrame;
      const rule = RULES.find(([, test]) => test(f, cur === id, parent));
      if (rule) {
        found = rule[0];
        break;
      }
      if (isNodeInternal(f)) fallback ??= inModule(f, ...NODE_IO) ? NODE_HTTP : NODE_INTERNALS;
      cur = parentId;
    }
    if (found === 'other JS' && fallback) found = fallback;
    categoryOf.set(id, found);
    return found;
  };

  const totals = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const cat = categorize(id);
    totals.set(cat, (totals.get(cat) ?? 0) + us);
    if (cat !== 'idle') total += us;
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '')}:${f.lineNumber + 1}`;
    if (cat !== 'idle' && (within === undefined || cat.includes(within))) {
      self.set(name, (self.get(name) ?? 0) + us);
    }
  });
  const idle = totals.get('idle') ?? 0;
  console.log(`\n${file}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle\n`);
  const perReq = requests ? ' | ms per request' : '';
  console.log(`| category | ms | share of busy${perReq} |\n| --- | --- | ---${requests ? ' | ---' : ''} |`);
  for (const [cat, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    if (cat === 'idle') continue;
    const share = `${((100 * us) / total).toFixed(1)}%`;
    const per = requests ? ` | ${(us / 1000 / requests).toFixed(3)}` : '';
    console.log(`| ${cat} | ${(us / 1000).toFixed(0)} | ${share}${per} |`);
  }
  console.log(`\ntop ${top} functions by self time:`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
}
