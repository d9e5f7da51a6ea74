/**
 * `prefer keys create|list|revoke`: API keys for the HTTP API and the SDK, managed in local mode
 * (whoever holds the database may mint keys). A key is printed once, at creation.
 */
import { createApiKey, listApiKeys, localActor, revokeApiKey } from '@prefer/server';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { UsageError } from '../failure.ts';
import { integer } from '../options.ts';

interface CreateOptions {
  name: string;
  email?: string;
  expiresIn?: number;
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 3650;

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys for the HTTP API and the SDK (local mode)');
  keys
    .command('create')
    .description('create an API key and print it once (store it now: it cannot be shown again)')
    .addOption(new Option('--name <name>', 'what the key is for').makeOptionMandatory())
    .addOption(
      new Option('--email <email>', 'the user the key acts as (default: the local owner)').env('PREFER_USER'),
    )
    .addOption(new Option('--expires-in <days>', `days until it expires (1-${MAX_DAYS})`).argParser(integer))
    .action((opts: CreateOptions, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        if (opts.expiresIn !== undefined && (opts.expiresIn < 1 || opts.expiresIn > MAX_DAYS)) {
          throw new UsageError(`--expires-in must be from 1 to ${MAX_DAYS} days`);
        }
        const owner = opts.email ? await localActor(store, opts.email) : actor;
        const expiresAt = opts.expiresIn === undefined ? null : Date.now() + opts.expiresIn * DAY_MS;
        const created = await createApiKey(store, owner, { name: opts.name, expiresAt });
        out.error(
          `API key "${opts.name}" for ${owner.email}: shown once; store it now (e.g. in PREFER_API_KEY)`,
        );
        out.result(created.key, {
          ...created,
          email: owner.email,
          expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
        });
      }),
    );
  keys
    .command('list')
    .description("list the organization's API keys (never the keys themselves)")
    .action((_opts: unknown, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        const list = await listApiKeys(store, actor);
        const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
        const state = (k: (typeof list)[number]) =>
          k.revoked_at !== null
            ? 'revoked'
            : k.expires_at !== null && k.expires_at <= Date.now()
              ? 'expired'
              : 'active';
        const text = list
          .map((k) =>
            [
              k.id,
              `prefer_${k.prefix}_…`,
              state(k),
              k.user_email,
              `expires ${iso(k.expires_at)}`,
              k.name,
            ].join('\t'),
          )
          .join('\n');
        out.result(text || 'no API keys', { keys: list });
      }),
    );
  keys
    .command('revoke')
    .description('revoke an API key: requests with it are refused from now on')
    .argument('<id>', 'key id (see keys list)')
    .action((id: string, _opts: unknown, cmd: Command) =>
      withLocalStore(cmd, async ({ store, actor, out }) => {
        await revokeApiKey(store, actor, id);
        out.result(`revoked ${id}`, { id, revoked: true });
      }),
    );
}
