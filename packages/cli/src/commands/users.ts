/**
 * `prefer users add`: a user of the organization, optionally with a project role; `prefer users
 * invite`: a user without a password and the one-time link that sets it. Locally on `--db`, or on
 * a server with `--url` and an admin's PREFER_API_KEY.
 */
import type { ProjectRole } from '@prefer/sdk';
import type { CreateUserInput } from '@prefer/server';
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { UsageError } from '../failure.ts';
import { runOf } from '../io.ts';
import type { Output } from '../output.ts';
import { runRemote, urlOption } from '../remote.ts';
import { readStdinLine } from './secret-input.ts';

interface AddOptions {
  email: string;
  name?: string;
  role: 'admin' | 'member';
  project?: string;
  projectRole?: ProjectRole;
  passwordStdin?: boolean;
  url?: string;
}

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description("the organization's users");
  users
    .command('add')
    .description('add a user (and a project role) and print their id')
    .addOption(new Option('--email <email>', 'their email (their login)').makeOptionMandatory())
    .option('--name <name>', 'display name')
    .addOption(
      new Option('--role <role>', 'organization role').choices(['admin', 'member']).default('member'),
    )
    .option('--project <id>', 'a project to give them a role in')
    .addOption(
      new Option('--project-role <role>', 'their role in --project').choices([
        'manager',
        'reviewer',
        'labeler',
      ]),
    )
    .option(
      '--password-stdin',
      'read their password (12 to 1,024 characters) from stdin; without it they cannot log in',
    )
    .addOption(urlOption())
    .action((opts: AddOptions, cmd: Command) => addUser(opts, cmd));
  users
    .command('invite')
    .description('invite a user: create them without a password and print a one-time link to set it')
    .argument('<email>', 'their email (their login)')
    .option('--name <name>', 'display name')
    .addOption(
      new Option('--role <role>', 'organization role').choices(['admin', 'member']).default('member'),
    )
    .addOption(
      new Option(
        '--public-url <url>',
        'the address people open prefer at, for the link (local mode; a server uses its own)',
      ).env('PREFER_PUBLIC_URL'),
    )
    .addOption(urlOption())
    .action((email: string, opts: InviteOptions, cmd: Command) => inviteUser(email, opts, cmd));
}

interface InviteOptions {
  name?: string;
  role: 'admin' | 'member';
  publicUrl?: string;
  url?: string;
}

async function inviteUser(email: string, opts: InviteOptions, cmd: Command): Promise<void> {
  const input = { email, role: opts.role, ...(opts.name === undefined ? {} : { name: opts.name }) };
  const remote = await runRemote(cmd, async (client, out) => {
    const made = await client.inviteUser(input);
    reportInvite(out, made.user, made.inviteUrl, made.inviteExpiresAt.toISOString());
  });
  if (remote) return;
  if (!opts.publicUrl) {
    throw new UsageError(
      'locally, the link needs the address people open prefer at: --public-url or PREFER_PUBLIC_URL (e.g. https://prefer.example.com)',
    );
  }
  await withLocalStore(cmd, async ({ store, actor, out, server }) => {
    const base = server.parsePublicUrl(opts.publicUrl);
    const made = await server.inviteUser(store, actor, input);
    reportInvite(out, made.user, `${base}/invite/${made.token}`, new Date(made.expiresAt).toISOString());
  });
}

/** The link on stdout (it is the result); what it is, on stderr. */
function reportInvite(
  out: Output,
  user: { id: string; email: string; role: string },
  link: string,
  expiresAt: string,
): void {
  out.error(`${user.email}: send them this link privately; it works once, until ${expiresAt}`);
  out.result(link, {
    id: user.id,
    email: user.email,
    role: user.role,
    invite_url: link,
    invite_expires_at: expiresAt,
  });
}

async function addUser(opts: AddOptions, cmd: Command): Promise<void> {
  if ((opts.project === undefined) !== (opts.projectRole === undefined)) {
    throw new UsageError('--project and --project-role go together');
  }
  const input: CreateUserInput = { email: opts.email, name: opts.name, role: opts.role };
  if (opts.passwordStdin) input.password = await readStdinLine(runOf(cmd).io);
  const remote = await runRemote(cmd, async (client, out) => {
    const user = await client.createUser({
      email: input.email,
      role: opts.role,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.password === undefined ? {} : { password: input.password }),
    });
    if (opts.project && opts.projectRole) {
      const project = await client.getProject(opts.project);
      await project.addMember({ userId: user.id, role: opts.projectRole });
    }
    report(out, { id: user.id, email: user.email, role: user.role }, opts);
  });
  if (remote) return;
  await withLocalStore(cmd, async ({ store, actor, out, server, audited }) => {
    // The password is an input of the call, never of the entry (option names only).
    const user = await audited({ route: 'POST /users', status: 201, created: (r) => r.id }, () =>
      server.createUser(store, actor, input),
    );
    const { project, projectRole } = opts;
    if (project && projectRole) {
      const write = {
        route: 'POST /projects/:projectId/members',
        params: { projectId: project },
        status: 201,
      };
      await audited(write, () =>
        server.addMember(store, actor, project, { userId: user.id, role: projectRole }),
      );
    }
    report(out, { id: user.id, email: user.email, role: user.role }, opts);
  });
}

function report(out: Output, user: { id: string; email: string; role: string }, opts: AddOptions): void {
  const project = opts.project ? { project_id: opts.project, project_role: opts.projectRole } : {};
  if (!opts.passwordStdin)
    out.error(`${user.email} has no password yet: they can use API keys but cannot log in`);
  out.result(user.id, { ...user, ...project });
}
