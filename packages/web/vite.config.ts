import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Dev mode (`npm run dev -w @prefer/web`) proxies the API to a running `prefer serve`.
const api = process.env.PREFER_URL ?? 'http://127.0.0.1:7400';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: {
    // Workspace packages from their TypeScript source, whether or not they were built to dist/.
    conditions: ['source', ...defaultClientConditions],
    alias: [
      // rehype-katex turns KaTeX's HTML into a tree with this package; its browser build parses
      // through innerHTML, which the CSP (no inline style attributes) reports on every formula.
      // The portable build parses in JavaScript (parse5) and never touches the DOM.
      {
        find: /^hast-util-from-html-isomorphic$/,
        replacement: createRequire(import.meta.url).resolve('hast-util-from-html-isomorphic'),
      },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline <script> or data: URLs: the app must run under `script-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
});
