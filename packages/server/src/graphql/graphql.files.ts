/**
 * `GET /graphql/files/:taskId/:stream?start=&end=&exp=&sig=`: the byte range a signed link names,
 * without credentials (the SDK sends none to file URLs). The signature is checked first, in
 * constant time, then the expiry; a link that fails either is a 403 that says which, and tells
 * nothing about the task. The answer is exactly `end - start + 1` bytes of the final file, or
 * the part of them a `Range` header asks for (206), as the REST download serves its file.
 */
import type { Hono } from 'hono';
import { parseRange, streamResponse } from '../exports/files/stream-response.ts';
import { openStreamFile, streamFileOf } from '../exports/files/streams.ts';
import type { ExportStreamName } from '../exports/tasks/export-task.types.ts';
import type { AppEnv } from '../http/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { FILES_PATH, verifyGrant } from './signed-url.ts';

const INVALID = 'this download link is invalid; ask the API for a new one';
const NUMBER = /^\d{1,16}$/;

export function graphqlFileRoutes(app: Hono<AppEnv>, store: Store, secret: Buffer): void {
  app.get(`${FILES_PATH}/:taskId/:stream`, async (c) => {
    const taskId = c.req.param('taskId');
    const stream = c.req.param('stream');
    const q = { start: c.req.query('start'), end: c.req.query('end'), exp: c.req.query('exp') };
    const sig = c.req.query('sig') ?? '';
    if (
      !/^[A-Za-z0-9_-]{1,64}$/.test(taskId) ||
      (stream !== 'result' && stream !== 'errors') ||
      !NUMBER.test(q.start ?? '') ||
      !NUMBER.test(q.end ?? '') ||
      !NUMBER.test(q.exp ?? '')
    ) {
      throw new AppError('FORBIDDEN', INVALID);
    }
    const grant = {
      taskId,
      stream: stream as ExportStreamName,
      start: Number(q.start),
      end: Number(q.end),
      expires: Number(q.exp),
    };
    if (!verifyGrant(secret, grant, sig)) throw new AppError('FORBIDDEN', INVALID);
    if (grant.expires * 1000 < Date.now()) {
      throw new AppError('FORBIDDEN', 'this download link has expired; ask the API for a new one');
    }
    // The signature is the authorization: it was issued to a caller allowed to read this task.
    const task = await store.db
      .selectFrom('export_tasks')
      .where('id', '=', taskId)
      .selectAll()
      .executeTakeFirst();
    if (!task) throw notFound('export task', taskId);
    const file = await streamFileOf(task, grant.stream);
    if (grant.end >= file.totalBytes || grant.start > grant.end) {
      throw new AppError('RANGE_NOT_SATISFIABLE', `bytes ${grant.start}-${grant.end} are not in the file`);
    }
    // A Range is within the linked bytes: `bytes=0-` is the link's first byte.
    const length = grant.end - grant.start + 1;
    const range = parseRange(c.req.header('range'));
    if (range && range.start >= length) {
      c.header('Content-Range', `bytes */${length}`);
      throw new AppError(
        'RANGE_NOT_SATISFIABLE',
        `bytes ${range.start}- are not within the ${length} bytes of this link`,
      );
    }
    const from = range?.start ?? 0;
    const to = Math.min(range?.end ?? length - 1, length - 1);
    const opened = openStreamFile(file, grant.stream, { start: grant.start + from, end: grant.start + to });
    const headers: Record<string, string> = {
      'Content-Type':
        task.type === 'export-labels'
          ? 'application/json; charset=utf-8'
          : 'application/x-ndjson; charset=utf-8',
      'Content-Length': String(to - from + 1),
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, no-store',
    };
    if (range) headers['Content-Range'] = `bytes ${from}-${to}/${length}`;
    return streamResponse(c, opened, range ? 206 : 200, headers);
  });
}
