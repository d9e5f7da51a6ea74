/**
 * `prefer keys create|list|revoke`: API keys for the HTTP API and the SDK. Locally on `--db`
 * (whoever holds the database may mint keys, for any user with `--email`), or on a server with
 * `--url` and PREFER_API_KEY (one's own keys). A key is printed once, at creation. Keys expire in
 * 90 days unless `--expires-in` says otherwise, in 365 days at most.
 */
import type { ApiKey } from '@prefer/sdk';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { UsageError } from '../failure.ts';
import { integer } from '../options.ts';
import { runRemote, urlOption } from '../remote.ts';

interface CreateOptions {
  name: string;
  email?: string;
  expiresIn?: number;
  url?: string;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 90;
const MAX_DAYS = 365;

interface KeyLine {
  id: string;
  prefix: string;
  state: string;
  email: string;
  expiresAt: number | null;
  name: string;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
const line = (k: KeyLine) =>
  [k.id, `prefer_${k.prefix}_…`, k.state, k.email, `expires ${iso(k.expiresAt)}`, k.name].join('\t');

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys for the HTTP API and the SDK');
  keys
    .command('create')
    .description('create an API key and print it once (store it now: it cannot be shown again)')
    .addOption(new Option('--name <name>', 'what the key is for').makeOptionMandatory())
    .addOption(
      new Option('--email <email>', 'local mode: the user the key acts as (default: the local owner)').env(
        'PREFER_USER',
      ),
    )
    .addOption(
      new Option(
        '--expires-in <days>',
        `days until it expires (1-${MAX_DAYS}, default ${DEFAULT_DAYS})`,
      ).argParser(integer),
    )
    .addOption(urlOption())
    .action((opts: CreateOptions, cmd: Command) => createKey(opts, cmd));
  keys
    .command('list')
    .description(
      'list API keys (never the keys themselves): locally all of the organization, remotely your own',
    )
    .addOption(urlOption())
    .action((_opts: { url?: string }, cmd: Command) => listKeys(cmd));
  keys
    .command('revoke')
    .description('revoke an API key: requests with it are refused from now on')
    .argument('<id>', 'key id (see keys list)')
    .addOption(urlOption())
    .action(async (id: string, _opts: { url?: string }, cmd: Command) => {
      const remote = await runRemote(cmd, async (client, out) => {
        await client.revokeApiKey(id);
        out.result(`revoked ${id}`, { id, revoked: true });
      });
      if (remote) return;
      await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
        await audited({ route: 'DELETE /keys/:keyId', params: { keyId: id }, status: 204 }, () =>
          server.revokeApiKey(store, actor, id),
        );
        out.result(`revoked ${id}`, { id, revoked: true });
      });
    });
}

async function createKey(opts: CreateOptions, cmd: Command): Promise<void> {
  const days = opts.expiresIn ?? DEFAULT_DAYS;
  if (days < 1 || days > MAX_DAYS) throw new UsageError(`--expires-in must be from 1 to ${MAX_DAYS} days`);
  const remote = await runRemote(cmd, async (client, out) => {
    // PREFER_USER is a local-mode setting; only an explicit --email conflicts with --url.
    if (opts.email !== undefined && cmd.getOptionValueSource('email') === 'cli') {
      throw new UsageError(
        '--email works in local mode only: remotely a key acts as the PREFER_API_KEY user',
      );
    }
    const created = await client.createApiKey({ name: opts.name, expiresInDays: days });
    out.error(`API key "${opts.name}": shown once; store it now (e.g. in PREFER_API_KEY)`);
    out.result(created.key, { ...created, expires_at: created.expiresAt.toISOString() });
  });
  if (remote) return;
  await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
    const owner = opts.email ? await server.localActor(store, opts.email) : actor;
    const expiresAt = Date.now() + days * DAY_MS;
    // The entry keeps the key's id, never the key.
    const created = await audited({ route: 'POST /keys', status: 201, created: (r) => r.id }, () =>
      server.createApiKey(store, owner, { name: opts.name, expiresAt }),
    );
    out.error(`API key "${opts.name}" for ${owner.email}: shown once; store it now (e.g. in PREFER_API_KEY)`);
    out.result(created.key, {
      id: created.id,
      key: created.key,
      prefix: created.prefix,
      email: owner.email,
      expires_at: new Date(expiresAt).toISOString(),
    });
  });
}

async function listKeys(cmd: Command): Promise<void> {
  const remote = await runRemote(cmd, async (client, out) => {
    const list: ApiKey[] = [];
    for await (const k of client.getApiKeys()) list.push(k);
    const text = list
      .map((k) =>
        line({
          id: k.id,
          prefix: k.prefix,
          state: k.state,
          email: k.userEmail,
          expiresAt: k.expiresAt?.getTime() ?? null,
          name: k.name,
        }),
      )
      .join('\n');
    out.result(text || 'no API keys', { keys: list });
  });
  if (remote) return;
  await withLocalStore(cmd, async ({ store, actor, out, server }) => {
    const list = await server.listApiKeys(store, actor);
    const state = (k: (typeof list)[number]) =>
      k.revoked_at !== null
        ? 'revoked'
        : k.expires_at !== null && k.expires_at <= Date.now()
          ? 'expired'
          : 'active';
    const text = list
      .map((k) =>
        line({
          id: k.id,
          prefix: k.prefix,
          state: state(k),
          email: k.user_email,
          expiresAt: k.expires_at,
          name: k.name,
        }),
      )
      .join('\n');
    out.result(text || 'no API keys', { keys: list });
  });
}
