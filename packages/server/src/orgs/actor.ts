/**
 * Who is acting. Every service takes an Actor and scopes every query to `actor.orgId`; an id from
 * another organization is answered exactly like a missing one.
 */
export interface Actor {
  orgId: string;
  userId: string;
  email: string;
}
