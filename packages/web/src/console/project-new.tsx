/**
 * A new project: a name, a consensus count, and an ontology: the canonical pairwise one in one
 * click, one the organization has, or Labelbox ontology JSON pasted or uploaded (its faults are
 * shown at their JSON path, and nothing is created).
 */
import { CANONICAL_PREFERENCE_ONTOLOGY } from '@prefer/schemas';
import { type Fault, ValidationError } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { client } from '../api/client.ts';
import { describeError } from '../ui/states.tsx';
import { collect } from './data.ts';
import { ConsoleFrame } from './frame.tsx';

type Source = 'canonical' | 'existing' | 'json';

export function NewProjectScreen() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const ontologies = useQuery({ queryKey: ['ontologies'], queryFn: () => collect(client.getOntologies()) });
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [consensus, setConsensus] = useState(1);
  const [source, setSource] = useState<Source>('canonical');
  const [existing, setExisting] = useState('');
  const [json, setJson] = useState('');
  const [faults, setFaults] = useState<Fault[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e?: FormEvent, from: Source = source) {
    e?.preventDefault();
    setFaults([]);
    setError(null);
    if (!name.trim()) return setError('Name the project first.');
    let ontologyId = existing;
    setBusy(true);
    try {
      if (from === 'canonical') {
        // Sent as the JSON it is (the SDK types an ontology as plain JSON objects).
        const canonical = JSON.parse(JSON.stringify(CANONICAL_PREFERENCE_ONTOLOGY));
        ontologyId = (await client.createOntology(`${name.trim()} ontology`, canonical)).id;
      } else if (from === 'json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch (err) {
          setFaults([{ path: '$', message: `not JSON: ${(err as Error).message}` }]);
          return;
        }
        ontologyId = (await client.createOntology(`${name.trim()} ontology`, parsed as never)).id;
      } else if (!ontologyId) {
        return setError('Pick an ontology.');
      }
      const project = await client.createProject({
        name: name.trim(),
        ontologyId,
        consensusExpectedLabelCount: consensus,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      await qc.invalidateQueries({ queryKey: ['projects'] });
      await qc.invalidateQueries({ queryKey: ['session'] });
      navigate(`/console/projects/${project.id}`);
    } catch (err) {
      if (err instanceof ValidationError && err.faults.length > 0) setFaults(err.faults);
      setError(describeError(err).title);
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConsoleFrame title="New project">
      <h1>New project</h1>
      <form className="card form-card" onSubmit={(e) => void create(e)}>
        <label className="field">
          Name
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={256}
          />
        </label>
        <label className="field">
          Description
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="field field-narrow">
          Labels per row (consensus)
          <input
            type="number"
            min={1}
            max={10}
            value={consensus}
            onChange={(e) => setConsensus(Number(e.target.value))}
          />
        </label>
        <fieldset className="field">
          <legend>Ontology</legend>
          <label className="choice">
            <input
              type="radio"
              name="source"
              checked={source === 'canonical'}
              onChange={() => setSource('canonical')}
            />
            The canonical pairwise preference ontology (choose the best response, a reason, evaluations)
          </label>
          <label className="choice">
            <input
              type="radio"
              name="source"
              checked={source === 'existing'}
              onChange={() => setSource('existing')}
            />
            An ontology of the organization
          </label>
          {source === 'existing' && (
            <select
              aria-label="Existing ontology"
              value={existing}
              onChange={(e) => setExisting(e.target.value)}
            >
              <option value="">Choose…</option>
              {ontologies.data?.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
          <label className="choice">
            <input
              type="radio"
              name="source"
              checked={source === 'json'}
              onChange={() => setSource('json')}
            />
            Labelbox ontology JSON, pasted or uploaded
          </label>
          {source === 'json' && (
            <>
              <textarea
                aria-label="Ontology JSON"
                className="mono"
                rows={10}
                value={json}
                onChange={(e) => setJson(e.target.value)}
                placeholder='{ "tools": [], "classifications": [ ... ] }'
              />
              <label className="field">
                Or upload a file
                <input
                  type="file"
                  accept="application/json,.json"
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void file.text().then(setJson);
                  }}
                />
              </label>
            </>
          )}
        </fieldset>
        {faults.length > 0 && <FaultList faults={faults} />}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Create project
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => {
              setSource('canonical');
              void create(undefined, 'canonical');
            }}
          >
            Create with the canonical pairwise ontology
          </button>
        </div>
      </form>
    </ConsoleFrame>
  );
}

/** Every fault of a refused input: its line (of a file), its JSON path, and why. */
export function FaultList({ faults, total }: { faults: Fault[]; total?: number }) {
  return (
    // Focusable: the list scrolls when long, and keyboard users must reach it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable
    <div className="faults" role="alert" tabIndex={0}>
      <h2>
        {total !== undefined && total > faults.length
          ? `${total} faults (the first ${faults.length} below)`
          : `${faults.length} ${faults.length === 1 ? 'fault' : 'faults'}`}
      </h2>
      <table className="list stack fault-table">
        <thead>
          <tr>
            <th className="num">Line</th>
            <th>Path</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {faults.map((f, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: faults have no identity of their own
            <tr key={i}>
              <td className="num" data-label="Line">
                {f.line ?? '–'}
              </td>
              <td className="mono" data-label="Path">
                {f.path}
              </td>
              <td data-label="Problem">{f.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
