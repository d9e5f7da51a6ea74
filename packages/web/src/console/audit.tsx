/**
 * The organization's audit log (admins): every write by a person or key, newest first, filtered
 * by who, action, target and dates (the filters live in the URL). A deleted project, dataset or
 * data row can be restored from its entry; an erased one is marked and cannot.
 */
import type { AuditEntry, AuditFilters } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { client } from '../api/client.ts';
import { describeError, EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { collect, formatTime } from './data.ts';
import { ConsoleFrame } from './frame.tsx';

const FIELDS = [
  ['actor', 'Who (email or id)'],
  ['action', 'Action (e.g. delete_projects_projectId)'],
  ['target_type', 'Target type'],
  ['target_id', 'Target id'],
  ['from', 'From (YYYY-MM-DD)'],
  ['to', 'To (YYYY-MM-DD)'],
] as const;

const LIMIT = 200;

export function AuditScreen() {
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState(() => Object.fromEntries(FIELDS.map(([k]) => [k, params.get(k) ?? ''])));
  const filters: AuditFilters = {};
  const get = (k: string) => params.get(k) || undefined;
  if (get('actor')) filters.actor = get('actor');
  if (get('action')) filters.action = get('action');
  if (get('target_type')) filters.targetType = get('target_type');
  if (get('target_id')) filters.targetId = get('target_id');
  if (get('from')) filters.from = get('from');
  if (get('to')) filters.to = get('to');
  const log = useQuery({
    queryKey: ['audit', filters],
    queryFn: () => collect(client.getAuditLog(filters, { pageSize: LIMIT }), LIMIT),
    refetchInterval: 15_000,
  });
  return (
    <ConsoleFrame title="Audit log" wide>
      <h1>Audit log</h1>
      <form
        className="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams();
          for (const [k, v] of Object.entries(draft)) if (v.trim()) next.set(k, v.trim());
          setParams(next, { replace: true });
        }}
      >
        {FIELDS.map(([k, label]) => (
          <label key={k} className="field">
            {label}
            <input
              type="text"
              value={draft[k] ?? ''}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      {log.isPending && <Skeleton lines={8} />}
      {log.isError && <ErrorState error={log.error} retry={() => log.refetch()} />}
      {log.data?.length === 0 && <EmptyState title="No entry matches these filters" />}
      {log.data && log.data.length > 0 && (
        <table className="list stack audit-log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th className="num">Status</th>
              <th>From</th>
              <th>Fields</th>
              <th className="actions-cell">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((e) => (
              <Entry key={e.id} entry={e} />
            ))}
          </tbody>
        </table>
      )}
    </ConsoleFrame>
  );
}

const RESTORE: Record<string, ((id: string) => Promise<unknown>) | undefined> = {
  project: (id) => client.restoreProject(id),
  dataset: (id) => client.restoreDataset(id),
  data_row: (id) => client.restoreDataRow(id),
};

function Entry({ entry: e }: { entry: AuditEntry }) {
  const qc = useQueryClient();
  const [state, setState] = useState<string | null>(null);
  // An erasure keeps nothing to restore; its entry says so in the summary the server writes.
  const erased = e.method === 'DELETE' && e.status < 300 && e.summary.includes('erased at once');
  const restore =
    e.method === 'DELETE' && e.status < 300 && e.target.id && !erased
      ? RESTORE[e.target.type ?? '']
      : undefined;
  return (
    <tr>
      <td>{formatTime(e.at)}</td>
      <td data-label="Who">
        <div>{e.actor.email}</div>
        <div className="muted">{e.actor.via}</div>
      </td>
      <td data-label="Action" className="mono">
        {e.action}
        {erased && <span className="chip chip-danger">erased</span>}
      </td>
      <td data-label="Target">
        {e.target.type} <span className="mono">{e.target.id}</span>
      </td>
      <td className="num" data-label="Status">
        {e.status}
      </td>
      <td data-label="From">{e.address}</td>
      <td data-label="Fields" className="muted">
        {e.summary}
      </td>
      <td className="actions-cell">
        {restore && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setState('…');
              restore(e.target.id!)
                .then(async () => {
                  setState('Restored');
                  await qc.invalidateQueries();
                })
                .catch((err: unknown) => setState(describeError(err).title));
            }}
          >
            Restore
          </button>
        )}
        {state && <div className="muted">{state}</div>}
      </td>
    </tr>
  );
}
