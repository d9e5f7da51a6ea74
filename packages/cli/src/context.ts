/**
 * What every local-mode command needs: the global options, a store opened on `--db`, and the
 * local actor (the organization's owner: whoever holds the database can already do anything).
 */
import { type Actor, CONFIG_ENV, loadConfig, localActor, openStore, type Store } from '@prefer/server';
import { type Command, Option } from 'commander';
import { createOutput, type Output } from './output.ts';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(
      new Option('--db <url>', 'SQLite file path or postgres:// URL (default: ./data/prefer.db)').env(
        CONFIG_ENV.databaseUrl,
      ),
    )
    .addOption(new Option('--json', 'print one JSON object instead of text').env('PREFER_JSON'));
}

export interface CommandContext {
  store: Store;
  actor: Actor;
  out: Output;
}

export function outputOf(cmd: Command): Output {
  return createOutput(cmd.optsWithGlobals<GlobalOptions>().json === true);
}

/** The database URL: `--db`, then PREFER_DATABASE_URL, then the default, validated. */
export function databaseUrlOf(cmd: Command): string {
  return loadConfig(process.env, { databaseUrl: cmd.optsWithGlobals<GlobalOptions>().db }).databaseUrl;
}

/** Opens the store, runs `fn` as the local actor, and always closes the store. */
export async function withLocalStore<T>(cmd: Command, fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const store = await openStore(databaseUrlOf(cmd));
  try {
    const actor = await localActor(store);
    return await fn({ store, actor, out: outputOf(cmd) });
  } finally {
    await store.close();
  }
}
