/** The audit log over HTTP: `GET /audit` (cursor pages, newest first) and `GET /audit/export` (NDJSON). */
import { Readable } from 'node:stream';
import { auditEntrySchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { AppError } from '../shared/errors.ts';
import { type AuditFilters, auditLines, listAudit } from './audit.service.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` (UTC; a `to` date takes the whole day) or ISO 8601 with `Z` or an offset. */
function parseBound(name: string, value: string | undefined, end: boolean): number | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = DATE.test(value)
    ? Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0)
    : iso.test(value)
      ? Date.parse(value)
      : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new AppError(
      'BAD_REQUEST',
      `query parameter ${name}: ${JSON.stringify(value)} is not a date: use YYYY-MM-DD (UTC) or ISO 8601 with an offset (2026-01-31T09:00:00Z, 2026-01-31T09:00:00+02:00)`,
    );
  }
  return ms;
}

const filterQuery = {
  actor: z.string().min(1).max(320).optional().describe('a user id or email'),
  action: z.string().min(1).max(200).optional().describe('an operationId, e.g. post_users'),
  target_type: z.string().min(1).max(64).optional(),
  target_id: z.string().min(1).max(200).optional(),
  from: z.string().max(40).optional().describe('YYYY-MM-DD or ISO 8601 with offset, inclusive'),
  to: z.string().max(40).optional().describe('YYYY-MM-DD (the whole day) or ISO 8601 with offset, inclusive'),
};

function filtersOf(q: {
  actor?: string | undefined;
  action?: string | undefined;
  target_type?: string | undefined;
  target_id?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): AuditFilters {
  return {
    actor: q.actor,
    action: q.action,
    targetType: q.target_type,
    targetId: q.target_id,
    from: parseBound('from', q.from, false),
    to: parseBound('to', q.to, true),
  };
}

export function auditRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'get',
    path: '/audit',
    summary: 'The audit log: every write by a person or key, newest first (cursor pages, filters)',
    tag: 'audit',
    permission: 'audit.read',
    query: z.strictObject({ ...pageQuery, ...filterQuery }),
    responses: { 200: { description: 'A page of entries', schema: pageOf(auditEntrySchema) } },
    handler: async (c, { actor, query }) => c.json(await listAudit(store, actor, filtersOf(query), query)),
  });
  api.route({
    method: 'get',
    path: '/audit/export',
    summary: 'The whole audit log (filtered), oldest first, as NDJSON: one entry a line',
    tag: 'audit',
    permission: 'audit.read',
    query: z.strictObject(filterQuery),
    responses: { 200: { description: 'NDJSON, one entry a line', contentType: 'application/x-ndjson' } },
    handler: async (c, { actor, query }) => {
      const filters = filtersOf(query);
      const stream = Readable.from(auditLines(store, actor, filters));
      c.req.raw.signal.addEventListener('abort', () => stream.destroy(), { once: true });
      return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
      });
    },
  });
}
