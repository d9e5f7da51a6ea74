/** What every resolver gets: the store, the API key's actor, and how to make download links. */
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';
import type { ReadBudget } from './graphql.limits.ts';
import { type FileGrant, grantPath } from './signed-url.ts';

export interface GraphqlContext {
  store: Store;
  actor: Actor;
  links: Links;
  /** What this request may still read from export files (graphql.limits.ts). */
  budget: ReadBudget;
  /** For the audit entries of mutations: the TCP peer and the clock. */
  audit: { address: string; now: () => number };
}

export interface Links {
  /** The origin links are built on: `PREFER_PUBLIC_URL`, else the request's. */
  base: string;
  /** Upper bound of an export chunk in bytes (a longer line is returned whole). */
  chunkBytes: number;
  /** An absolute, signed URL of a byte range of a task's file, valid for `ttlSeconds`. */
  fileUrl(grant: Omit<FileGrant, 'expires'>, ttlSeconds?: number): string;
}

export interface LinkOptions {
  secret: Buffer;
  /** e.g. `https://prefer.example.com`; else the origin the request was made to. */
  publicUrl?: string | undefined;
  chunkBytes: number;
  ttlSeconds: number;
  now?: () => number;
}

export function makeLinks(options: LinkOptions, requestUrl: string): Links {
  const base = (options.publicUrl ?? new URL(requestUrl).origin).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  return {
    base,
    chunkBytes: options.chunkBytes,
    fileUrl(grant, ttlSeconds = options.ttlSeconds) {
      const expires = Math.floor(now() / 1000) + ttlSeconds;
      return `${base}${grantPath(options.secret, { ...grant, expires })}`;
    },
  };
}
