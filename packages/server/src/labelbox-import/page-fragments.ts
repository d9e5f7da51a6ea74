/**
 * The export fragments (exports/v2/fragments.ts) of a page's project rows, rendered from the rows
 * the page inserts, before the project rows go in: each is written once, with its text. Reading
 * the page back and updating every project row cost PostgreSQL a second version of each row
 * (and its TOASTed text) and most of the import's time.
 * Every project row of a page is new (an existing one is a conflict), and so are its labels,
 * reviews, history, attachments and metadata, all of them in this page: nothing else to read.
 */
import { type FragmentSource, renderNewRows } from '../exports/v2/fragments.ts';
import type { Tx } from '../store/store.ts';
import type { PageRows, Rows } from './page-rows.ts';

export async function renderProjectRows(tx: Tx, orgId: string, out: PageRows): Promise<void> {
  const dataRows = new Map(out.dataRows.map((d) => [d.id, d]));
  const byProject = new Map<string, Rows<'project_data_rows'>>();
  for (const m of out.members) {
    const members = byProject.get(m.project_id);
    if (members) members.push(m);
    else byProject.set(m.project_id, [m]);
  }
  // Data row records belong to every project holding the row.
  const attachments = out.attachments.map((a) => ({
    id: a.id,
    data_row_id: a.data_row_id,
    type: a.type,
    value: a.value,
    name: a.name ?? null,
    position: a.position,
  }));
  const metadata = out.values.map((v) => ({
    data_row_id: v.data_row_id,
    schema_id: v.schema_id,
    value: v.value,
    position: v.position,
  }));
  for (const [projectId, members] of byProject) {
    const sources: FragmentSource[] = members.map((m) => {
      const d = dataRows.get(m.data_row_id)!;
      return {
        data_row_id: m.data_row_id,
        batch_id: m.batch_id,
        global_key: d.global_key ?? null,
        external_id: d.external_id ?? null,
        row_data: d.row_data,
        mime_type: d.mime_type,
        labelable_ids: d.labelable_ids,
        message_count: d.message_count,
      };
    });
    const ofProject = <T extends { project_id: string }>(rows: T[]) =>
      byProject.size === 1 ? rows : rows.filter((r) => r.project_id === projectId);
    const rendered = await renderNewRows(tx, { orgId, projectId }, sources, {
      labels: ofProject(out.labels).map((l) => ({
        id: l.id,
        data_row_id: l.data_row_id,
        created_by: l.created_by,
        created_at: l.created_at,
        updated_at: l.updated_at,
        content_last_updated_at: l.content_last_updated_at,
        label_kind: l.label_kind,
        version: l.version,
        annotations: l.annotations,
        seconds_to_create: l.seconds_to_create ?? null,
        seconds_to_review: l.seconds_to_review ?? null,
        skipped: l.skipped,
        consensus_score: l.consensus_score ?? null,
      })),
      reviews: ofProject(out.reviews).map((v) => ({
        id: v.id,
        label_id: v.label_id,
        score: v.score,
        created_at: v.created_at,
        created_by: v.created_by,
      })),
      history: ofProject(out.history).map((h) => ({
        id: h.id,
        data_row_id: h.data_row_id,
        action: h.action,
        created_at: h.created_at,
        created_by: h.created_by,
        previous_task_id: h.previous_task_id ?? null,
        previous_task_name: h.previous_task_name ?? null,
        next_task_id: h.next_task_id ?? null,
        next_task_name: h.next_task_name ?? null,
      })),
      attachments,
      metadata,
    });
    for (const [i, [, fragments]] of rendered.entries()) Object.assign(members[i]!, fragments);
  }
}
