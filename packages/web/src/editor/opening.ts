/**
 * The app opened on a queue's address (`/projects/:id/label`): the editor's requests start
 * before any screen renders, side by side with the session check and the editor's code, rather
 * than one after the other as each screen mounts: the project (then its ontology) at once, the
 * first row as soon as the session (its CSRF token) and the project are known.
 */
import type { LeasedRow } from '@prefer/sdk';
import type { QueryClient } from '@tanstack/react-query';
import { client } from '../api/client.ts';
import { projectContextQuery } from '../api/project.ts';
import type { Me } from '../api/session.tsx';

/** undefined: not leased here (signed out), so the screen asks the queue itself. */
type FirstRow = Promise<LeasedRow | null | undefined>;

let first: { projectId: string; row: FirstRow } | undefined;

export function openQueue(qc: QueryClient, projectId: string, session: Promise<Me | null>): void {
  const project = client.getProject(projectId);
  const context = projectContextQuery(projectId, project);
  void qc.prefetchQuery(context);
  const row: FirstRow = Promise.all([session, project]).then(([me, p]) => (me ? p.nextRow() : undefined));
  // Failures are the screen's to show, when it takes these answers.
  row.catch(() => {});
  // Signed out: the sign-in screen comes first, and the project is asked again after it.
  void session.then(
    (me) => me ?? qc.removeQueries({ queryKey: context.queryKey }),
    () => qc.removeQueries({ queryKey: context.queryKey }),
  );
  first = { projectId, row };
}

/** The first row leased as the app opened on this project's queue; only the first caller gets it. */
export function takeFirstRow(projectId: string): FirstRow | undefined {
  const taken = first?.projectId === projectId ? first.row : undefined;
  first = undefined;
  return taken;
}
