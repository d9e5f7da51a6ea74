/**
 * `npm run openapi`: writes `docs/openapi.json` from the route specs. The test in
 * test/openapi.test.ts fails when the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/store.ts';
import { apiRouter } from './app.ts';
import { openApiDocument } from './openapi.ts';

export const OPENAPI_FILE = new URL('../../../../docs/openapi.json', import.meta.url);

export function openApiText(routes: Parameters<typeof openApiDocument>[0]): string {
  return `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The router needs a store to exist; a throwaway one serves (no handler runs).
  const dir = await mkdtemp(join(tmpdir(), 'prefer-openapi-'));
  const store = await openStore(join(dir, 'doc.db'));
  try {
    writeFileSync(OPENAPI_FILE, openApiText(apiRouter(store).routes));
    console.log(`wrote ${OPENAPI_FILE.pathname}`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
