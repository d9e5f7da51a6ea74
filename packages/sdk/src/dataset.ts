/** A dataset as the SDK sees it: its data rows are uploaded and listed through it. */
import {
  type DataRowDetailWire,
  type DataRowWire,
  type DatasetWire,
  dataRowImportSchema,
  dataRowSchema,
} from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';
import { type UploadSource, uploadBody } from './upload.ts';

/** One data row spec of an import (Labelbox's shape): `row_data` plus optional keys and extras. */
export interface DataRowSpec {
  row_data: unknown;
  global_key?: string;
  external_id?: string;
  media_type?: string;
  attachments?: { type: string; value: string; name?: string }[];
  metadata_fields?: (
    | { name: string; value: string | number }
    | { schema_id: string; value: string | number }
  )[];
  embeddings?: { name: string; vector: number[] }[];
  [key: string]: unknown;
}

export interface DataRowImportCounts {
  dataRows: number;
  attachments: number;
  metadata: number;
  embeddings: number;
}

export interface DataRow {
  id: string;
  datasetId: string;
  globalKey: string | null;
  externalId: string | null;
  /** An https URL, or the conversation as JSON text (exactly the export's `row_data`). */
  rowData: string;
  mediaType: string;
  mimeType: string;
  labelableIds: string[];
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
  lastActivityAt: Date;
}

export interface DataRowDetail extends DataRow {
  attachments: { id: string; type: string; value: string; name: string | null }[];
  metadataFields: { schemaId: string; schemaName: string; value: string | number }[];
}

export class Dataset {
  readonly #client: Client;
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** Rows in the dataset when it was fetched. */
  readonly rowCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly createdBy: string;

  constructor(client: Client, wire: DatasetWire) {
    this.#client = client;
    this.id = wire.id;
    this.name = wire.name;
    this.description = wire.description;
    this.rowCount = wire.row_count;
    this.createdAt = new Date(wire.created_at);
    this.updatedAt = new Date(wire.updated_at);
    this.createdBy = wire.created_by;
  }

  /**
   * Imports data rows, all or nothing: the records themselves, or `{ file }` (a path, a Blob or
   * a byte stream of NDJSON or one JSON array), streamed to the server.
   * @throws ValidationError when any record is faulty: nothing was imported, and `faults` names
   * each fault's line and field.
   * @example
   * const counts = await dataset.createDataRows([{ row_data: conversation, global_key: 'chat-1' }]);
   * await dataset.createDataRows({ file: 'conversations.ndjson' });
   */
  async createDataRows(source: UploadSource<DataRowSpec>): Promise<DataRowImportCounts> {
    const answer = await this.#client.requestJson(
      'POST',
      `/datasets/${encodeURIComponent(this.id)}/data-rows`,
      dataRowImportSchema,
      { upload: { body: await uploadBody(source), contentType: 'application/x-ndjson' } },
    );
    return answer.counts;
  }

  /**
   * The dataset's data rows in id order, fetched a page at a time.
   * @example
   * for await (const row of dataset.dataRows()) console.log(row.globalKey);
   */
  dataRows(options?: PageOptions): AsyncGenerator<DataRow> {
    return paginate(
      this.#client,
      `/datasets/${encodeURIComponent(this.id)}/data-rows`,
      dataRowSchema,
      dataRowOf,
      options,
    );
  }
}

export const dataRowOf = (w: DataRowWire): DataRow => ({
  id: w.id,
  datasetId: w.dataset_id,
  globalKey: w.global_key,
  externalId: w.external_id,
  rowData: w.row_data,
  mediaType: w.media_type,
  mimeType: w.mime_type,
  labelableIds: w.labelable_ids,
  messageCount: w.message_count,
  createdAt: new Date(w.created_at),
  updatedAt: new Date(w.updated_at),
  lastActivityAt: new Date(w.last_activity_at),
});

export const dataRowDetailOf = (w: DataRowDetailWire): DataRowDetail => ({
  ...dataRowOf(w),
  attachments: w.attachments,
  metadataFields: w.metadata_fields.map((m) => ({
    schemaId: m.schema_id,
    schemaName: m.schema_name,
    value: m.value,
  })),
});
