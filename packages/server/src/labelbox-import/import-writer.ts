/**
 * Writes pages of checked rows inside the import's transaction, keeping every id of the file.
 * Inserts are batched per table and page (no query per row). Shared objects are inserted the
 * first time a page needs them; workflow tasks and ontology contents once at the end.
 */
import type { Actor } from '../orgs/actor.ts';
import { ensureUser } from '../orgs/org.service.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Store, Tx } from '../store/store.ts';
import type { ParsedRow } from './export-row.types.ts';
import type { MigrationState } from './import-state.ts';
import type { PageContext } from './page-context.ts';
import { addDataRow } from './page-data-row.ts';
import { renderProjectRows } from './page-fragments.ts';
import { addProjectRows } from './page-project.ts';
import { type MigrationCounts, PageRows, zeroCounts } from './page-rows.ts';

export class MigrationWriter implements PageContext {
  readonly counts: MigrationCounts = zeroCounts();
  readonly org: string;
  readonly actorUserId: string;
  private readonly users = new Map<string, string>();
  private readonly written = new Set<string>();
  private lastHistoryId = '';

  constructor(
    private readonly store: Store,
    private readonly tx: Tx,
    actor: Actor,
    readonly state: MigrationState,
    readonly now: number,
  ) {
    this.org = actor.orgId;
    this.actorUserId = actor.userId;
  }

  /** Resolves every email of the page to a user of the organization (creating them), listing bad ones. */
  async resolveUsers(rows: readonly ParsedRow[]): Promise<void> {
    for (const row of rows) {
      for (const [email, path] of emailsOf(row)) {
        const key = email.trim().toLowerCase();
        if (this.users.has(key)) continue;
        try {
          this.users.set(key, (await ensureUser(this.tx, this.org, email, undefined, this.now)).id);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          this.state.fault(row.line, path, err.message);
        }
      }
    }
  }

  async writePage(rows: readonly ParsedRow[]): Promise<void> {
    const out = new PageRows();
    for (const row of rows) {
      addDataRow(this, row, out);
      addProjectRows(this, row, out);
    }
    await out.write(this.store, this.tx, this.counts, () => renderProjectRows(this.tx, this.org, out));
  }

  user(email: string | undefined): string {
    return email === undefined ? this.actorUserId : this.users.get(email.trim().toLowerCase())!;
  }

  fresh<T extends { id: string; isNew?: boolean }>(kind: string, entry: T | undefined): entry is T {
    if (entry?.isNew !== true || this.written.has(`${kind}:${entry.id}`)) return false;
    this.written.add(`${kind}:${entry.id}`);
    return true;
  }

  /**
   * History is ordered by `(created_at, id)`: ids must grow in file order (oldest entry first) so
   * entries of the same millisecond keep their order. `newId` can wrap within one millisecond.
   */
  historyId(): string {
    let id = newId();
    while (id <= this.lastHistoryId) id = newId();
    this.lastHistoryId = id;
    return id;
  }
}

/** Every `created_by` of a row with its path. */
function emailsOf(row: ParsedRow): [string, string][] {
  const emails: [string, string][] = [];
  if (row.details) emails.push([row.details.createdBy, '$.data_row.details.created_by']);
  for (const p of row.projects) {
    for (const [i, h] of (p.details?.history ?? []).entries()) {
      // Stored oldest first; the file lists history newest first.
      const at = p.details!.history.length - 1 - i;
      emails.push([h.createdBy, `${p.path}.project_details.workflow_history[${at}].created_by`]);
    }
    for (const l of p.labels) {
      if (l.details) emails.push([l.details.createdBy, `${l.path}.label_details.created_by`]);
      for (const [i, v] of (l.details?.reviews ?? []).entries()) {
        emails.push([v.createdBy, `${l.path}.label_details.reviews[${i}].created_by`]);
      }
    }
  }
  return emails;
}
