/**
 * Stalled streamed exports cannot grow the SQLite WAL without bound (issue 10, finding 5). A WAL
 * reader keeps the log from being checkpointed, so under writes `-wal` grows for as long as the
 * oldest reader lives. Twenty stalled readers: only the caps' four run; when the idle timeout
 * ends them, a TRUNCATE checkpoint brings the log back, and `/health` reports its size.
 * SQLite only: PostgreSQL has no such file (its side is security-streams.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { bigConversation, growRows, type StalledResponse, stalledPost } from './stalled-streams.ts';
import { createBackend } from './support/backends.ts';
import { type Team, team } from './workflow-http-helpers.ts';

const IDLE_MS = 3000;
const MiB = 1024 * 1024;

describe('WAL growth under stalled export streams [sqlite]', () => {
  const ctx = createBackend('sqlite');
  let t: Team;
  let server: RunningServer;

  beforeAll(async () => {
    t = await team(ctx.store, 50);
    await growRows(ctx.store, t.rowIds);
    const app = createApp({ store: ctx.store, streams: { perUser: 20, max: 4, idleMs: IDLE_MS } });
    server = await startServer({ store: ctx.store, app, port: 0, host: '127.0.0.1', graceMs: 100 });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  const walBytes = async () => {
    const res = await fetch(`${server.url}/api/v1/health`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { wal_bytes: number }).wal_bytes;
  };

  it('runs only the capped readers, and the WAL they pinned shrinks once they are ended', async () => {
    const opened: StalledResponse[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        opened.push(
          await stalledPost(
            server.url,
            `/api/v1/projects/${t.projectId}/exports/stream`,
            { Authorization: `Bearer ${t.admin.key}`, 'Content-Type': 'application/json' },
            '{}',
          ),
        );
      }
      expect(opened.filter((r) => r.status === 200)).toHaveLength(4);
      expect(opened.filter((r) => r.status === 429)).toHaveLength(16);

      // A write load while they stall: each write rewrites a 200 KB conversation.
      for (let i = 0; i < 40; i++) {
        const text = bigConversation(200_000 + i);
        await ctx.store.write((tx) =>
          tx
            .updateTable('data_rows')
            .set({ row_data: text })
            .where('id', '=', t.rowIds[i % t.rowIds.length]!)
            .execute(),
        );
      }
      const stalledWal = await walBytes();
      // The readers pin the log: the writes above are all still in it.
      expect(stalledWal).toBeGreaterThan(8 * MiB);

      // Once the idle timeout ended them, the log is checkpointed and cut back.
      let wal = stalledWal;
      for (let i = 0; i < 300 && wal > MiB; i++) {
        await new Promise((r) => setTimeout(r, 100));
        wal = await walBytes();
      }
      console.log(
        `[wal] ${(stalledWal / MiB).toFixed(1)} MiB with 4 stalled readers, ${(wal / MiB).toFixed(2)} MiB after they ended`,
      );
      expect(wal).toBeLessThanOrEqual(MiB);
    } finally {
      for (const r of opened) r.destroy();
    }
  }, 120_000);
});
