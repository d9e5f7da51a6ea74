/**
 * Puts the app on a port. `close()` stops accepting connections, lets requests in flight finish
 * (cut after a grace period), and resolves once the port is free; the store stays open for the
 * caller to close after its other users (the export worker) stopped.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { flushFragments } from '../exports/v2/fragment-refresh.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { type AppOptions, createApp } from './app.ts';
import type { AppEnv } from './context.ts';

export interface ServerOptions extends Omit<AppOptions, 'store'> {
  store: Store;
  /** 0 picks a free port; `url` tells which. */
  port: number;
  host: string;
  /** How long `close()` waits for requests in flight before cutting them (default 10 s). */
  graceMs?: number;
  /** The app to serve (default: `createApp(options)`), e.g. one with extra routes. */
  app?: Hono<AppEnv>;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:7400` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = options.app ?? createApp(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }) as Server;
    s.once('listening', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new AppError(
              'UNAVAILABLE',
              `${options.host}:${options.port} is in use: choose another port (PREFER_PORT)`,
            )
          : err,
      ),
    );
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${displayHost(options.host)}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        const cut = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 10_000);
        cut.unref();
        server.close((err) => {
          clearTimeout(cut);
          if (err) reject(err);
          // The requests are done: render the export text they left to the background.
          else flushFragments(options.store).then(resolve, reject);
        });
        // Keep-alive connections with no request in flight would otherwise hold the port.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** A URL a browser on this machine can open: wildcard addresses become localhost. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Resolves with the first SIGINT or SIGTERM, so a caller can shut down in order. The handlers are
 * removed then: a second Ctrl-C falls back to Node's default and ends the process at once.
 */
export function untilShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
