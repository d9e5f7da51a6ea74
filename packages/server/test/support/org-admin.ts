/** A fresh organization and its admin: the actor most tests act as. */
import type { Actor } from '../../src/orgs/actor.ts';
import { createOrganization, ensureUser } from '../../src/orgs/org.service.ts';
import type { Db, Tx } from '../../src/store/store.ts';

export async function orgAdmin(db: Db | Tx, orgName: string, email: string): Promise<Actor> {
  const orgId = await createOrganization(db, orgName);
  const user = await ensureUser(db, orgId, email);
  await db.updateTable('users').set({ role: 'admin' }).where('id', '=', user.id).execute();
  return { orgId, userId: user.id, email: user.email, role: 'admin' };
}
