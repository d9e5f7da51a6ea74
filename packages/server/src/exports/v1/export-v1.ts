/**
 * The legacy V1 export (`export_labels`, docs/labelbox-compat.md §5): one object per LABEL, the download a JSON
 * array. Same snapshot and paging rules as v2: one read snapshot, keyset pages over
 * `labels_author` (project_id, data_row_id, created_by), bulk reads per page.
 */
import type { Actor } from '../../orgs/actor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { formatV1 } from '../../shared/time.ts';
import type { Store } from '../../store/store.ts';
import { toRange } from '../request/export.request.ts';
import { checkTimezone } from '../request/export-dates.ts';
import { toV1Label } from './v1-label.ts';
import { indexOntology } from './v1-ontology.ts';
import { loadV1Page, type V1Cache } from './v1-page.ts';

export interface ExportV1Input {
  /** Label creation bounds, dates as in export v2 filters. */
  start?: string | null;
  end?: string | null;
  /** Data row activity bounds. */
  lastActivityStart?: string | null;
  lastActivityEnd?: string | null;
  timezone?: string;
}

export interface ExportV1Options {
  /** Base URL of prefer's web app, for `View Label`. */
  baseUrl: string;
  pageSize?: number;
}

export async function runExportV1(
  store: Store,
  actor: Actor,
  projectId: string,
  input: ExportV1Input,
  sink: (jsonText: string) => void | Promise<void>,
  options: ExportV1Options,
): Promise<{ labels: number }> {
  const created = range(input.start, input.end, input.timezone);
  const activity = range(input.lastActivityStart, input.lastActivityEnd, input.timezone);
  const pageSize = options.pageSize ?? 500;
  const base = options.baseUrl.replace(/\/+$/, '');
  return store.snapshot(async (db) => {
    const project = await db
      .selectFrom('projects as p')
      .innerJoin('ontologies as o', 'o.id', 'p.ontology_id')
      .where('p.id', '=', projectId)
      .where('p.org_id', '=', actor.orgId)
      .where('p.deleted_at', 'is', null)
      .select(['p.id', 'p.name', 'o.normalized'])
      .executeTakeFirst();
    if (!project) throw notFound('project', projectId);
    const ontology = indexOntology(project.normalized);
    const cache: V1Cache = { users: new Map(), datasets: new Map(), schemas: new Map() };
    const email = (id: string) => {
      const e = cache.users.get(id);
      if (e === undefined) throw new AppError('INTERNAL', `user ${id} named by created_by was not found`);
      return e;
    };
    const viewLabel = `${base}/projects/${encodeURIComponent(projectId)}/labels/`;
    let labels = 0;
    let after: [string, string] | null = null;
    for (;;) {
      let q = db
        .selectFrom('labels as l')
        .innerJoin('data_rows as dr', 'dr.id', 'l.data_row_id')
        .where('l.project_id', '=', projectId)
        .where('l.org_id', '=', actor.orgId)
        .where('dr.org_id', '=', actor.orgId);
      if (created?.[0] != null) q = q.where('l.created_at', '>=', created[0]);
      if (created?.[1] != null) q = q.where('l.created_at', '<=', created[1]);
      if (activity?.[0] != null) q = q.where('dr.last_activity_at', '>=', activity[0]);
      if (activity?.[1] != null) q = q.where('dr.last_activity_at', '<=', activity[1]);
      if (after) {
        const [rowId, labelId] = after;
        q = q
          .where('l.data_row_id', '>=', rowId)
          .where((eb) => eb.or([eb('l.data_row_id', '>', rowId), eb('l.id', '>', labelId)]));
      }
      const page = await q
        .select([
          'l.id',
          'l.data_row_id',
          'l.created_by',
          'l.created_at',
          'l.updated_at',
          'l.annotations',
          'l.seconds_to_create',
          'l.seconds_to_review',
          'l.skipped',
          'l.consensus_score',
          'dr.row_data',
          'dr.external_id',
          'dr.global_key',
          'dr.dataset_id',
          'dr.mime_type',
          'dr.labelable_ids',
          'dr.message_count',
        ])
        .orderBy('l.data_row_id')
        .orderBy('l.id')
        .limit(pageSize)
        .execute();
      if (page.length === 0) break;
      const data = await loadV1Page(db, actor.orgId, projectId, page, cache);
      for (const l of page) {
        const object = {
          ID: l.id,
          'DataRow ID': l.data_row_id,
          'Labeled Data': l.row_data,
          Label: toV1Label(l.annotations, ontology),
          'Created By': email(l.created_by),
          'Project Name': project.name,
          'Created At': formatV1(l.created_at),
          'Updated At': formatV1(l.updated_at),
          'Seconds to Label': (l.seconds_to_create ?? 0) + (l.seconds_to_review ?? 0),
          'External ID': l.external_id,
          'Global Key': l.global_key,
          Agreement: l.consensus_score ?? -1,
          'Benchmark Agreement': -1,
          'Benchmark ID': null,
          'Dataset Name': cache.datasets.get(l.dataset_id) ?? null,
          Reviews: (data.reviews.get(l.id) ?? []).map((r) => ({
            score: r.score,
            id: r.id,
            createdAt: formatV1(r.created_at),
            createdBy: email(r.created_by),
          })),
          'View Label': `${viewLabel}${encodeURIComponent(l.id)}`,
          // prefer has no issue tracker yet: no label has open issues.
          'Has Open Issues': 0,
          Skipped: l.skipped === 1,
          'DataRow Metadata': data.metadata.get(l.data_row_id) ?? [],
          'Media Attributes': {
            mimeType: l.mime_type,
            labelableIds: JSON.parse(l.labelable_ids) as unknown,
            messageCount: l.message_count,
          },
        };
        const pending = sink(JSON.stringify(object));
        if (pending) await pending;
        labels++;
      }
      if (page.length < pageSize) break;
      const last = page[page.length - 1]!;
      after = [last.data_row_id, last.id];
    }
    return { labels };
  });
}

/** The V1 download: a JSON array of the label objects, written in pieces. */
export async function writeExportV1Array(
  store: Store,
  actor: Actor,
  projectId: string,
  input: ExportV1Input,
  write: (chunk: string) => void | Promise<void>,
  options: ExportV1Options,
): Promise<{ labels: number }> {
  let first = true;
  await write('[');
  const result = await runExportV1(
    store,
    actor,
    projectId,
    input,
    (text) => {
      const chunk = first ? text : `,${text}`;
      first = false;
      return write(chunk);
    },
    options,
  );
  await write(']');
  return result;
}

function range(start: string | null | undefined, end: string | null | undefined, timezone?: string) {
  if (timezone !== undefined) checkTimezone(timezone);
  for (const v of [start, end]) {
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new AppError(
        'BAD_REQUEST',
        `dates must be strings such as "2024-01-31", not ${JSON.stringify(v)}`,
      );
    }
  }
  return toRange([start ?? null, end ?? null], timezone);
}
