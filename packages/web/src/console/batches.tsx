/**
 * A project's batches and a form to make one: from a whole dataset, from a list of global keys,
 * or from a filter (a dataset's rows whose global key contains a text), with a priority and a
 * consensus count.
 */
import { type Fault, type Project, ValidationError } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { client } from '../api/client.ts';
import { describeError, EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { collect, formatInt, formatTime, useDatasets } from './data.ts';
import { ProjectPage } from './project-frame.tsx';
import { FaultList } from './project-new.tsx';

type Source = 'dataset' | 'keys' | 'filter';

export function BatchesScreen() {
  return <ProjectPage>{(p) => <Batches project={p} />}</ProjectPage>;
}

function Batches({ project }: { project: Project }) {
  const batches = useQuery({ queryKey: ['batches', project.id], queryFn: () => collect(project.batches()) });
  return (
    <div className="two-col">
      <section>
        <h2>Batches</h2>
        {batches.isPending && <Skeleton lines={4} />}
        {batches.isError && <ErrorState error={batches.error} retry={() => batches.refetch()} />}
        {batches.data?.length === 0 && (
          <EmptyState title="No batches yet">
            <p>A batch puts data rows in the labeling queue.</p>
          </EmptyState>
        )}
        {batches.data && batches.data.length > 0 && (
          <table className="list stack">
            <thead>
              <tr>
                <th>Batch</th>
                <th className="num">Rows</th>
                <th className="num">Priority</th>
                <th className="num">Labels per row</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.map((b) => (
                <tr key={b.id}>
                  <td>{b.name}</td>
                  <td className="num" data-label="Rows">
                    {formatInt(b.dataRowCount)}
                  </td>
                  <td className="num" data-label="Priority">
                    {b.priority}
                  </td>
                  <td className="num" data-label="Labels per row">
                    {b.consensusExpectedLabelCount ?? `${project.consensusExpectedLabelCount} (project)`}
                  </td>
                  <td data-label="Created">{formatTime(b.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewBatch project={project} />
    </div>
  );
}

function NewBatch({ project }: { project: Project }) {
  const qc = useQueryClient();
  const datasets = useDatasets();
  const [name, setName] = useState('');
  const [source, setSource] = useState<Source>('dataset');
  const [datasetId, setDatasetId] = useState('');
  const [keys, setKeys] = useState('');
  const [contains, setContains] = useState('');
  const [priority, setPriority] = useState(5);
  const [consensus, setConsensus] = useState('');
  const [faults, setFaults] = useState<Fault[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFaults([]);
    setMessage(null);
    setBusy(true);
    try {
      const base = {
        name: name.trim(),
        priority,
        ...(consensus ? { consensusExpectedLabelCount: Number(consensus) } : {}),
      };
      let input: Parameters<Project['createBatch']>[0];
      if (source === 'keys') {
        const globalKeys = keys
          .split(/[\n,]/)
          .map((k) => k.trim())
          .filter(Boolean);
        input = { ...base, globalKeys };
      } else if (source === 'filter') {
        const dataset = await client.getDataset(datasetId);
        const needle = contains.trim().toLowerCase();
        const ids: string[] = [];
        for await (const row of dataset.dataRows({ pageSize: 500 })) {
          if ((row.globalKey ?? '').toLowerCase().includes(needle)) ids.push(row.id);
        }
        if (ids.length === 0)
          throw new Error(`no row of ${dataset.name} has a global key containing "${contains}"`);
        input = { ...base, dataRowIds: ids };
      } else {
        input = { ...base, datasetId };
      }
      const batch = await project.createBatch(input);
      setMessage({
        ok: true,
        text: `Batch ${batch.name} made: ${formatInt(batch.dataRowCount)} rows queued.`,
      });
      setName('');
      await qc.invalidateQueries({ queryKey: ['batches', project.id] });
      await qc.invalidateQueries({ queryKey: ['overview', project.id] });
    } catch (err) {
      if (err instanceof ValidationError) setFaults(err.faults);
      setMessage({ ok: false, text: describeError(err).title });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form-card" onSubmit={(e) => void submit(e)} aria-label="New batch">
      <h2>New batch</h2>
      <label className="field">
        Batch name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <fieldset className="field">
        <legend>Rows</legend>
        {(
          [
            ['dataset', 'Every row of a dataset'],
            ['keys', 'A list of global keys'],
            ['filter', 'Rows of a dataset whose global key contains…'],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="batch-source"
              checked={source === value}
              onChange={() => setSource(value)}
            />
            {text}
          </label>
        ))}
      </fieldset>
      {source !== 'keys' && (
        <label className="field">
          Dataset
          <select
            aria-label="Dataset"
            value={datasetId}
            onChange={(e) => setDatasetId(e.target.value)}
            required
          >
            <option value="">Choose…</option>
            {datasets.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({formatInt(d.rowCount)} rows)
              </option>
            ))}
          </select>
        </label>
      )}
      {source === 'keys' && (
        <label className="field">
          Global keys (one per line, or comma-separated)
          <textarea
            rows={5}
            className="mono"
            value={keys}
            onChange={(e) => setKeys(e.target.value)}
            required
          />
        </label>
      )}
      {source === 'filter' && (
        <label className="field">
          Global key contains
          <input type="text" value={contains} onChange={(e) => setContains(e.target.value)} required />
        </label>
      )}
      <div className="field-row">
        <label className="field">
          Priority (1 highest, 5 lowest)
          <select
            aria-label="Priority (1 highest, 5 lowest)"
            value={priority}
            onChange={(e) => setPriority(Number(e.target.value))}
          >
            {[1, 2, 3, 4, 5].map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Labels per row (consensus)
          <select
            aria-label="Labels per row (consensus)"
            value={consensus}
            onChange={(e) => setConsensus(e.target.value)}
          >
            <option value="">Project's ({project.consensusExpectedLabelCount})</option>
            {[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {faults.length > 0 && <FaultList faults={faults} />}
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Make batch
      </button>
    </form>
  );
}
