/**
 * Submitting a label (or a skip) for a leased row, and resubmitting one sent back to rework.
 * Every submission carries an idempotency key: a retry with the same payload answers the first
 * response and writes nothing; the same key with another payload is a CONFLICT.
 */
import { MMC_MIME_TYPE } from '@prefer/schemas';
import type { ProjectRef } from '../auth/permissions.ts';
import { touchActivity } from '../data-rows/activity.ts';
import { refreshLater } from '../exports/v2/fragment-refresh.ts';
import type { ClassificationValue } from '../labels/annotation.types.ts';
import {
  annotationsWithObjects,
  graphOfRowData,
  type MessageTaskValue,
  renderMessageTask,
} from '../labels/mmc-task.ts';
import { renderAnnotations, renderClassification } from '../labels/render-annotations.ts';
import type { OntologyIndex } from '../ontologies/ontology.index.ts';
import { loadOntologyIndex } from '../ontologies/ontology.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { knownProject } from '../projects/project.service.ts';
import { AppError, type Fault, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isPostgres, prepared } from '../store/prepared.ts';
import type { WorkflowStatus } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import { type WriteHook, writeWith } from '../store/write-hook.ts';
import { labelsWanted, labelsWantedAndGiven, scoreConsensus } from './consensus.rows.ts';
import { checkDisplayedOrder } from './displayed-order.ts';
import { checkClassifications, checkKey, checkSeconds, invalid, payloadHash } from './submit.input.ts';
import { checkToolAnswers } from './submit.tools.ts';
import {
  moveRowToKind,
  PROJECT_ROW_COLUMNS,
  type ProjectRow,
  type ProjectTasks,
  tasksColumn,
  tasksOfColumn,
} from './workflow.rows.ts';

export interface SkipRowInput {
  projectId: string;
  /** The request's audit hook: its entry commits with this write (store/write-hook.ts). */
  auditHook?: WriteHook | undefined;
  /** The project as the request's authorization read it (skips reading it again). */
  project?: ProjectRef | undefined;

  dataRowId: string;
  idempotencyKey: string;
  secondsToCreate: number;
}

export interface SubmitLabelInput extends SkipRowInput {
  /** Annotation-import lines without `dataRow`: `{ name | schemaId, answer | answers, messageId? }`. */
  classifications: unknown[];
  /** The row's model output titles in the order the labeler saw them, left to right. */
  displayedOrder?: string[] | undefined;
  /**
   * Message tool answers of a multimodal chat (v2) row: import lines without `dataRow`,
   * `{ name | schemaId, messageEvaluationTask: { format, data } }` (workflow/submit.tools.ts).
   */
  annotations?: unknown[] | undefined;
}

export interface SubmitResult {
  labelId: string;
  dataRowId: string;
  /** The row's status after the submission: TO_LABEL while consensus wants more labels. */
  workflowStatus: WorkflowStatus;
}

/** `now`: the time the label is stamped with (tests pass a later one instead of sleeping). */
export function submitLabel(
  store: Store,
  actor: Actor,
  input: SubmitLabelInput,
  now = Date.now(),
): Promise<SubmitResult> {
  return submit(
    store,
    actor,
    input,
    input.classifications,
    false,
    now,
    input.displayedOrder,
    input.annotations,
  );
}

/** Records a skipped label (no answers); it counts as this labeler's label of the row. */
export function skipRow(
  store: Store,
  actor: Actor,
  input: SkipRowInput,
  now = Date.now(),
): Promise<SubmitResult> {
  return submit(store, actor, input, [], true, now);
}

async function submit(
  store: Store,
  actor: Actor,
  input: SkipRowInput,
  classifications: unknown,
  skipped: boolean,
  now: number,
  displayedOrder?: unknown,
  annotations?: unknown,
): Promise<SubmitResult> {
  const faults: Fault[] = [];
  if (typeof input.dataRowId !== 'string' || input.dataRowId === '') {
    faults.push({ path: '$.dataRowId', message: 'must be a data row id' });
  }
  checkKey(input.idempotencyKey, faults);
  checkSeconds(input.secondsToCreate, '$.secondsToCreate', faults);
  if (faults.length > 0) throw invalid(faults);
  const project = await knownProject(store.db, actor.orgId, input.projectId, input.project);
  // A skip answers nothing: it has no answers to check against the ontology.
  const ontology = skipped ? null : await loadOntologyIndex(store.db, actor.orgId, project.ontology_id);
  const hash = payloadHash({
    dataRowId: input.dataRowId,
    classifications,
    secondsToCreate: input.secondsToCreate,
    skipped,
    displayedOrder,
    annotations,
  });
  const result = await writeWith(store, input.auditHook, async (tx) => {
    // The row lock comes first: a retry racing its original waits for it, then finds its key.
    // The same statement brings the project's tasks and what the answers are checked against.
    const withRowData = ontology ? rowDataWanted(ontology, displayedOrder, annotations) : false;
    const locked = await (withRowData ? lockToSubmitWithRowData : lockToSubmit).first(tx, {
      orgId: actor.orgId,
      projectId: project.id,
      dataRowId: input.dataRowId,
      userId: actor.userId,
    });
    if (!locked) throw notFound('data row', input.dataRowId);
    const { tasks, labelable_ids, mime_type, has_ahead, ...row } = locked;
    const rowData = (locked as { row_data?: string }).row_data ?? '';
    const prior = await priorSubmission.first(tx, {
      projectId: project.id,
      userId: actor.userId,
      key: input.idempotencyKey,
    });
    if (prior) {
      if (prior.payload_sha256 === hash) return JSON.parse(prior.response) as SubmitResult;
      throw new AppError('CONFLICT', 'this idempotency key was already used with a different submission', [
        { path: '$.idempotencyKey', message: 'already used with a different payload' },
      ]);
    }
    // A skip answers nothing, so required questions do not apply to it.
    const checked = ontology
      ? checkAnswers(
          { id: row.data_row_id, labelableIds: labelable_ids, mimeType: mime_type, rowData },
          classifications,
          displayedOrder,
          annotations,
          ontology,
          faults,
        )
      : { values: [], objects: [], displayedOrder: null };
    if (faults.length > 0) throw invalid(faults);
    const ctx: Ctx = {
      tx,
      actor,
      projectId: project.id,
      row,
      tasks: tasksOfColumn(project.id, tasks),
      hasAhead: Boolean(has_ahead),
      now,
      annotations:
        checked.objects.length === 0
          ? renderAnnotations(checked.values)
          : annotationsWithObjects(
              checked.objects.map(renderMessageTask),
              checked.values.map(renderClassification),
            ),
      displayedOrder: checked.displayedOrder,
      seconds: input.secondsToCreate,
      skipped,
    };
    const result = await (row.workflow_status === 'IN_REWORK' && !skipped ? rework(ctx) : label(ctx));
    await submission
      .affected(tx, {
        projectId: project.id,
        userId: actor.userId,
        key: input.idempotencyKey,
        orgId: actor.orgId,
        labelId: result.labelId,
        hash,
        response: JSON.stringify(result),
        now: ctx.now,
      })
      .catch((err: unknown) => {
        // The same key sent at once for two different rows: the rows' locks do not order them.
        if ((err as { code?: unknown }).code === '23505') {
          throw new AppError('CONFLICT', 'this idempotency key is in use by another submission', [
            { path: '$.idempotencyKey', message: 'already used with a different payload' },
          ]);
        }
        throw err;
      });
    return result;
  });
  // The row's export text is rendered in the background (its triggers cleared it meanwhile).
  refreshLater(store, project.id, [result.dataRowId]);
  return result;
}

/** Message tools need the v2 graph; a project with tools checks its required ones on every submit. */
const needsGraph = (ontology: OntologyIndex, annotations: unknown) =>
  annotations !== undefined || ontology.tools.list.some((t) => t.required);

/** The conversation (row_data) is read only when there is something to check against it. */
const rowDataWanted = (ontology: OntologyIndex, displayedOrder: unknown, annotations: unknown) =>
  (displayedOrder !== undefined && displayedOrder !== null) || needsGraph(ontology, annotations);

/**
 * The submission's answers checked against the ontology and the row's labelable messages, and
 * the order it says the model outputs were shown in against the row's outputs.
 */
function checkAnswers(
  dataRow: { id: string; labelableIds: string; mimeType: string; rowData: string },
  classifications: unknown,
  displayedOrder: unknown,
  annotations: unknown,
  ontology: OntologyIndex,
  faults: Fault[],
): { values: ClassificationValue[]; objects: MessageTaskValue[]; displayedOrder: string | null } {
  const labelable = new Set(JSON.parse(dataRow.labelableIds) as string[]);
  const values = checkClassifications(classifications, ontology, dataRow.id, labelable, faults);
  const withGraph = needsGraph(ontology, annotations);
  const graph = withGraph && dataRow.mimeType === MMC_MIME_TYPE ? graphOfRowData(dataRow.rowData) : undefined;
  const objects = withGraph ? checkToolAnswers(annotations ?? [], ontology.tools, graph, faults) : [];
  return { values, objects, displayedOrder: checkDisplayedOrder(displayedOrder, dataRow.rowData, faults) };
}

interface Ctx {
  tx: Tx;
  actor: Actor;
  projectId: string;
  row: ProjectRow;
  tasks: ProjectTasks;
  /** The labeler holds a row ahead in the project (read with the row lock). */
  hasAhead: boolean;
  now: number;
  annotations: string;
  /** JSON text, or null when the client did not say. */
  displayedOrder: string | null;
  seconds: number;
  skipped: boolean;
}

/** A new label on a leased row; the row moves to review once it has its K labels. */
async function label(c: Ctx): Promise<SubmitResult> {
  const { tx, row } = c;
  if (row.workflow_status !== 'TO_LABEL') {
    throw new AppError(
      'CONFLICT',
      `data row ${row.data_row_id} is not waiting for labels (${row.workflow_status})`,
    );
  }
  if (row.lease_user_id !== c.actor.userId || (row.lease_expires_at ?? 0) <= c.now) {
    throw new AppError(
      'LEASE_LOST',
      `you do not hold the lease on data row ${row.data_row_id}; ask for the next row`,
    );
  }
  // The labeler's row ahead (prefetched) is now the row they work on: a plain `next` answers it.
  // (One leased by a racing request of theirs since the lock's read is not promoted here; their
  // next plain `next` takes it as their current row all the same.)
  if (c.hasAhead) await promoteAhead.affected(tx, { projectId: c.projectId, userId: c.actor.userId });
  const labelId = newId(c.now);
  await newLabel.affected(tx, {
    id: labelId,
    orgId: c.actor.orgId,
    projectId: c.projectId,
    dataRowId: row.data_row_id,
    userId: c.actor.userId,
    created: c.now,
    updated: c.now,
    contentUpdated: c.now,
    annotations: c.annotations,
    seconds: c.seconds,
    skipped: c.skipped ? 1 : 0,
    displayedOrder: c.displayedOrder,
  });
  // The queue never hands a row twice to one labeler, so labels here are from different users.
  const { wanted, given } = await labelsWantedAndGiven(tx, c.projectId, row.batch_id, row.data_row_id);
  if (given < wanted) {
    // The row stays in the queue for other labelers. (A move to review clears the lease and
    // moves the activity itself.)
    await releaseLease.affected(tx, { projectId: c.projectId, dataRowId: row.data_row_id });
    await touchActivity(tx, [row.data_row_id], c.now);
    return { labelId, dataRowId: row.data_row_id, workflowStatus: 'TO_LABEL' };
  }
  if (wanted > 1) await scoreConsensus(tx, c.projectId, row.data_row_id);
  await toReview(c);
  return { labelId, dataRowId: row.data_row_id, workflowStatus: 'IN_REVIEW' };
}

/** The labeler's own label of a row in rework, edited in place; the row goes back to review. */
async function rework(c: Ctx): Promise<SubmitResult> {
  const { tx, row } = c;
  const own = await tx
    .selectFrom('labels')
    .where('project_id', '=', c.projectId)
    .where('data_row_id', '=', row.data_row_id)
    .where('created_by', '=', c.actor.userId)
    .select(['id', 'seconds_to_create'])
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (!own) throw new AppError('FORBIDDEN', `only a labeler of data row ${row.data_row_id} can rework it`);
  await tx
    .updateTable('labels')
    .set({
      annotations: c.annotations,
      // The order that goes with these answers (null when the resubmission did not say).
      displayed_order: c.displayedOrder,
      skipped: 0,
      updated_at: c.now,
      content_last_updated_at: c.now,
      seconds_to_create: (own.seconds_to_create ?? 0) + c.seconds,
    })
    .where('id', '=', own.id)
    .execute();
  if ((await labelsWanted(tx, c.projectId, row.batch_id)) > 1) {
    await scoreConsensus(tx, c.projectId, row.data_row_id);
  }
  await toReview(c);
  return { labelId: own.id, dataRowId: row.data_row_id, workflowStatus: 'IN_REVIEW' };
}

async function toReview(c: Ctx): Promise<void> {
  await moveRowToKind(c.tx, c.projectId, c.row, c.tasks, 'REVIEW', {
    action: 'Move',
    userId: c.actor.userId,
    now: c.now,
  });
}

// The statements every submit or skip runs: built and compiled once (store/prepared.ts).

const priorSubmission = prepared((db, p: { projectId: string; userId: string; key: string }) =>
  db
    .selectFrom('label_submissions')
    .where('project_id', '=', p.projectId)
    .where('user_id', '=', p.userId)
    .where('key', '=', p.key)
    .select(['payload_sha256', 'response']),
);

const submission = prepared(
  (
    db,
    p: {
      projectId: string;
      userId: string;
      key: string;
      orgId: string;
      labelId: string;
      hash: string;
      response: string;
      now: number;
    },
  ) =>
    db.insertInto('label_submissions').values({
      project_id: p.projectId,
      user_id: p.userId,
      key: p.key,
      org_id: p.orgId,
      label_id: p.labelId,
      payload_sha256: p.hash,
      response: p.response,
      created_at: p.now,
    }),
);

const lockedRow = (withRowData: boolean) =>
  prepared((db, p: { orgId: string; projectId: string; dataRowId: string; userId: string }) =>
    db
      .selectFrom('project_data_rows as pdr')
      .innerJoin('data_rows as dr', 'dr.id', 'pdr.data_row_id')
      .where('pdr.org_id', '=', p.orgId)
      .where('pdr.project_id', '=', p.projectId)
      .where('pdr.data_row_id', '=', p.dataRowId)
      .select(PROJECT_ROW_COLUMNS)
      .select(tasksColumn(db))
      .select(['dr.labelable_ids', 'dr.mime_type'])
      // Whether the labeler holds a row ahead to promote (most do not: no UPDATE then).
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('project_data_rows as a')
              .whereRef('a.project_id', '=', 'pdr.project_id')
              .where('a.lease_user_id', '=', p.userId)
              .where('a.lease_ahead', '=', 1)
              .where('a.workflow_status', '=', 'TO_LABEL')
              .select('a.data_row_id'),
          )
          .as('has_ahead'),
      )
      .$if(withRowData, (q) => q.select('dr.row_data'))
      .$if(isPostgres(db), (q) => q.forUpdate('pdr')),
  );
const lockToSubmit = lockedRow(false);
const lockToSubmitWithRowData = lockedRow(true);

const promoteAhead = prepared((db, p: { projectId: string; userId: string }) =>
  db
    .updateTable('project_data_rows')
    .set({ lease_ahead: 0 })
    .where('project_id', '=', p.projectId)
    .where('lease_user_id', '=', p.userId)
    .where('lease_ahead', '=', 1)
    .where('workflow_status', '=', 'TO_LABEL'),
);

const newLabel = prepared(
  (
    db,
    p: {
      id: string;
      orgId: string;
      projectId: string;
      dataRowId: string;
      userId: string;
      created: number;
      updated: number;
      contentUpdated: number;
      annotations: string;
      seconds: number;
      skipped: number;
      displayedOrder: string | null;
    },
  ) =>
    db.insertInto('labels').values({
      id: p.id,
      org_id: p.orgId,
      project_id: p.projectId,
      data_row_id: p.dataRowId,
      created_by: p.userId,
      created_at: p.created,
      updated_at: p.updated,
      content_last_updated_at: p.contentUpdated,
      label_kind: 'Default',
      version: '1.0.0',
      annotations: p.annotations,
      seconds_to_create: p.seconds,
      seconds_to_review: null,
      skipped: p.skipped,
      consensus_score: null,
      displayed_order: p.displayedOrder,
    }),
);

const releaseLease = prepared((db, p: { projectId: string; dataRowId: string }) =>
  db
    .updateTable('project_data_rows')
    .set({ lease_user_id: null, lease_expires_at: null, lease_ahead: 0 })
    .where('project_id', '=', p.projectId)
    .where('data_row_id', '=', p.dataRowId),
);
