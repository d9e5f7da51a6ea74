import type { MigrationState } from './import-state.ts';

/** What the page builders need from the writer: ids, users and which shared objects are written. */
export interface PageContext {
  readonly org: string;
  readonly actorUserId: string;
  readonly state: MigrationState;
  /** The import's start, for times a row does not state. */
  readonly now: number;
  /** The user id of an email resolved earlier for this page; the actor when the export named nobody. */
  user(email: string | undefined): string;
  /** True once per new shared object (dataset, project, batch, ...): the first page needing it inserts it. */
  fresh<T extends { id: string; isNew?: boolean }>(kind: string, entry: T | undefined): entry is T;
  historyId(): string;
}
