/**
 * `prefer admin create --email E`: the first (or another) organization admin, in local mode on
 * `--db`. prefer has no default account: the password is typed at a prompt without echo, or taken
 * from PREFER_ADMIN_PASSWORD, and stored only as a scrypt hash.
 */
import { type Command, Option } from 'commander';
import { withLocalStore } from '../context.ts';
import { newPassword } from './secret-input.ts';

export const ADMIN_PASSWORD_ENV = 'PREFER_ADMIN_PASSWORD';

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('organization admins (local mode)');
  admin
    .command('create')
    .description(`create an admin who can log in (password from a prompt or ${ADMIN_PASSWORD_ENV})`)
    .addOption(new Option('--email <email>', 'the admin’s email (their login)').makeOptionMandatory())
    .option('--name <name>', 'display name')
    .action((opts: { email: string; name?: string }, cmd: Command) =>
      withLocalStore(cmd, async ({ store, out, server, audited }) => {
        const password = await newPassword(ADMIN_PASSWORD_ENV, out.io);
        const created = await audited({ route: 'POST /users', status: 201, created: (r) => r.userId }, () =>
          server.createAdmin(store, { email: opts.email, name: opts.name, password }),
        );
        out.error(`${created.email} is an organization admin; log in at POST /api/v1/auth/login`);
        out.result(created.userId, { id: created.userId, email: created.email, role: 'admin' });
      }),
    );
}
