/**
 * What every local-mode command needs: the global options, a store opened on `--db`, and the
 * local actor (the organization's owner: whoever holds the database can already do anything).
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Actor, Store } from '@prefer/server';
import {
  AppError,
  CONFIG_DEFAULTS,
  CONFIG_ENV,
  type Config,
  type ConfigInput,
  LOCAL_USER_EMAIL,
  loadConfig,
  passwordCost,
} from '@prefer/server/settings';
import { type Command, Option } from 'commander';
import { ImportFailed, UsageError } from './failure.ts';
import { runOf } from './io.ts';
import { createOutput, type Output } from './output.ts';
import { loadServer, type Server } from './server.ts';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(
      new Option(
        '--db <url>',
        `SQLite file path or postgres:// URL (default: ${CONFIG_DEFAULTS.databaseUrl})`,
      ).env(CONFIG_ENV.databaseUrl),
    )
    .addOption(new Option('--json', 'print one JSON object instead of text').env('PREFER_JSON'));
}

export interface CommandContext {
  store: Store;
  actor: Actor;
  out: Output;
  /** The server's code, loaded by `withLocalStore` (remote mode and help never load it). */
  server: Server;
  /**
   * Runs a write and records it in the audit log under the REST route that does the same thing,
   * whatever its outcome (a failure is recorded with the status the route would answer).
   */
  audited<T>(write: LocalWrite<T>, run: () => Promise<T>): Promise<T>;
}

export interface LocalWrite<T> {
  /** The REST equivalent, `POST /projects/:projectId/batches`: its action and target. */
  route: string;
  params?: Record<string, string> | undefined;
  /** The route's success status (default 200). */
  status?: number;
  /** The id of what was created. */
  created?: (result: T) => string | undefined;
}

export function outputOf(cmd: Command): Output {
  return createOutput(cmd.optsWithGlobals<GlobalOptions>().json === true, runOf(cmd));
}

/**
 * The configuration: flags (`overrides`, and `--db`), then PREFER_* variables, then defaults.
 * An invalid value is a usage error (exit 2) naming the variable.
 */
export function configOf(cmd: Command, overrides: ConfigInput = {}): Config {
  try {
    const env = runOf(cmd).io.env;
    // Checked here, though only hashing reads it, so a bad value stops the command at start.
    passwordCost(env);
    return loadConfig(env, {
      databaseUrl: cmd.optsWithGlobals<GlobalOptions>().db,
      ...overrides,
    });
  } catch (err) {
    if (err instanceof AppError) throw new UsageError(err.message);
    throw err;
  }
}

/** The user local-mode commands act as: PREFER_USER, else the organization's owner. */
export const localUser = (cmd: Command): string => runOf(cmd).io.env.PREFER_USER ?? LOCAL_USER_EMAIL;

/** Opens the store, runs `fn` as the local actor, and always closes the store. */
export async function withLocalStore<T>(cmd: Command, fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const { databaseUrl } = configOf(cmd);
  const server = await loadServer();
  // A SQLite path is relative to the current folder (as the server's): run from another folder,
  // the default makes a new, empty database there. Say so, naming the file and the way out.
  // A database the user named (--db, PREFER_DATABASE_URL) is theirs to create: no note then.
  const named =
    cmd.optsWithGlobals<GlobalOptions>().db !== undefined ||
    runOf(cmd).io.env.PREFER_DATABASE_URL !== undefined;
  const file = named || /^postgres(ql)?:\/\//i.test(databaseUrl) ? undefined : resolve(databaseUrl);
  const fresh = file !== undefined && !existsSync(file);
  const store = await server.openStore(databaseUrl);
  if (fresh) {
    outputOf(cmd).error(
      `note: created a new, empty database at ${file} (--db or PREFER_DATABASE_URL names another)`,
    );
  }
  try {
    const actor = await server.localActor(store, localUser(cmd));
    const audited = <R>(write: LocalWrite<R>, run: () => Promise<R>): Promise<R> =>
      server.audited(
        store,
        {
          actor,
          via: 'cli',
          address: localAddress(runOf(cmd).io.env),
          route: write.route,
          params: write.params,
          path: commandPath(cmd),
          summary: optionsGiven(cmd),
          status: write.status ?? 200,
          now: Date.now,
          created: write.created,
          statusOf: (err) => (err instanceof ImportFailed ? 422 : undefined),
        },
        run,
      );
    return await fn({ store, actor, out: outputOf(cmd), server, audited });
  } finally {
    await store.close();
  }
}

/** `prefer project create`: where a local write came from (the audit entry's path). */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.parent ? c.name() : 'prefer');
  return names.join(' ');
}

/** The names of the options given on the command line or by variable, never their values. */
function optionsGiven(cmd: Command): string {
  const given = cmd.options
    .filter((o) => {
      const source = cmd.getOptionValueSource(o.attributeName());
      return source === 'cli' || source === 'env';
    })
    .map((o) => o.long ?? o.flags)
    .sort();
  return given.length > 0 ? `options: ${given.join(', ')}` : '';
}

/** No TCP peer in local mode: the operating-system account that ran the command. */
function localAddress(env: Record<string, string | undefined>): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = env.USER ?? env.USERNAME;
  }
  return `local (OS user ${name ?? 'unknown'})`;
}
