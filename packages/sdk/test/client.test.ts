/**
 * The SDK's transport against a real HTTP server on a port (node:http), scripted per test:
 * retries, error mapping, polling, and resuming a broken download by byte offset.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiLimitError,
  AuthenticationError,
  Client,
  ExportTask,
  NetworkError,
  PreferError,
  ResourceNotFoundError,
  TimeoutError,
  ValidationError,
} from '../src/index.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let server: Server | undefined;
const seen: { method: string; url: string; range?: string; auth?: string }[] = [];

async function serve(handler: Handler): Promise<string> {
  seen.length = 0;
  server = createServer((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      range: req.headers.range,
      auth: req.headers.authorization,
    });
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const project = {
  id: 'p1',
  name: 'Prefs',
  description: null,
  created_at: '2024-01-01T00:00:00.000+00:00',
  updated_at: '2024-01-02T00:00:00.000+00:00',
  media_type: 'CONVERSATIONAL',
  ontology_id: 'o1',
  consensus_expected_label_count: 1,
  data_row_count: 3,
  last_activity_at: null,
  role: 'admin' as const,
  instructions: null,
  archived_at: null,
};
const task = (
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED',
  result: { total_bytes: number; total_lines: number } | null = null,
) => ({
  id: 't1',
  name: 'x',
  type: 'export-data-rows',
  status,
  created_at: '2024-01-01T00:00:00.000+00:00',
  updated_at: '2024-01-01T00:00:00.000+00:00',
  completion_percentage: status === 'COMPLETE' ? 100 : 10,
  failure_reason: null,
  result,
  errors: status === 'COMPLETE' ? { total_bytes: 0, total_lines: 0 } : null,
});

describe('Client', () => {
  it('sends the bearer key and maps the project', async () => {
    const url = await serve((_req, res) => json(res, 200, project));
    const p = await new Client({ endpoint: `${url}/`, apiKey: 'prefer_k' }).getProject('p1');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/api/v1/projects/p1', auth: 'Bearer prefer_k' });
    expect(p).toMatchObject({ id: 'p1', name: 'Prefs', dataRowCount: 3, lastActivityAt: null });
    expect(p.createdAt.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('retries 429 honouring Retry-After, then gives up with ApiLimitError', async () => {
    let limited = 2;
    const url = await serve((_req, res) => {
      if (limited-- > 0) {
        const body = { error: { code: 'RATE_LIMITED', message: 'Try again', requestId: 'r' } };
        return json(res, 429, body, { 'Retry-After': '0' });
      }
      json(res, 200, project);
    });
    await new Client({ endpoint: url, apiKey: 'k' }).getProject('p1');
    expect(seen).toHaveLength(3);
    limited = 5;
    seen.length = 0;
    const err = await new Client({ endpoint: url, apiKey: 'k', maxRetries: 1 })
      .getProject('p1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApiLimitError);
    expect(err).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      retryAfterSeconds: 0,
      message: 'Try again',
    });
    expect(seen).toHaveLength(2);
  });

  it('maps error answers to typed errors and never echoes a non-JSON body', async () => {
    const bodies: [number, unknown, new (...a: never[]) => PreferError][] = [
      [401, { error: { code: 'UNAUTHENTICATED', message: 'key', requestId: 'r1' } }, AuthenticationError],
      [
        404,
        { error: { code: 'NOT_FOUND', message: 'project p1 not found', requestId: 'r2' } },
        ResourceNotFoundError,
      ],
      [400, { error: { code: 'BAD_REQUEST', message: 'bad filter', requestId: 'r3' } }, ValidationError],
      [413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'big', requestId: 'r4' } }, ValidationError],
    ];
    for (const [status, body, type] of bodies) {
      const url = await serve((_req, res) => json(res, status, body));
      const err = await new Client({ endpoint: url, apiKey: 'k' }).getProject('p1').catch((e) => e);
      expect(err).toBeInstanceOf(type);
      const e = (body as { error: { code: string; message: string; requestId: string } }).error;
      expect(err).toMatchObject({ status, code: e.code, message: e.message, requestId: e.requestId });
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    }
    const url = await serve((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/html' });
      res.end('<html>stack trace at /srv/app.js</html>');
    });
    const err = await new Client({ endpoint: url, apiKey: 'k', maxRetries: 0 })
      .getProject('p1')
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreferError);
    expect(err.message).toBe('HTTP 500');
  });

  it('retries a GET after 503 but never replays a POST whose connection broke', async () => {
    let url = await serve((_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, project)));
    await new Client({ endpoint: url, apiKey: 'k' }).getProject('p1');
    expect(seen).toHaveLength(2);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    url = await serve((req) => req.socket.destroy());
    const p = new (await import('../src/project.ts')).Project(
      new Client({ endpoint: url, apiKey: 'k' }),
      project,
    );
    await expect(p.exportV2()).rejects.toBeInstanceOf(NetworkError);
    expect(seen).toHaveLength(1);
  });

  it('times out a request that gets no answer', async () => {
    const url = await serve(() => {});
    const client = new Client({ endpoint: url, apiKey: 'k', requestTimeoutMs: 100, maxRetries: 0 });
    await expect(client.getProject('p1')).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('ExportTask', () => {
  // 120 lines with 2-, 3- and 4-byte characters.
  const lines = Array.from({ length: 120 }, (_, i) =>
    JSON.stringify({ i, text: `é€🌍 ${'x'.repeat(i % 13)}` }),
  );
  const file = Buffer.from(`${lines.join('\n')}\n`);

  it('polls until done, then streams rows, resuming by Range after a broken read', async () => {
    const cut = Math.floor(file.length / 2) + 1; // inside a line
    let polls = 0;
    const url = await serve((req, res) => {
      if (req.url === '/api/v1/export-tasks/t1') {
        polls++;
        return json(
          res,
          200,
          polls < 3 ? task('IN_PROGRESS') : task('COMPLETE', { total_bytes: file.length, total_lines: 120 }),
        );
      }
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (!range) {
        // Announce the whole file, send half, then break the connection.
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Content-Length': String(file.length) });
        res.write(file.subarray(0, cut), () => setTimeout(() => req.socket.destroy(), 20));
        return;
      }
      const start = Number(range[1]);
      res.writeHead(206, {
        'Content-Type': 'application/x-ndjson',
        'Content-Length': String(file.length - start),
        'Content-Range': `bytes ${start}-${file.length - 1}/${file.length}`,
      });
      res.end(file.subarray(start));
    });
    const client = new Client({ endpoint: url, apiKey: 'k' });
    const t = new ExportTask(client, task('IN_PROGRESS'));
    await t.waitTillDone({ pollIntervalSeconds: 0.01 });
    expect(t.status).toBe('COMPLETE');
    expect(polls).toBe(3);
    const rows: unknown[] = [];
    for await (const row of t.getBufferedStream()) rows.push(row);
    expect(rows).toEqual(lines.map((l) => JSON.parse(l)));
    const resumed = seen.find((s) => s.range)!;
    const offset = Number(/\d+/.exec(resumed.range!)![0]);
    // It resumed at the start of the first line it had not finished, just before the cut.
    expect(file[offset - 1]).toBe(0x0a);
    expect(offset).toBeLessThan(cut);
    expect(cut - offset).toBeLessThan(Math.max(...lines.map((l) => Buffer.byteLength(l))) + 1);
    // Line streams give the same bytes.
    const text: string[] = [];
    for await (const line of t.getLineStream()) text.push(line);
    expect(Buffer.from(`${text.join('\n')}\n`).equals(file)).toBe(true);
    expect(await t.errors()).toBeNull();
  });

  it('gives up after repeated broken reads with a NetworkError', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'Content-Length': String(file.length) });
      res.write(file.subarray(0, 10), () => setTimeout(() => req.socket.destroy(), 10));
    });
    const t = new ExportTask(
      new Client({ endpoint: url, apiKey: 'k' }),
      task('COMPLETE', { total_bytes: file.length, total_lines: 120 }),
    );
    await expect(t.result()).rejects.toBeInstanceOf(NetworkError);
  });
});
