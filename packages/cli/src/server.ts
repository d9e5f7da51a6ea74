/**
 * The server's code (database drivers, services, HTTP), loaded only by commands that run it:
 * `prefer --help`, usage errors and remote mode (`--url`) never do, so they start fast.
 * What option parsing and failure reports need comes from the light `@prefer/server/settings`.
 */
export type Server = typeof import('@prefer/server');

export const loadServer = (): Promise<Server> => import('@prefer/server');
