/**
 * Signed download links for export files: the Labelbox SDK GETs chunk and V1 URLs without any
 * credentials, so a link carries its own proof. HMAC-SHA256 with the per-install secret over the
 * task, the stream, the byte range and the expiry; checked in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ExportStreamName } from '../exports/tasks/export-task.types.ts';

export interface FileGrant {
  taskId: string;
  stream: ExportStreamName;
  /** Inclusive byte range of the file. */
  start: number;
  end: number;
  /** Unix seconds after which the link is refused. */
  expires: number;
}

/** Where the file route lives; `:taskId/:stream` follow. */
export const FILES_PATH = '/graphql/files';

export function signGrant(secret: Buffer, grant: FileGrant): string {
  return createHmac('sha256', secret).update(canonical(grant)).digest('base64url');
}

/** The link's path and query, relative to the server's public origin. */
export function grantPath(secret: Buffer, grant: FileGrant): string {
  const query = new URLSearchParams({
    start: String(grant.start),
    end: String(grant.end),
    exp: String(grant.expires),
    sig: signGrant(secret, grant),
  });
  return `${FILES_PATH}/${encodeURIComponent(grant.taskId)}/${grant.stream}?${query}`;
}

/** True when `sig` is this grant's signature (constant time; malformed input is just false). */
export function verifyGrant(secret: Buffer, grant: FileGrant, sig: string): boolean {
  const expected = Buffer.from(signGrant(secret, grant), 'base64url');
  const given = /^[A-Za-z0-9_-]{43}$/.test(sig) ? Buffer.from(sig, 'base64url') : Buffer.alloc(0);
  // timingSafeEqual needs equal lengths; compare against the expected value itself otherwise.
  const same = timingSafeEqual(given.length === expected.length ? given : expected, expected);
  return same && given.length === expected.length;
}

// One field per line, numbers in decimal: no two different grants share a canonical form.
const canonical = (g: FileGrant) =>
  ['prefer-export-file-v1', g.taskId, g.stream, g.start, g.end, g.expires].join('\n');
