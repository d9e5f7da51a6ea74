/**
 * Shared by the export task tests and the child process of the kill test: a project to export
 * from, and a stand-in engine whose output is known exactly (multi-byte text included).
 */

import type { ExportRunner, ExportTaskRecord } from '../../src/exports/tasks/export-task.types.ts';
import { lineChunk } from '../../src/exports/v2/line-buffer.ts';
import type { Actor } from '../../src/orgs/actor.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Store } from '../../src/store/store.ts';
import { orgAdmin } from './org-admin.ts';

export async function seedOrg(store: Store, name = 'Acme'): Promise<Actor> {
  return store.write(async (tx) => {
    return orgAdmin(tx, name, `owner-${newId().slice(-12)}@example.com`);
  });
}

export async function seedProject(store: Store, actor: Actor, name = 'Preferences'): Promise<string> {
  const now = Date.now();
  const ontologyId = newId();
  const projectId = newId();
  await store.write(async (tx) => {
    await tx
      .insertInto('ontologies')
      .values({
        id: ontologyId,
        org_id: actor.orgId,
        name: 'o',
        normalized: '{}',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('projects')
      .values({
        id: projectId,
        org_id: actor.orgId,
        name,
        description: null,
        ontology_id: ontologyId,
        media_type: 'CONVERSATIONAL',
        consensus_expected_label_count: 1,
        created_at: now,
        updated_at: now,
        created_by: actor.userId,
      })
      .execute();
  });
  return projectId;
}

/** Row `i` of a task as the stand-in engine writes it: 2-, 3- and 4-byte UTF-8 characters. */
export const standInLine = (taskId: string, i: number) =>
  JSON.stringify({ data_row: { id: `${taskId}-${i}`, row_data: `é€🌍 réponse ${i} ${'x'.repeat(i % 7)}` } });
export const standInErrorLine = (taskId: string, i: number) =>
  JSON.stringify({ data_row_id: `${taskId}-${i}`, message: 'row could not be exported', code: 'ROW_FAILED' });

/** Every 10th row goes to the errors stream. */
export function expectedStreams(taskId: string, rows: number): { result: string; errors: string } {
  let result = '';
  let errors = '';
  for (let i = 0; i < rows; i++) {
    if (i % 10 === 9) errors += `${standInErrorLine(taskId, i)}\n`;
    else result += `${standInLine(taskId, i)}\n`;
  }
  return { result, errors };
}

export interface StandInOptions {
  rows: number;
  /** Pause after every `delayEvery` rows (default every row): the kill test needs a slow export. */
  delayMs?: number;
  delayEvery?: number;
  /** Called after each row, awaited: tests hold the engine here. */
  afterRow?: (i: number, task: ExportTaskRecord) => void | Promise<void>;
  /** Throws this after `failAfter` rows. */
  failAfter?: number;
  failWith?: unknown;
}

export function standInRunner(options: StandInOptions): ExportRunner {
  return async (_store, _actor, task, sink) => {
    let errors = 0;
    for (let i = 0; i < options.rows; i++) {
      if (options.failAfter === i) throw options.failWith ?? new Error('stand-in failure');
      if (i % 10 === 9) {
        await sink.errors(...lineChunk(standInErrorLine(task.id, i)));
        errors++;
      } else await sink.result(...lineChunk(standInLine(task.id, i)));
      sink.progress?.(i + 1, options.rows);
      await options.afterRow?.(i, task);
      if (options.delayMs && (i + 1) % (options.delayEvery ?? 1) === 0) {
        await new Promise((r) => setTimeout(r, options.delayMs));
      }
    }
    return { rows: options.rows - errors, errors };
  };
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
