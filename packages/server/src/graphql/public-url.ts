/**
 * `PREFER_PUBLIC_URL`: the origin clients reach the server at, for links the server hands out
 * (export chunk and V1 download URLs). Behind a reverse proxy or TLS terminator, set it; without
 * it a link uses the origin of the request that asked for it (its Host header), which is right
 * when clients talk to prefer directly.
 */
import { AppError } from '../shared/errors.ts';

export const PUBLIC_URL_ENV = 'PREFER_PUBLIC_URL';

/** An http(s) URL without query or fragment, trailing slashes dropped; undefined when unset. */
export function parsePublicUrl(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const url = URL.canParse(text) ? new URL(text) : null;
  if (
    !url ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search ||
    url.hash ||
    url.username
  ) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${PUBLIC_URL_ENV}: ${JSON.stringify(text)} is not an http(s) URL such as https://prefer.example.com`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
