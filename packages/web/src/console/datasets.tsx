/**
 * Datasets: the list with row counts, a new dataset, and an import of NDJSON or a JSON array
 * into one, with an upload progress bar. Imports are all or nothing: a refused file lists every
 * fault (line, path, message) and nothing was added.
 */
import { type DataRowImportCounts, type Dataset, type Fault, ValidationError } from '@prefer/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { client } from '../api/client.ts';
import { describeError, EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { formatBytes, formatInt, formatTime, useDatasets } from './data.ts';
import { ConsoleFrame } from './frame.tsx';
import { FaultList } from './project-new.tsx';
import { withUploadProgress } from './upload-client.ts';

export function DatasetsScreen() {
  const datasets = useDatasets();
  return (
    <ConsoleFrame title="Datasets">
      <h1>Datasets</h1>
      <div className="two-col">
        <section>
          {datasets.isPending && <Skeleton lines={5} />}
          {datasets.isError && <ErrorState error={datasets.error} retry={() => datasets.refetch()} />}
          {datasets.data?.length === 0 && (
            <EmptyState title="No datasets yet">
              <p>Make one, then import conversations into it.</p>
            </EmptyState>
          )}
          {datasets.data && datasets.data.length > 0 && (
            <table className="list stack">
              <thead>
                <tr>
                  <th>Dataset</th>
                  <th className="num">Rows</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {datasets.data.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <div>{d.name}</div>
                      {d.description && <div className="muted">{d.description}</div>}
                    </td>
                    <td className="num" data-label="Rows">
                      {formatInt(d.rowCount)}
                    </td>
                    <td data-label="Created">{formatTime(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <div className="side">
          <NewDataset />
          {datasets.data && datasets.data.length > 0 && <Import datasets={datasets.data} />}
        </div>
      </div>
    </ConsoleFrame>
  );
}

function NewDataset() {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await client.createDataset({ name: name.trim() });
      setName('');
      await qc.invalidateQueries({ queryKey: ['datasets'] });
    } catch (err) {
      setError(describeError(err).title);
    }
  };
  return (
    <form className="card form-card" onSubmit={(e) => void submit(e)} aria-label="New dataset">
      <h2>New dataset</h2>
      <label className="field">
        Dataset name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary">
        Create dataset
      </button>
    </form>
  );
}

type Outcome =
  | { ok: true; counts: DataRowImportCounts; file: string }
  | { ok: false; message: string; faults: Fault[]; total: number };

function Import({ datasets }: { datasets: Dataset[] }) {
  const qc = useQueryClient();
  const [datasetId, setDatasetId] = useState(datasets[0]?.id ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const busy = progress !== null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const dataset = datasets.find((d) => d.id === datasetId);
    if (!file || !dataset) return;
    setOutcome(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const counts = await withUploadProgress(
        (sent, total) => setProgress({ sent, total }),
        async (c) => (await c.getDataset(dataset.id)).createDataRows({ file }),
      );
      setOutcome({ ok: true, counts, file: file.name });
      if (input.current) input.current.value = '';
      setFile(null);
    } catch (err) {
      const faults = err instanceof ValidationError ? err.faults : [];
      const total = err instanceof ValidationError ? err.errorCount : 0;
      setOutcome({ ok: false, message: describeError(err).title, faults, total });
    } finally {
      setProgress(null);
      await qc.invalidateQueries({ queryKey: ['datasets'] });
    }
  };
  return (
    <form className="card form-card" onSubmit={(e) => void submit(e)} aria-label="Import data rows">
      <h2>Import data rows</h2>
      <p className="muted">
        NDJSON (one row per line) or one JSON array of Labelbox data row specs. All or nothing: one faulty row
        and nothing is imported.
      </p>
      <label className="field">
        Into dataset
        <select aria-label="Into dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        File
        <input
          ref={input}
          type="file"
          accept=".ndjson,.jsonl,.json,application/json,application/x-ndjson"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          required
        />
      </label>
      {progress && (
        <div className="upload">
          <progress max={progress.total || 1} value={progress.sent} aria-label="Upload progress" />
          <span className="muted">
            {progress.sent >= progress.total
              ? 'Uploaded, checking every row…'
              : `${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`}
          </span>
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy || !file}>
        Import
      </button>
      {outcome?.ok && (
        <p className="form-ok" role="status">
          Imported {formatInt(outcome.counts.dataRows)} rows from {outcome.file} (
          {formatInt(outcome.counts.attachments)} attachments, {formatInt(outcome.counts.metadata)} metadata
          fields).
        </p>
      )}
      {outcome && !outcome.ok && (
        <>
          <p className="form-error" role="alert">
            {/* The server's message says "nothing was imported" too: once is enough. */}
            Nothing was imported: {outcome.message.replace('; nothing was imported', '')}
          </p>
          {outcome.faults.length > 0 && <FaultList faults={outcome.faults} total={outcome.total} />}
        </>
      )}
    </form>
  );
}
