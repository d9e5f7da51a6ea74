/**
 * The review queue and lease renewal of a project: `Project` exposes them as methods.
 */
import { leaseSchema, reviewRowSchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { withLeaseLost } from './errors.ts';
import {
  type Comment,
  commentOf,
  type Label,
  type LeasedRow,
  labelOf,
  leasedRowOf,
  parse,
} from './workflow.ts';

/** A row in review leased to the caller, with what a decision needs. */
export interface ReviewRow extends LeasedRow {
  /** Every label of the row, oldest first, skips included; each with its `displayedOrder`. */
  labels: Label[];
  /** The row's first 100 comments, oldest first (the rest through `project.comments`). */
  comments: Comment[];
  /** When the row wanted several labels (consensus): how many, and their agreement (0 to 1). */
  consensus: { labelsWanted: number; agreement: number | null } | null;
}

export interface Lease {
  dataRowId: string;
  leaseExpiresAt: Date;
}

export interface LeaseOptions {
  /** Lease length in seconds, 1 to 86,400 (default 1,800). */
  leaseSeconds?: number;
}

const leaseBody = (o: LeaseOptions) =>
  o.leaseSeconds === undefined ? {} : { lease_seconds: o.leaseSeconds };

export async function nextReview(
  client: Client,
  base: string,
  options: LeaseOptions,
): Promise<ReviewRow | null> {
  const res = await client.request('POST', `${base}/review-queue/next`, { body: leaseBody(options) });
  if (res.status === 204) return null;
  const wire = parse(reviewRowSchema, await res.json(), res.status);
  return {
    ...leasedRowOf(wire),
    labels: wire.labels.map(labelOf),
    comments: wire.comments.map(commentOf),
    consensus: wire.consensus && {
      labelsWanted: wire.consensus.labels_wanted,
      agreement: wire.consensus.agreement,
    },
  };
}

export async function renewLease(
  client: Client,
  base: string,
  dataRowId: string,
  options: LeaseOptions,
): Promise<Lease> {
  const path = `${base}/leases/${encodeURIComponent(dataRowId)}/renew`;
  try {
    const wire = await client.requestJson('POST', path, leaseSchema, { body: leaseBody(options) });
    return { dataRowId: wire.data_row_id, leaseExpiresAt: new Date(wire.lease_expires_at) };
  } catch (err) {
    throw withLeaseLost(err);
  }
}
