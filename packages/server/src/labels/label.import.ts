/**
 * Label import (Labelbox annotation-import NDJSON, one annotation per line). All the lines of one
 * data row become ONE label of the user `asEmail`. All-or-nothing: the whole file is read and
 * every fault listed; any fault rolls the transaction back.
 *
 * Grouping: lines may name rows in any order, so valid lines are staged, rendered, in a
 * temporary table and read back sorted by data row (see label.stage.ts); memory stays bounded
 * by a page whatever the file size.
 */

import type { Readable } from 'node:stream';
import { type DataRowRef, isMessageTaskLine } from '@prefer/schemas';
import { suspendStaleTriggers } from '../exports/v2/fragments.ts';
import { type JsonRecord, readJsonRecords } from '../ingest/json-records.ts';
import type { OntologyIndex } from '../ontologies/ontology.index.ts';
import { loadOntologyIndex } from '../ontologies/ontology.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { ensureUser } from '../orgs/org.service.ts';
import { analyzeStaleTables, vacuumAfterBulkWrite } from '../projects/planner-stats.ts';
import { refuseArchived } from '../projects/project.edit.ts';
import { requireProject } from '../projects/project.service.ts';
import { AppError, type Fault } from '../shared/errors.ts';
import { FaultList, type ImportResult, MAX_LISTED_FAULTS } from '../shared/result.ts';
import type { Store, Tx } from '../store/store.ts';
import { contentOf } from './label.identity.ts';
import { RowResolver } from './label.rows.ts';
import { Stage, type StagedLine } from './label.stage.ts';
import { validateLine } from './label.validate.ts';
import type { LabelCounts } from './label.write.ts';
import { writeLabels } from './label.write.ts';
import { checkTaskOnGraph, renderMessageTask, type ValidatedTaskLine, validateTaskLine } from './mmc-task.ts';
import { renderClassification } from './render-annotations.ts';

/** The input names as the REST API spells them (`?as_email=`), for fault paths. */
export const LABEL_IMPORT_WIRE_NAMES = { asEmail: 'as_email' };

export interface ImportLabelsInput {
  projectId: string;
  /** The labeler the labels are created by; a user without a password is made if needed. */
  asEmail: string;
  /** A file path or a stream of NDJSON (or a JSON array). */
  input: string | Readable;
  /**
   * Only credit a user who already exists in the organization (the HTTP API: a caller must not
   * create users through an import, nor learn of emails elsewhere). Default: create if needed.
   */
  existingUserOnly?: boolean;
  /**
   * Model-assisted pre-labels: a starting point shown to the row's labelers in the editor, kept
   * apart from labels (never exported, counted, in consensus or in progress).
   */
  preLabels?: boolean;
}

export type { LabelCounts } from './label.write.ts';

/** Lines validated and staged together: one data row lookup per page. */
const PAGE_LINES = 500;

/** Thrown inside the transaction to roll it back when faults were found. */
class Rejected extends Error {}

export async function importLabels(
  store: Store,
  actor: Actor,
  input: ImportLabelsInput,
): Promise<ImportResult<LabelCounts>> {
  const faults = new FaultList();
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  await refuseArchived(store, project.id);
  const ontology = await loadOntologyIndex(store.db, actor.orgId, project.ontology_id);
  await analyzeStaleTables(store);
  try {
    const result = await store.write(async (tx) => {
      // Every project row it writes is rendered before the commit: no per-row trigger work.
      await suspendStaleTriggers(tx);
      const labeler = input.existingUserOnly
        ? await requireUser(tx, actor.orgId, input.asEmail)
        : await ensureUser(tx, actor.orgId, input.asEmail);
      const stage = await Stage.create(store, tx);
      const rows = new RowResolver(tx, actor.orgId, project.id);
      let page: JsonRecord[] = [];
      for await (const record of readJsonRecords(input.input)) {
        page.push(record);
        if (page.length >= PAGE_LINES) {
          await stagePage(page, ontology, rows, stage, faults);
          page = [];
        }
      }
      await stagePage(page, ontology, rows, stage, faults);
      await stage.index();
      await reportRepeats(stage, faults);
      await reportExternalIds(stage, project.id, input.preLabels === true, faults);
      if (!faults.empty) throw new Rejected();
      const counts = await writeLabels(store, tx, stage, {
        orgId: actor.orgId,
        projectId: project.id,
        userId: labeler.id,
        preLabels: input.preLabels === true,
      });
      await stage.drop();
      return { ok: true as const, counts };
    });
    // Each labeled project row was updated (fragments rendered): one dead tuple each.
    await vacuumAfterBulkWrite(store, ['project_data_rows', 'labels', 'data_rows']);
    return result;
  } catch (err) {
    if (err instanceof Rejected) return faults.result();
    throw err;
  }
}

async function requireUser(tx: Tx, orgId: string, email: string): Promise<{ id: string }> {
  const user = await tx
    .selectFrom('users')
    .where('org_id', '=', orgId)
    .where('email_lower', '=', email.trim().toLowerCase())
    .select('id')
    .executeTakeFirst();
  if (!user) {
    throw new AppError(
      'VALIDATION_FAILED',
      `no user with the email ${JSON.stringify(email)} in the organization: add the user first`,
      [{ path: '$.asEmail', message: 'must be the email of a user of the organization' }],
    );
  }
  return user;
}

async function stagePage(
  records: JsonRecord[],
  ontology: OntologyIndex,
  rows: RowResolver,
  stage: Stage,
  faults: FaultList,
): Promise<void> {
  const valid = [];
  const tasks: (ValidatedTaskLine & { line: number })[] = [];
  // Faults of the page are listed in line order, row checks included.
  const found: Fault[] = [];
  for (const record of records) {
    if (record.fault) {
      found.push(record.fault);
      continue;
    }
    if (isMessageTaskLine(record.value)) {
      const result = validateTaskLine(record.value, record.line, ontology.tools, true);
      if (result.ok) tasks.push({ line: record.line, ...result.line });
      else found.push(...result.faults);
      continue;
    }
    const result = validateLine(record.value, record.line, ontology.classifications);
    if (result.ok) valid.push({ line: record.line, ...result.line });
    else found.push(...result.faults);
  }
  await rows.load([...valid.map((v) => v.dataRow), ...tasks.map((t) => t.dataRow)]);
  const staged: StagedLine[] = [];
  const rowOf = (line: number, ref: DataRowRef) => {
    const row = rows.get(ref);
    if (!row) {
      found.push({
        line,
        path: ref.id !== undefined ? '$.dataRow.id' : '$.dataRow.globalKey',
        message: `unknown data row ${describeRef(ref)}`,
      });
    } else if (!row.inProject) {
      found.push({
        line,
        path: '$.dataRow',
        message: `data row ${row.id} is not in the project (add it with a batch first)`,
      });
    } else return row;
    return undefined;
  };
  for (const v of valid) {
    const row = rowOf(v.line, v.dataRow);
    if (!row) continue;
    if (v.messageId !== undefined && !row.labelable.has(v.messageId)) {
      found.push({
        line: v.line,
        path: '$.messageId',
        message: `message ${JSON.stringify(v.messageId)} of data row ${row.id} is not labelable (labelable: ${[...row.labelable].map((m) => JSON.stringify(m)).join(', ') || 'none'})`,
      });
    } else {
      const body = renderClassification(v.value);
      staged.push({
        data_row_id: row.id,
        line: v.line,
        question: JSON.stringify([v.value.featureSchemaId, v.messageId ?? null]),
        uuid: v.uuid ?? null,
        body,
        content: contentOf(body),
        external_id: v.labelExternalId ?? null,
        object: 0,
      });
    }
  }
  for (const t of tasks) {
    const row = rowOf(t.line, t.dataRow);
    if (!row) continue;
    const graphFaults = checkTaskOnGraph(t.value, row.graph, t.line);
    if (graphFaults.length > 0) {
      found.push(...graphFaults);
      continue;
    }
    staged.push({
      data_row_id: row.id,
      line: t.line,
      // A tool answers each prompt once per label.
      question: JSON.stringify([t.value.featureSchemaId, t.value.parentMessageId]),
      uuid: t.uuid ?? null,
      body: renderMessageTask(t.value),
      object: 1,
      content: contentOf(renderMessageTask(t.value)),
      external_id: t.labelExternalId ?? null,
    });
  }
  for (const f of found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))) faults.add(f);
  // Staged even after a fault, so repeated answers later in the file are still reported.
  await stage.insert(staged);
}

const describeRef = (ref: DataRowRef) =>
  ref.id !== undefined ? `id ${JSON.stringify(ref.id)}` : `with global key ${JSON.stringify(ref.globalKey)}`;

/** One label answers a question (per message) once; a feature id names one answer. */
async function reportRepeats(stage: Stage, faults: FaultList): Promise<void> {
  for (const r of await stage.repeatedQuestions(MAX_LISTED_FAULTS)) {
    const [, messageId] = JSON.parse(r.question) as [string, string | null];
    const times = Number(r.n);
    faults.add({
      line: Number(r.last),
      path: '$.name',
      message: `data row ${r.data_row_id} gets ${times} answers to this question${messageId === null ? '' : ` on message ${JSON.stringify(messageId)}`} (first at line ${r.first}); one label answers it once`,
    });
  }
  for (const r of await stage.repeatedUuids(MAX_LISTED_FAULTS)) {
    faults.add({
      line: Number(r.last),
      path: '$.uuid',
      message: `uuid ${r.uuid} is also used at line ${r.first}`,
    });
  }
}

/** A label external id names one label of one data row: in the file and in the project. */
async function reportExternalIds(stage: Stage, projectId: string, preLabels: boolean, faults: FaultList) {
  for (const r of await stage.mixedExternalIds(MAX_LISTED_FAULTS)) {
    faults.add({
      line: Number(r.last),
      path: '$.labelExternalId',
      message: `the lines of data row ${r.data_row_id} (from line ${r.first}) must all give the same labelExternalId, or none`,
    });
  }
  for (const r of await stage.sharedExternalIds(MAX_LISTED_FAULTS)) {
    faults.add({
      line: Number(r.last),
      path: '$.labelExternalId',
      message: `labelExternalId ${JSON.stringify(r.external_id)} is also given to another data row at line ${r.first}; it names one label`,
    });
  }
  const table = preLabels ? 'pre_labels' : 'labels';
  for (const r of await stage.externalIdsElsewhere(table, projectId, MAX_LISTED_FAULTS)) {
    faults.add({
      line: Number(r.first),
      path: '$.labelExternalId',
      message: `labelExternalId ${JSON.stringify(r.external_id)} already names a ${preLabels ? 'pre-label' : 'label'} of data row ${r.held_row} in the project`,
    });
  }
}
