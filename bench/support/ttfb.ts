/**
 * Time to first byte of an export over HTTP: the real server on loopback, a streamed export v2
 * with every param, timed from the request to the first body chunk (and to the last).
 */
import { createApiKey } from '../../packages/server/src/auth/api-key.service.ts';
import { startServer } from '../../packages/server/src/http/server.ts';
import type { Actor } from '../../packages/server/src/orgs/actor.ts';
import { openStore } from '../../packages/server/src/store/store.ts';

export interface Ttfb {
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

export async function measureTtfb(
  url: string,
  actor: Actor,
  projectId: string,
  body: { params: unknown; filters?: unknown },
): Promise<Ttfb> {
  const store = await openStore(url);
  const server = await startServer({ store, port: 0, host: '127.0.0.1', logError: () => {} });
  try {
    const { key } = await createApiKey(store, actor, { name: 'bench' });
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/projects/${projectId}/exports/stream`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok || !res.body) throw new Error(`stream export answered ${res.status}: ${await res.text()}`);
    let firstByteMs = -1;
    let bytes = 0;
    for await (const chunk of res.body) {
      if (firstByteMs < 0) firstByteMs = performance.now() - started;
      bytes += (chunk as Uint8Array).byteLength;
    }
    return { firstByteMs, totalMs: performance.now() - started, bytes };
  } finally {
    await server.close();
    await store.close();
  }
}
