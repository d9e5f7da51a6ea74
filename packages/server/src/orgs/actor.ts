/**
 * Who is acting. Every service takes an Actor and scopes every query to `actor.orgId`; an id from
 * another organization is answered exactly like a missing one.
 */
import type { OrgRole } from '../store/schema.ts';

export interface Actor {
  orgId: string;
  userId: string;
  email: string;
  /** The organization role; project roles are looked up per request (auth/permissions.ts). */
  role: OrgRole;
}
