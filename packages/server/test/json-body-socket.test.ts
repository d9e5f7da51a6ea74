/**
 * JSON bodies read from the socket (http/json-body.ts): under a real server a body with a
 * Content-Length is read from node's request directly, a chunked one through hono's web Request.
 * Both must answer alike: the write stored, the same 400s for bad bodies, 413 over 1 MiB, and
 * nothing stored for a refused body.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from '../src/http/server.ts';
import { describeBackends } from './support/backends.ts';
import { type Team, team } from './workflow-http-helpers.ts';

interface Answer {
  status: number;
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

describeBackends('JSON bodies read from the socket', (ctx) => {
  let t: Team;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    t = await team(ctx.store, 2);
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A POST with `body` sent as is: with its Content-Length, or chunked in `chunks` pieces. */
  const post = (path: string, body: Buffer, how: { chunked?: boolean; type?: string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        authorization: `Bearer ${t.manager.key}`,
        'content-type': how.type ?? 'application/json',
      };
      if (!how.chunked) headers['content-length'] = body.length;
      const req = request(`${server.url}/api/v1${path}`, { method: 'POST', headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, json: text === '' ? {} : JSON.parse(text) });
        });
      });
      // The server may answer 413 and close before the whole body is sent.
      req.on('error', reject);
      if (how.chunked) {
        const step = Math.max(1, Math.ceil(body.length / 3));
        for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
        req.end();
      } else req.end(body);
    });
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  const datasets = async () =>
    (
      await ctx.store.db.selectFrom('datasets').where('org_id', '=', t.owner.orgId).select('name').execute()
    ).map((d) => d.name);

  it('stores a write whose body came with a Content-Length or chunked, and answers the same', async () => {
    const path = '/datasets';
    const sized = await post(path, json({ name: 'sized' }));
    expect(sized.status, JSON.stringify(sized.json)).toBe(201);
    expect(sized.json).toMatchObject({ name: 'sized' });
    const chunked = await post(path, json({ name: 'chunked' }), { chunked: true });
    expect(chunked.status, JSON.stringify(chunked.json)).toBe(201);
    expect(chunked.json).toMatchObject({ name: 'chunked' });
    expect((await datasets()).sort()).toEqual(expect.arrayContaining(['chunked', 'sized']));
  });

  it('refuses bad bodies alike either way and stores nothing', async () => {
    const path = '/datasets';
    const before = await datasets();
    for (const chunked of [false, true]) {
      const utf8 = await post(path, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), { chunked });
      expect(utf8.status).toBe(400);
      expect(utf8.json.error?.message).toBe('the request body is not valid UTF-8');
      const unknown = await post(path, json({ name: 'x', colour: 'red' }), { chunked });
      expect(unknown.status).toBe(400);
      expect(unknown.json.error?.message).toMatch(
        /^unknown key "colour" in the request body; valid keys are: name, description/,
      );
      const twice = await post(path, Buffer.from('{"name":"a","name":"b"}'), { chunked });
      expect(twice.status).toBe(400);
      expect(twice.json.error?.message).toMatch(/^invalid JSON body at/);
      const text = await post(path, json({ name: 'x' }), { chunked, type: 'text/plain' });
      expect(text.status).toBe(400);
      expect(text.json.error?.message).toBe('the request body must be JSON (Content-Type: application/json)');
      const big = json({ name: 'big', description: 'x'.repeat(1024 * 1024) });
      const tooLarge = await post(path, big, { chunked }).catch((err: NodeJS.ErrnoException) =>
        String(err.code),
      );
      // 413, or the connection reset by a server that answered before the body was all sent.
      if (typeof tooLarge === 'string') expect(tooLarge).toMatch(/^(ECONNRESET|EPIPE)$/);
      else {
        expect(tooLarge.status).toBe(413);
        expect(tooLarge.json.error?.code).toBe('PAYLOAD_TOO_LARGE');
      }
    }
    expect(await datasets()).toEqual(before);
  });
});
