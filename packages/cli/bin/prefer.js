#!/usr/bin/env node
// The compiled CLI (`npm run build`, run by `npm install` through `prepare`): no TypeScript
// loader at run time. `npm run prefer` runs the TypeScript source instead.
await import('../dist/bin.js');
