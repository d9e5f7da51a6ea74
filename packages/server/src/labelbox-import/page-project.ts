/**
 * The project side of a page: for each project of a row, the ontology, project and batch when
 * new, the row's place in the workflow, its history, labels and reviews.
 */
import type { ParsedRow } from './export-row.types.ts';
import { FALLBACK_NAME } from './import-entries.ts';
import type { PageContext } from './page-context.ts';
import type { PageRows } from './page-rows.ts';
import { rowAddedAt, rowCreatedAt } from './row-times.ts';

export function addProjectRows(w: PageContext, row: ParsedRow, out: PageRows): void {
  const s = w.state;
  const org = w.org;
  const createdAt = rowCreatedAt(row, w.now);
  for (const p of row.projects) {
    const project = s.projects.get(p.id)!;
    const ontology = s.ontologies.get(project.ontologyId);
    if (w.fresh('ontology', ontology)) {
      // Filled in by `finish` once every label has been seen.
      out.ontologies.push({
        id: ontology.id,
        org_id: org,
        name: ontology.name,
        normalized: '{}',
        created_at: w.now,
        updated_at: w.now,
      });
    }
    if (w.fresh('project', project)) {
      out.projects.push({
        id: project.id,
        org_id: org,
        name: project.name,
        description: null,
        ontology_id: project.ontologyId,
        media_type: 'CONVERSATIONAL',
        consensus_expected_label_count: project.consensus,
        created_at: project.createdAt,
        updated_at: project.createdAt,
        created_by: w.actorUserId,
      });
    }
    const d = p.details;
    const fb = project.fallback;
    const batch = s.batches.get(d?.batchId ?? '');
    if (w.fresh('batch', batch)) {
      out.batches.push({
        id: batch.id,
        org_id: org,
        project_id: p.id,
        name: batch.name,
        priority: batch.priority,
        // Only a batch that differs from its project carries its own count.
        consensus_label_count: batch.consensus === project.consensus ? null : batch.consensus,
        created_at: batch.createdAt,
        created_by: w.actorUserId,
      });
    }
    if (fb && w.fresh('fallback-batch', { id: fb.batchId, isNew: true })) {
      out.batches.push({
        id: fb.batchId,
        org_id: org,
        project_id: p.id,
        name: FALLBACK_NAME,
        priority: 5,
        consensus_label_count: null,
        created_at: project.createdAt,
        created_by: w.actorUserId,
      });
    }
    const addedAt = rowAddedAt(row, p, w.now);
    const done = p.labels.length > 0;
    out.members.push({
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
      out.history.push({
        id: w.historyId(),
        project_id: p.id,
        data_row_id: row.id,
        action: h.action,
        created_at: h.createdAt,
        created_by: w.user(h.createdBy),
        previous_task_id: h.previousTaskId,
        previous_task_name: h.previousTaskName,
        next_task_id: h.nextTaskId,
        next_task_name: h.nextTaskName,
      });
    }
    for (const l of p.labels) {
      const at = l.details?.createdAt ?? createdAt;
      out.labels.push({
        id: l.id,
        org_id: org,
        project_id: p.id,
        data_row_id: row.id,
        created_by: w.user(l.details?.createdBy),
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
        out.reviews.push({
          id: v.id,
          org_id: org,
          project_id: p.id,
          label_id: l.id,
          data_row_id: row.id,
          score: v.score,
          reason: null,
          created_at: v.createdAt,
          created_by: w.user(v.createdBy),
        });
      }
    }
  }
}
