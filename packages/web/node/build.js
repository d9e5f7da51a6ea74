/**
 * The built web app for `prefer serve`: `packages/web/dist`, built when it is missing or older
 * than its sources (the app's and the SDK's and schemas' it bundles), so `npm start` on a fresh
 * clone serves the app with no other step and never serves a stale build.
 *
 * Plain JavaScript (typed by build.d.ts) so the compiled CLI can load it without a TypeScript
 * loader.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
export const WEB_DIST = join(WEB, 'dist');

const SOURCES = [
  join(WEB, 'src'),
  join(WEB, 'public'),
  join(WEB, 'index.html'),
  join(WEB, 'vite.config.ts'),
  join(WEB, 'package.json'),
  join(WEB, '..', 'sdk', 'src'),
  join(WEB, '..', 'schemas', 'src'),
];

/** @param {string} path @returns {number} */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why the build must be made again, or undefined when dist/ is current. */
/** @returns {string | undefined} */
export function staleReason() {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return 'no build yet';
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built) ? 'sources changed since the last build' : undefined;
}

/** Builds the app when needed (vite, a few seconds) and answers its directory. */
/** @param {(line: string) => void} [log] @returns {Promise<string>} */
export async function ensureWebBuild(log = () => {}) {
  const reason = staleReason();
  if (reason) {
    log(`building the web app (${reason})...`);
    const { build } = await import('vite');
    // Always the production build: Vite follows NODE_ENV, and a caller's `test` (vitest) or
    // `development` would bundle React's development build (larger and several times slower),
    // which `prefer serve` and the bench would then serve as current.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
  }
  return WEB_DIST;
}
