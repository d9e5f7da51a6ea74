/**
 * The first admin. prefer ships no account and no password: an admin comes from
 * `prefer admin create` (a password typed at a prompt or from PREFER_ADMIN_PASSWORD), or, on a
 * database where nobody can log in yet, `prefer serve --demo` makes the local owner an admin with
 * a random password and prints it once.
 */
import type { Actor } from '../orgs/actor.ts';
import { defaultOrganization, ensureUser, LOCAL_USER_EMAIL } from '../orgs/org.service.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { checkPasswordPolicy, hashPassword, randomPassword } from './password.ts';

/**
 * Makes `email` an admin of the install's organization with this password. An existing user
 * without a password (a label author, the local owner) becomes that admin; one who already has a
 * password is a CONFLICT (change it through the API instead).
 */
export async function createAdmin(
  store: Store,
  input: { email: string; name?: string | undefined; password: string },
  now = Date.now(),
): Promise<Actor> {
  checkPasswordPolicy(input.password);
  const hash = await hashPassword(input.password);
  const orgId = await defaultOrganization(store);
  return store.write(async (tx) => {
    const user = await ensureUser(tx, orgId, input.email, input.name, now);
    const row = await tx
      .selectFrom('users')
      .where('id', '=', user.id)
      .select('password_hash')
      .executeTakeFirstOrThrow();
    if (row.password_hash !== null) {
      throw new AppError(
        'CONFLICT',
        `${user.email} already has a password; an admin can reset it (PATCH /users/:id)`,
      );
    }
    await tx
      .updateTable('users')
      .set({
        role: 'admin',
        password_hash: hash,
        password_changed_at: now,
        disabled_at: null,
        ...(input.name ? { name: input.name } : {}),
      })
      .where('id', '=', user.id)
      .execute();
    return { orgId, userId: user.id, email: user.email, role: 'admin' };
  });
}

/**
 * On a database where no user has a password, gives the local owner (an admin) a random one and
 * answers it, to be shown once; otherwise answers undefined. Checked and set in one transaction,
 * so two servers starting together cannot both print a password.
 */
export async function ensureFirstAdmin(
  store: Store,
): Promise<{ email: string; password: string } | undefined> {
  const anyone = await store.db
    .selectFrom('users')
    .where('password_hash', 'is not', null)
    .select('id')
    .executeTakeFirst();
  if (anyone) return undefined;
  const password = randomPassword();
  const hash = await hashPassword(password);
  const orgId = await defaultOrganization(store);
  return store.write(async (tx) => {
    const again = await tx
      .selectFrom('users')
      .where('password_hash', 'is not', null)
      .select('id')
      .executeTakeFirst();
    if (again) return undefined;
    const owner = await ensureUser(tx, orgId, LOCAL_USER_EMAIL);
    await tx
      .updateTable('users')
      .set({ role: 'admin', password_hash: hash, password_changed_at: Date.now(), disabled_at: null })
      .where('id', '=', owner.id)
      .execute();
    return { email: owner.email, password };
  });
}
