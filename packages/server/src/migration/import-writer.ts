/**
 * Writes pages of checked rows inside the import's transaction, keeping every id of the file.
 * Inserts are batched per table and page (no query per row). Shared objects are inserted the
 * first time a page needs them; workflow tasks and rebuilt ontologies once at the end.
 */
import type { Insertable } from 'kysely';
import type { Actor } from '../orgs/actor.ts';
import { ensureUser } from '../orgs/org.service.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Database } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';
import type { ParsedRow } from './export-row.types.ts';
import type { MigrationState } from './import-state.ts';
import { rowAddedAt, rowCreatedAt, rowLastActivityAt } from './row-times.ts';

export interface MigrationCounts {
  dataRows: number;
  datasets: number;
  projects: number;
  batches: number;
  labels: number;
  reviews: number;
  historyEntries: number;
  attachments: number;
  metadata: number;
}

type Rows<T extends keyof Database> = Insertable<Database[T]>[];

export class MigrationWriter {
  readonly counts: MigrationCounts = {
    dataRows: 0,
    datasets: 0,
    projects: 0,
    batches: 0,
    labels: 0,
    reviews: 0,
    historyEntries: 0,
    attachments: 0,
    metadata: 0,
  };
  private readonly users = new Map<string, string>();
  private readonly written = new Set<string>();
  private lastHistoryId = '';

  constructor(
    private readonly tx: Tx,
    private readonly actor: Actor,
    private readonly state: MigrationState,
    private readonly now: number,
  ) {}

  /** Resolves every email of the page to a user of the organization (creating them), listing bad ones. */
  async resolveUsers(rows: readonly ParsedRow[]): Promise<void> {
    for (const row of rows) {
      const emails: [string, string][] = [];
      if (row.details) emails.push([row.details.createdBy, '$.data_row.details.created_by']);
      for (const p of row.projects) {
        for (const h of p.details?.history ?? [])
          emails.push([h.createdBy, `${p.path}.project_details.workflow_history`]);
        for (const l of p.labels) {
          if (l.details) emails.push([l.details.createdBy, `${l.path}.label_details.created_by`]);
          for (const [i, v] of (l.details?.reviews ?? []).entries()) {
            emails.push([v.createdBy, `${l.path}.label_details.reviews[${i}].created_by`]);
          }
        }
      }
      for (const [email, path] of emails) {
        const key = email.trim().toLowerCase();
        if (this.users.has(key)) continue;
        try {
          this.users.set(key, (await ensureUser(this.tx, this.actor.orgId, email, undefined, this.now)).id);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          this.state.fault(row.line, path, err.message);
        }
      }
    }
  }

  private user(email: string | undefined): string {
    return email === undefined ? this.actor.userId : this.users.get(email.trim().toLowerCase())!;
  }

  async writePage(rows: readonly ParsedRow[]): Promise<void> {
    const org = this.actor.orgId;
    const s = this.state;
    const fresh = <T extends { id: string; isNew?: boolean }>(key: string, e: T | undefined): e is T =>
      e !== undefined &&
      e.isNew === true &&
      !this.written.has(`${key}:${e.id}`) &&
      !!this.written.add(`${key}:${e.id}`);

    const datasets: Rows<'datasets'> = [];
    const dataRows: Rows<'data_rows'> = [];
    const attachments: Rows<'attachments'> = [];
    const schemas: Rows<'metadata_schemas'> = [];
    const values: Rows<'metadata_values'> = [];
    const embeddings: Rows<'embeddings'> = [];
    const vectors: Rows<'embedding_vectors'> = [];
    const ontologies: Rows<'ontologies'> = [];
    const projects: Rows<'projects'> = [];
    const batches: Rows<'batches'> = [];
    const members: Rows<'project_data_rows'> = [];
    const history: Rows<'workflow_history'> = [];
    const labels: Rows<'labels'> = [];
    const reviews: Rows<'reviews'> = [];

    for (const row of rows) {
      const createdAt = rowCreatedAt(row, this.now);
      const createdBy = this.user(row.details?.createdBy);
      const ds = s.datasets.get(s.datasetOf(row));
      if (fresh('dataset', ds)) {
        datasets.push({
          id: ds.id,
          org_id: org,
          name: ds.name,
          description: null,
          created_at: ds.createdAt,
          updated_at: ds.createdAt,
          created_by: createdBy,
        });
      }
      dataRows.push({
        id: row.id,
        org_id: org,
        dataset_id: s.datasetOf(row),
        global_key: row.globalKey,
        global_key_lower: row.globalKey?.toLowerCase() ?? null,
        external_id: row.externalId,
        row_data: row.rowData,
        media_type: 'CONVERSATIONAL',
        mime_type: row.mimeType,
        labelable_ids: row.labelableIds,
        message_count: row.messageCount,
        created_at: createdAt,
        updated_at: row.details?.updatedAt ?? createdAt,
        last_activity_at: rowLastActivityAt(row, this.now),
        created_by: createdBy,
      });
      row.attachments.forEach((a, i) => {
        attachments.push({
          id: a.id,
          data_row_id: row.id,
          type: a.type,
          value: a.value,
          name: a.name,
          position: i,
        });
      });
      for (const [i, m] of row.metadata.entries()) {
        const e = s.metadata.get(m.schemaId)!;
        if (fresh('metadata', e)) {
          // Enum options are written by `finish`, once every line has named its options.
          schemas.push({ id: e.id, org_id: org, name: e.name, kind: e.kind as 'string', options: null });
        }
        const value = e.enumByName && m.kind === 'string' ? e.enumByName.get(m.value) : m.value;
        if (value === undefined) {
          s.fault(
            row.line,
            `$.metadata_fields[${i}].value`,
            `${JSON.stringify(m.value)} is not an option of ${e.name}`,
          );
          continue;
        }
        values.push({ data_row_id: row.id, schema_id: m.schemaId, value, position: i });
      }
      for (const v of row.embeddings) {
        const e = s.embeddings.get(v.id);
        if (fresh('embedding', e)) {
          embeddings.push({
            id: e.id,
            org_id: org,
            name: e.name,
            dimensions: e.dimensions,
            is_custom: e.isCustom ? 1 : 0,
          });
        }
        vectors.push({ data_row_id: row.id, embedding_id: v.id, vector: v.vector });
      }
      for (const p of row.projects) {
        const project = s.projects.get(p.id)!;
        const ontology = s.ontologies.get(project.ontologyId);
        if (fresh('ontology', ontology)) {
          // Filled in by `finish` once every label has been seen.
          ontologies.push({
            id: ontology.id,
            org_id: org,
            name: ontology.name,
            normalized: '{}',
            created_at: this.now,
            updated_at: this.now,
          });
        }
        if (fresh('project', project)) {
          projects.push({
            id: project.id,
            org_id: org,
            name: project.name,
            description: null,
            ontology_id: project.ontologyId,
            media_type: 'CONVERSATIONAL',
            consensus_expected_label_count: project.consensus,
            created_at: project.createdAt,
            updated_at: project.createdAt,
            created_by: this.actor.userId,
          });
        }
        const d = p.details;
        const fb = project.fallback;
        const batch = s.batches.get(d?.batchId ?? '');
        if (fresh('batch', batch)) {
          batches.push({
            id: batch.id,
            org_id: org,
            project_id: p.id,
            name: batch.name,
            priority: batch.priority,
            consensus_label_count: null,
            created_at: batch.createdAt,
            created_by: this.actor.userId,
          });
        }
        if (fb && !this.written.has(`batch:${fb.batchId}`)) {
          this.written.add(`batch:${fb.batchId}`);
          batches.push({
            id: fb.batchId,
            org_id: org,
            project_id: p.id,
            name: 'Imported from Labelbox',
            priority: 5,
            consensus_label_count: null,
            created_at: project.createdAt,
            created_by: this.actor.userId,
          });
        }
        const addedAt = rowAddedAt(row, p, this.now);
        const done = p.labels.length > 0;
        members.push({
          project_id: p.id,
          data_row_id: row.id,
          org_id: org,
          batch_id: d?.batchId ?? fb!.batchId,
          task_id: d?.taskId ?? (done ? fb!.doneTaskId : fb!.labelTaskId),
          workflow_status: d?.workflowStatus ?? (done ? 'DONE' : 'TO_LABEL'),
          priority: d?.priority ?? 5,
          added_at: addedAt,
          updated_at: d?.history.at(-1)?.createdAt ?? addedAt,
          lease_user_id: null,
          lease_expires_at: null,
        });
        for (const h of d?.history ?? []) {
          history.push({
            id: this.historyId(),
            project_id: p.id,
            data_row_id: row.id,
            action: h.action,
            created_at: h.createdAt,
            created_by: this.user(h.createdBy),
            previous_task_id: h.previousTaskId,
            previous_task_name: h.previousTaskName,
            next_task_id: h.nextTaskId,
            next_task_name: h.nextTaskName,
          });
        }
        for (const l of p.labels) {
          const at = l.details?.createdAt ?? createdAt;
          labels.push({
            id: l.id,
            org_id: org,
            project_id: p.id,
            data_row_id: row.id,
            created_by: this.user(l.details?.createdBy),
            created_at: at,
            updated_at: l.details?.updatedAt ?? at,
            content_last_updated_at: l.details?.contentLastUpdatedAt ?? at,
            label_kind: l.labelKind,
            version: l.version,
            annotations: l.annotations,
            seconds_to_create: l.performance?.secondsToCreate ?? null,
            seconds_to_review: l.performance?.secondsToReview ?? null,
            skipped: l.performance?.skipped ? 1 : 0,
            consensus_score: l.performance?.consensusScore ?? null,
          });
          for (const v of l.details?.reviews ?? []) {
            reviews.push({
              id: v.id,
              org_id: org,
              project_id: p.id,
              label_id: l.id,
              data_row_id: row.id,
              score: v.score,
              reason: null,
              created_at: v.createdAt,
              created_by: this.user(v.createdBy),
            });
          }
        }
      }
    }

    await this.insert('datasets', datasets);
    await this.insert('data_rows', dataRows);
    await this.insert('attachments', attachments);
    await this.insert('metadata_schemas', schemas);
    await this.insert('metadata_values', values);
    await this.insert('embeddings', embeddings);
    await this.insert('embedding_vectors', vectors);
    await this.insert('ontologies', ontologies);
    await this.insert('projects', projects);
    await this.insert('batches', batches);
    await this.insert('project_data_rows', members);
    await this.insert('workflow_history', history);
    await this.insert('labels', labels);
    await this.insert('reviews', reviews);
    const c = this.counts;
    c.datasets += datasets.length;
    c.dataRows += dataRows.length;
    c.attachments += attachments.length;
    c.metadata += values.length;
    c.projects += projects.length;
    c.batches += batches.length;
    c.historyEntries += history.length;
    c.labels += labels.length;
    c.reviews += reviews.length;
  }

  /**
   * History is ordered by `(created_at, id)`: ids must grow in file order (oldest entry first) so
   * entries of the same millisecond keep their order. `newId` can wrap within one millisecond.
   */
  private historyId(): string {
    let id = newId();
    while (id <= this.lastHistoryId) id = newId();
    this.lastHistoryId = id;
    return id;
  }

  async insert<T extends keyof Database>(table: T, rows: Rows<T>): Promise<void> {
    if (rows.length === 0) return;
    const per = Math.max(1, Math.floor(20_000 / Object.keys(rows[0]!).length));
    for (let i = 0; i < rows.length; i += per) {
      // Kysely cannot type an insert into a table chosen at run time; the rows are typed by Rows<T>.
      const values = rows.slice(i, i + per) as Rows<'labels'>;
      await this.tx
        .insertInto(table as 'labels')
        .values(values)
        .execute();
    }
  }
}
