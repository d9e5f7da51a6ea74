/**
 * Stalled streamed exports cannot starve the server (issue 10, finding 2): twelve readers that
 * open `exports/stream` answers and never read them. Beyond the caps they are refused (429 with
 * Retry-After); the ones running hold only the long-read pool (PostgreSQL) or a WAL reader
 * (SQLite), so `/health`, `GET /me` and a label submit still answer; and after the idle timeout
 * the stalled streams are ended and their snapshots freed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { growRows, type StalledResponse, stalledPost } from './stalled-streams.ts';
import { describeBackends } from './support/backends.ts';
import { answers } from './workflow-helpers.ts';
import { type Member, member, type Team, team } from './workflow-http-helpers.ts';

const IDLE_MS = 5000;

describeBackends('stalled export streams', (ctx) => {
  let t: Team;
  let manager2: Member;
  let server: RunningServer;

  beforeAll(async () => {
    t = await team(ctx.store, 50);
    manager2 = await member(ctx.store, t, 'manager', 'manager2');
    // 49 rows grow (one stays small for the labeler to submit quickly, whatever the queue order).
    await growRows(ctx.store, t.rowIds.slice(0, 49));
    const app = createApp({ store: ctx.store, streams: { perUser: 2, max: 4, idleMs: IDLE_MS } });
    server = await startServer({ store: ctx.store, app, port: 0, host: '127.0.0.1', graceMs: 100 });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  const api = (key: string, path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers },
      signal: AbortSignal.timeout(20_000),
    });

  it('refuses streams over the caps, keeps answering other requests, and ends the stalled ones', async () => {
    const keys = [t.admin.key, t.manager.key, manager2.key];
    const opened: StalledResponse[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const key = keys[i % keys.length]!;
        opened.push(
          await stalledPost(
            server.url,
            `/api/v1/projects/${t.projectId}/exports/stream`,
            { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
            JSON.stringify({ params: { label_details: true } }),
          ),
        );
      }
      const running = opened.filter((r) => r.status === 200);
      const refused = opened.filter((r) => r.status === 429);
      expect(running).toHaveLength(4);
      expect(refused).toHaveLength(8);
      for (const r of refused) expect(r.headers).toMatch(/\r\nretry-after: \d+/i);

      // While the four are stalled: health, /me and a label submit all answer, with 2xx.
      const started = performance.now();
      const health = await api(t.admin.key, '/health');
      expect(health.status).toBe(200);
      expect(((await health.json()) as { streams: { active: number } }).streams.active).toBe(4);
      expect((await api(t.labeler.key, '/me')).status).toBe(200);
      const next = await api(t.labeler.key, `/projects/${t.projectId}/queue/next`, {
        method: 'POST',
        body: '{}',
      });
      expect(next.status).toBe(200);
      const { data_row } = (await next.json()) as { data_row: { id: string } };
      const submit = await api(t.labeler.key, `/projects/${t.projectId}/labels`, {
        method: 'POST',
        headers: { 'Idempotency-Key': `stalled-${Date.now()}` },
        body: JSON.stringify({ data_row_id: data_row.id, classifications: answers(), seconds_to_create: 3 }),
      });
      expect(submit.status).toBe(201);
      const elapsed = performance.now() - started;
      console.log(
        `[stalled streams ${ctx.backend}] health, me, next and submit answered in ${elapsed.toFixed(0)} ms`,
      );
      // Still stalled then: the idle timeout had not yet ended them.
      const during = await api(t.admin.key, '/health');
      expect(((await during.json()) as { streams: { active: number } }).streams.active).toBe(4);

      // After the idle timeout the server ends them: the places are free again...
      let active = 4;
      for (let i = 0; i < 300 && active > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const res = await api(t.admin.key, '/health');
        active = ((await res.json()) as { streams: { active: number } }).streams.active;
      }
      expect(active).toBe(0);
      // ...the snapshots are closed (no session left idle in a transaction)...
      if (ctx.backend === 'postgres') {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state like 'idle in transaction%'`.execute(ctx.store.db);
        expect(rows[0]!.n).toBe(0);
      }
      // ...and each stalled reader finds its answer cut, never a complete-looking export.
      for (const r of running) {
        const end = await r.finish();
        expect(end.complete).toBe(false);
        expect(end.bytes).toBeLessThan(20_000_000);
      }
      // A new stream runs to the end for a reader that reads.
      const full = await api(t.admin.key, `/projects/${t.projectId}/exports/stream`, {
        method: 'POST',
        body: '{}',
      });
      expect(full.status).toBe(200);
      expect((await full.text()).split('\n').filter(Boolean)).toHaveLength(50);
    } finally {
      for (const r of opened) r.destroy();
    }
  }, 120_000);
});
