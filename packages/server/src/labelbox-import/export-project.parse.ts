/** Reads the `projects` object of an export v2 line: project details, history, labels, reviews. */
import type { WorkflowStatus } from '../store/schema.ts';
import type {
  ParsedHistoryEntry,
  ParsedLabel,
  ParsedLabelDetails,
  ParsedPerformance,
  ParsedProject,
  ParsedProjectDetails,
  ParsedReview,
} from './export-row.types.ts';
import type { FieldReader, Json } from './field-reader.ts';

const STATUSES: readonly WorkflowStatus[] = ['TO_LABEL', 'IN_REVIEW', 'IN_REWORK', 'DONE'];

export function parseProjects(r: FieldReader, top: Json): ParsedProject[] | undefined {
  const projects = top.projects === undefined ? {} : r.object(top.projects, '$.projects');
  if (!projects) return undefined;
  const out: ParsedProject[] = [];
  for (const [id, value] of Object.entries(projects)) {
    const path = `$.projects[${JSON.stringify(id)}]`;
    const p = r.object(value, path);
    if (!p) continue;
    if (!r.id({ id }, 'id', path)) continue;
    const name = r.string(p, 'name', path);
    const labels = (r.array(p, 'labels', path) ?? []).map((l, i) => readLabel(r, l, `${path}.labels[${i}]`));
    const details = p.project_details === undefined ? null : readProjectDetails(r, p.project_details, path);
    if (name === undefined || details === undefined) continue;
    out.push({ id, path, name, labels: labels.filter((l) => l !== undefined), details });
  }
  return out;
}

function readProjectDetails(
  r: FieldReader,
  value: unknown,
  parent: string,
): ParsedProjectDetails | undefined {
  const p = `${parent}.project_details`;
  const d = r.object(value, p);
  if (!d) return undefined;
  const ontologyId = r.id(d, 'ontology_id', p);
  const taskId = r.string(d, 'task_id', p);
  const taskName = r.string(d, 'task_name', p);
  const batchId = r.string(d, 'batch_id', p);
  const batchName = r.string(d, 'batch_name', p);
  const status = d.workflow_status;
  const workflowStatus = STATUSES.includes(status as WorkflowStatus)
    ? (status as WorkflowStatus)
    : r.fault(`${p}.workflow_status`, `expected one of ${STATUSES.join(', ')}`);
  const priority = r.integer(d, 'priority', p, 1, 5);
  const consensus = r.integer(d, 'consensus_expected_label_count', p, 1, 1000);
  const history = (r.array(d, 'workflow_history', p) ?? []).map((h, i) =>
    readHistory(r, h, `${p}.workflow_history[${i}]`),
  );
  if (
    ontologyId === undefined ||
    taskId === undefined ||
    taskName === undefined ||
    batchId === undefined ||
    batchName === undefined ||
    workflowStatus === undefined ||
    priority === undefined ||
    consensus === undefined
  )
    return undefined;
  return {
    ontologyId,
    taskId,
    taskName,
    batchId,
    batchName,
    workflowStatus,
    priority,
    consensusExpectedLabelCount: consensus,
    history: history.filter((h) => h !== undefined).reverse(),
  };
}

function readHistory(r: FieldReader, value: unknown, p: string): ParsedHistoryEntry | undefined {
  const h = r.object(value, p);
  if (!h) return undefined;
  const action = r.string(h, 'action', p);
  const createdAt = r.time(h, 'created_at', p);
  const createdBy = r.string(h, 'created_by', p);
  const hasPrevious = h.previous_task_id !== undefined || h.previous_task_name !== undefined;
  const previousTaskName = hasPrevious ? r.string(h, 'previous_task_name', p) : null;
  const previousTaskId = hasPrevious ? r.string(h, 'previous_task_id', p) : null;
  const nextTaskName = r.string(h, 'next_task_name', p);
  const nextTaskId = r.string(h, 'next_task_id', p);
  if (
    action === undefined ||
    createdAt === undefined ||
    createdBy === undefined ||
    previousTaskName === undefined ||
    previousTaskId === undefined ||
    nextTaskName === undefined ||
    nextTaskId === undefined
  )
    return undefined;
  return { action, createdAt, createdBy, previousTaskName, previousTaskId, nextTaskName, nextTaskId };
}

function readLabel(r: FieldReader, value: unknown, p: string): ParsedLabel | undefined {
  const l = r.object(value, p);
  if (!l) return undefined;
  const id = r.id(l, 'id', p);
  const labelKind = r.string(l, 'label_kind', p);
  const version = r.string(l, 'version', p);
  const details =
    l.label_details === undefined ? null : readLabelDetails(r, l.label_details, `${p}.label_details`);
  const performance =
    l.performance_details === undefined
      ? null
      : readPerformance(r, l.performance_details, `${p}.performance_details`);
  const annotations = r.object(l.annotations, `${p}.annotations`);
  const classifications = annotations
    ? r.array(annotations, 'classifications', `${p}.annotations`)
    : undefined;
  if (annotations) {
    r.array(annotations, 'objects', `${p}.annotations`);
    r.array(annotations, 'relationships', `${p}.annotations`);
  }
  if (
    id === undefined ||
    labelKind === undefined ||
    version === undefined ||
    details === undefined ||
    performance === undefined ||
    !annotations ||
    !classifications
  )
    return undefined;
  // JSON.parse keeps key order, so this is the label's annotations text as the file had it.
  return {
    id,
    path: p,
    labelKind,
    version,
    details,
    performance,
    annotations: JSON.stringify(annotations),
    classifications,
  };
}

function readLabelDetails(r: FieldReader, value: unknown, p: string): ParsedLabelDetails | undefined {
  const d = r.object(value, p);
  if (!d) return undefined;
  const createdAt = r.time(d, 'created_at', p);
  const updatedAt = r.time(d, 'updated_at', p);
  const createdBy = r.string(d, 'created_by', p);
  const contentLastUpdatedAt = r.time(d, 'content_last_updated_at', p);
  const reviews = (r.optArray(d, 'reviews', p) ?? []).map((v, i) => readReview(r, v, `${p}.reviews[${i}]`));
  if (
    createdAt === undefined ||
    updatedAt === undefined ||
    createdBy === undefined ||
    contentLastUpdatedAt === undefined ||
    reviews.some((x) => x === undefined)
  )
    return undefined;
  return { createdAt, updatedAt, createdBy, contentLastUpdatedAt, reviews: reviews as ParsedReview[] };
}

function readReview(r: FieldReader, value: unknown, p: string): ParsedReview | undefined {
  const v = r.object(value, p);
  if (!v) return undefined;
  const id = r.string(v, 'id', p);
  const score =
    v.score === 1 || v.score === -1 ? v.score : r.fault(`${p}.score`, 'expected 1 (approve) or -1 (reject)');
  const createdAt = r.time(v, 'created_at', p);
  const createdBy = r.string(v, 'created_by', p);
  if (id === undefined || score === undefined || createdAt === undefined || createdBy === undefined)
    return undefined;
  return { id, score, createdAt, createdBy };
}

function readPerformance(r: FieldReader, value: unknown, p: string): ParsedPerformance | undefined {
  const d = r.object(value, p);
  if (!d) return undefined;
  const secondsToCreate = r.optNumber(d, 'seconds_to_create', p);
  const secondsToReview = r.optNumber(d, 'seconds_to_review', p);
  const skipped = d.skipped === undefined ? false : r.boolean(d, 'skipped', p);
  const consensusScore = r.optNumber(d, 'consensus_score', p);
  if (
    secondsToCreate === undefined ||
    secondsToReview === undefined ||
    skipped === undefined ||
    consensusScore === undefined
  )
    return undefined;
  return { secondsToCreate, secondsToReview, skipped, consensusScore };
}
