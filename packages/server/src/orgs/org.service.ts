import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import type { Actor } from './actor.ts';
import { LOCAL_USER_EMAIL } from './local-user.ts';

export { LOCAL_USER_EMAIL };

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function createOrganization(db: Db | Tx, name: string, now = Date.now()): Promise<string> {
  const id = newId(now);
  await db.insertInto('organizations').values({ id, name, created_at: now }).execute();
  return id;
}

/**
 * Finds a user of the organization by email (case-insensitively) or creates one without a
 * password: label imports and Labelbox migrations name people who may never log in.
 */
export async function ensureUser(
  db: Db | Tx,
  orgId: string,
  email: string,
  name?: string,
  now = Date.now(),
): Promise<{ id: string; email: string }> {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed))
    throw new AppError('VALIDATION_FAILED', `not an email address: ${JSON.stringify(email)}`);
  const lower = trimmed.toLowerCase();
  const existing = await db
    .selectFrom('users')
    .where('email_lower', '=', lower)
    .select(['id', 'email', 'org_id'])
    .executeTakeFirst();
  if (existing) {
    // Emails are global identities: say that this one cannot be used, never who holds it.
    if (existing.org_id !== orgId) throw new AppError('CONFLICT', `the email ${trimmed} cannot be used`);
    return { id: existing.id, email: existing.email };
  }
  const id = newId(now);
  await db
    .insertInto('users')
    .values({
      id,
      org_id: orgId,
      email: trimmed,
      email_lower: lower,
      name: name ?? trimmed.split('@')[0]!,
      created_at: now,
    })
    .execute();
  return { id, email: trimmed };
}

/** The organization of a single-tenant install: the oldest one, created on first use. */
export async function defaultOrganization(store: Store): Promise<string> {
  const first = await store.db
    .selectFrom('organizations')
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (first) return first.id;
  return store.write(async (tx) => {
    const again = await tx.selectFrom('organizations').select('id').orderBy('created_at').executeTakeFirst();
    return again?.id ?? createOrganization(tx, 'Default organization');
  });
}

/**
 * The actor of local mode (the CLI on a database file or URL): someone with the machine's
 * database in hand can already do anything, so local commands act as an organization admin. Only
 * the default owner's stored role becomes `admin`; a `PREFER_USER` keeps the role stored for it,
 * so a key created for it locally is no more powerful than that user.
 */
export async function localActor(
  store: Store,
  email = process.env.PREFER_USER ?? LOCAL_USER_EMAIL,
): Promise<Actor> {
  const orgId = await defaultOrganization(store);
  const user = await store.write(async (tx) => {
    const found = await ensureUser(tx, orgId, email);
    if (email === LOCAL_USER_EMAIL) {
      await tx.updateTable('users').set({ role: 'admin' }).where('id', '=', found.id).execute();
    }
    return found;
  });
  return { orgId, userId: user.id, email: user.email, role: 'admin' };
}
