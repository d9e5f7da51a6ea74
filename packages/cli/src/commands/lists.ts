/**
 * The lists: `prefer projects list`, `datasets list`, `batches list --project`, `tasks list
 * --project` (export tasks), `users list` and `audit list`. Each walks the API's cursor pages
 * through the SDK: remotely with `--url`, locally on the API in this process acting as the local
 * user (`localFetch`), so both modes print the same thing. Text: one tab-separated line per item;
 * `--json`: one object `{ "items": [...] }`.
 */
import { Client } from '@prefer/sdk';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import type { Output } from '../output.ts';
import { runRemote, urlOption, withRemoteErrors } from '../remote.ts';

type Row = Record<string, string | number | boolean | null>;
type Lister = (client: Client, opts: Record<string, string | undefined>) => AsyncIterable<Row>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Runs `list` on the SDK client of the mode the command line chose. */
async function runList(cmd: Command, list: Lister, columns: readonly string[]): Promise<void> {
  const opts = cmd.opts<Record<string, string | undefined>>();
  const print = async (client: Client, out: Output) => {
    const items: Row[] = [];
    for await (const row of list(client, opts)) items.push(row);
    const text = items.map((r) => columns.map((c) => String(r[c] ?? '')).join('\t')).join('\n');
    if (!out.jsonMode && items.length === 0) out.error('nothing to list');
    else out.result(text, { items });
  };
  if (await runRemote(cmd, print)) return;
  await withLocalStore(cmd, async ({ store, actor, out, server }) => {
    const client = new Client({
      endpoint: 'http://prefer.local',
      apiKey: 'local',
      fetch: server.localFetch(store, actor),
    });
    await withRemoteErrors(() => print(client, out));
  });
}

function addList(group: Command, what: string, columns: readonly string[], list: Lister): Command {
  return group
    .command('list')
    .description(`list ${what} (text: ${columns.join(', ')}, tab-separated; --json: { items })`)
    .addOption(urlOption())
    .action((_opts: unknown, cmd: Command) => runList(cmd, list, columns));
}

const projectOption = () =>
  new Option('--project <id>', 'project id').env('PREFER_PROJECT').makeOptionMandatory();

/** The existing command group `name` (adding the plural alias), or a new one. */
function group(program: Command, name: string, plural: string, description: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (!found) return program.command(plural).description(description);
  if (plural !== name && !found.aliases().includes(plural)) found.alias(plural);
  return found;
}

export function registerListCommands(program: Command): void {
  addList(
    group(program, 'project', 'projects', 'projects'),
    'the projects you hold a role in',
    ['id', 'name', 'role', 'data_row_count'],
    async function* (client) {
      for await (const p of client.getProjects()) {
        yield {
          id: p.id,
          name: p.name,
          role: p.role,
          ontology_id: p.ontologyId,
          data_row_count: p.dataRowCount,
          consensus_expected_label_count: p.consensusExpectedLabelCount,
          created_at: iso(p.createdAt),
          last_activity_at: iso(p.lastActivityAt),
        };
      }
    },
  );
  addList(
    group(program, 'dataset', 'datasets', 'datasets'),
    'datasets',
    ['id', 'name', 'row_count'],
    async function* (client) {
      for await (const d of client.getDatasets()) {
        yield {
          id: d.id,
          name: d.name,
          description: d.description,
          row_count: d.rowCount,
          created_at: iso(d.createdAt),
        };
      }
    },
  );
  addList(
    group(program, 'batch', 'batches', 'batches'),
    "a project's batches",
    ['id', 'name', 'priority', 'data_row_count'],
    async function* (client, opts) {
      const project = await client.getProject(opts.project!);
      for await (const b of project.batches()) {
        yield {
          id: b.id,
          name: b.name,
          priority: b.priority,
          consensus_expected_label_count: b.consensusExpectedLabelCount,
          data_row_count: b.dataRowCount,
          created_at: iso(b.createdAt),
        };
      }
    },
  ).addOption(projectOption());
  addList(
    group(program, 'tasks', 'tasks', 'export tasks'),
    "a project's export tasks, newest first",
    ['id', 'status', 'type', 'name'],
    async function* (client, opts) {
      const project = await client.getProject(opts.project!);
      for await (const t of project.exportTasks()) {
        yield {
          id: t.id,
          name: t.name,
          type: t.type ?? null,
          status: t.status,
          completion_percentage: t.completionPercentage,
          created_at: iso(t.createdAt),
        };
      }
    },
  ).addOption(projectOption());
  addList(
    group(program, 'users', 'users', 'users'),
    "the organization's users",
    ['id', 'email', 'role', 'disabled'],
    async function* (client) {
      for await (const u of client.getUsers()) {
        yield {
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          disabled: u.disabled,
          has_password: u.hasPassword,
          created_at: iso(u.createdAt),
        };
      }
    },
  );
  const audit = addList(
    group(program, 'audit', 'audit', 'the audit log (admins)'),
    'audit log entries, newest first',
    ['at', 'actor_email', 'action', 'target_type', 'target_id', 'status'],
    async function* (client, opts) {
      const filters = {
        ...(opts.actor === undefined ? {} : { actor: opts.actor }),
        ...(opts.action === undefined ? {} : { action: opts.action }),
        ...(opts.from === undefined ? {} : { from: opts.from }),
        ...(opts.to === undefined ? {} : { to: opts.to }),
      };
      for await (const e of client.getAuditLog(filters)) {
        yield {
          id: e.id,
          at: e.at.toISOString(),
          actor_id: e.actor.id,
          actor_email: e.actor.email,
          via: e.actor.via,
          action: e.action,
          method: e.method,
          path: e.path,
          target_type: e.target.type,
          target_id: e.target.id,
          summary: e.summary,
          status: e.status,
          address: e.address,
        };
      }
    },
  );
  audit
    .option('--actor <who>', 'a user id or email')
    .option('--action <name>', 'an action (operationId), e.g. post_users')
    .option('--from <date>', 'YYYY-MM-DD (UTC) or ISO 8601 with offset, inclusive')
    .option('--to <date>', 'YYYY-MM-DD (the whole day) or ISO 8601 with offset, inclusive');
}
