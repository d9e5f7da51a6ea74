/**
 * Serves the built web app (packages/web/dist) beside the API: its files at their paths, and
 * index.html for any other GET that accepts HTML (the app routes in the browser: history
 * fallback). `/api/*` and `/graphql` never fall back, so their 404s stay JSON.
 *
 * The files are read once, at start, into a map keyed by URL path: a request can only name a
 * file that was listed under the root, so no path (`..`, `%2e%2e`, NUL, symlinks) can reach
 * outside it. Text files are gzipped once too.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Hono } from 'hono';
import type { AppEnv } from './context.ts';

export interface WebAppOptions {
  /** The built app's directory, holding index.html and assets/. */
  root: string;
}

interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer> | undefined;
  type: string;
  /** Vite names files under assets/ by content hash: they never change under one name. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.map', '.ttf']);

/** Every regular file under `root` (symlinks leading outside it are left out), by URL path. */
export function loadWebApp(root: string): Map<string, StaticFile> {
  const realRoot = realpathSync(root);
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const real = realpathSync(full);
      if (!real.startsWith(realRoot + sep) || !statSync(real).isFile()) continue;
      const rel = relative(realRoot, full).split(sep).join('/');
      const ext = extname(rel).toLowerCase();
      const body = new Uint8Array(readFileSync(real));
      files.set(`/${rel}`, {
        body,
        gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? new Uint8Array(gzipSync(body)) : undefined,
        type: TYPES[ext] ?? 'application/octet-stream',
        immutable: rel.startsWith('assets/'),
      });
    }
  };
  walk(realRoot);
  if (!files.has('/index.html')) throw new Error(`${root} holds no index.html: build the web app first`);
  return files;
}

/** Mounts the app's files and the history fallback; call after the API routes. */
export function webAppRoutes(app: Hono<AppEnv>, options: WebAppOptions): void {
  const files = loadWebApp(options.root);
  const index = files.get('/index.html')!;
  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/') || path === '/graphql') return next();
    let file = files.get(path);
    if (!file) {
      // Only navigations get the app; a missing script or image stays a 404.
      const accept = c.req.header('accept') ?? '';
      if (!accept.includes('text/html') || path.startsWith('/assets/')) return next();
      file = index;
    }
    const gzip = file.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    c.header('Content-Type', file.type);
    c.header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('Vary', 'Accept-Encoding');
    if (gzip) c.header('Content-Encoding', 'gzip');
    const body = gzip ? file.gzip! : file.body;
    c.header('Content-Length', String(body.length));
    return c.req.method === 'HEAD' ? c.body(null) : c.body(body);
  });
}
