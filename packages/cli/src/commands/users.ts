/**
 * `prefer users add`: a user of the organization, optionally with a project role; locally on
 * `--db`, or on a server with `--url` and an admin's PREFER_API_KEY.
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
