/** The data row side of a page: the dataset, the row, its attachments, metadata and embeddings. */
import type { ParsedRow } from './export-row.types.ts';
import type { PageContext } from './page-context.ts';
import type { PageRows } from './page-rows.ts';
import { rowCreatedAt, rowLastActivityAt } from './row-times.ts';

export function addDataRow(w: PageContext, row: ParsedRow, out: PageRows): void {
  const s = w.state;
  const org = w.org;
  const createdAt = rowCreatedAt(row, w.now);
  const createdBy = w.user(row.details?.createdBy);
  const ds = s.datasets.get(s.datasetOf(row));
  if (w.fresh('dataset', ds)) {
    out.datasets.push({
      id: ds.id,
      org_id: org,
      name: ds.name,
      description: null,
      created_at: ds.createdAt,
      updated_at: ds.createdAt,
      created_by: createdBy,
    });
  }
  out.dataRows.push({
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
    last_activity_at: rowLastActivityAt(row, w.now),
    created_by: createdBy,
  });
  row.attachments.forEach((a, i) => {
    out.attachments.push({
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
    if (w.fresh('metadata', e)) {
      // Enum options are written by `finish`, once every line has named its options.
      out.schemas.push({ id: e.id, org_id: org, name: e.name, kind: e.kind, options: null });
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
    out.values.push({ data_row_id: row.id, schema_id: m.schemaId, value, position: i });
  }
  for (const v of row.embeddings) {
    const e = s.embeddings.get(v.id);
    if (w.fresh('embedding', e)) {
      out.embeddings.push({
        id: e.id,
        org_id: org,
        name: e.name,
        dimensions: e.dimensions,
        is_custom: e.isCustom ? 1 : 0,
      });
    }
    out.vectors.push({ data_row_id: row.id, embedding_id: v.id, vector: v.vector });
  }
}
