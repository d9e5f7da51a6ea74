/**
 * The data row browser of a project: search by global key, filter by status, batch and labeler
 * (the filters live in the URL, so a view can be shared), first 200 matches.
 */
import type { Project, WorkflowStatus } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { collect, formatTime, STATUS_LABEL, STATUSES } from './data.ts';
import { ProjectPage } from './project-frame.tsx';

const LIMIT = 200;

export function RowsScreen() {
  return <ProjectPage wide>{(p) => <Rows project={p} />}</ProjectPage>;
}

function Rows({ project }: { project: Project }) {
  const [params, setParams] = useSearchParams();
  const filters = {
    globalKey: params.get('q') ?? '',
    status: (params.get('status') ?? '') as WorkflowStatus | '',
    batchId: params.get('batch') ?? '',
    labeler: params.get('labeler') ?? '',
  };
  const [search, setSearch] = useState(filters.globalKey);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const batches = useQuery({ queryKey: ['batches', project.id], queryFn: () => collect(project.batches()) });
  const members = useQuery({
    queryKey: ['members', project.id],
    queryFn: () => collect(project.getMembers()),
  });
  const rows = useQuery({
    queryKey: ['project-rows', project.id, filters],
    queryFn: () =>
      collect(
        project.dataRows({
          pageSize: LIMIT,
          ...(filters.globalKey ? { globalKey: filters.globalKey } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.batchId ? { batchId: filters.batchId } : {}),
          ...(filters.labeler ? { labeler: filters.labeler } : {}),
        }),
        LIMIT + 1,
      ),
  });
  const active = Object.values(filters).some(Boolean);
  return (
    <>
      <form
        className="filters"
        aria-label="Filter rows"
        onSubmit={(e) => {
          e.preventDefault();
          set('q', search.trim());
        }}
      >
        <label className="field">
          Global key
          <input
            type="text"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="part of a key"
          />
        </label>
        <label className="field">
          Status
          <select aria-label="Status" value={filters.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Batch
          <select aria-label="Batch" value={filters.batchId} onChange={(e) => set('batch', e.target.value)}>
            <option value="">Any</option>
            {batches.data?.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Labeler
          <select
            aria-label="Labeler"
            value={filters.labeler}
            onChange={(e) => set('labeler', e.target.value)}
          >
            <option value="">Anyone</option>
            {members.data?.map((m) => (
              <option key={m.userId} value={m.email}>
                {m.email}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn">
          Search
        </button>
        {active && (
          <button
            type="button"
            className="btn-link"
            onClick={() => {
              setSearch('');
              setParams(new URLSearchParams(), { replace: true });
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      {rows.isPending && <Skeleton lines={8} />}
      {rows.isError && <ErrorState error={rows.error} retry={() => rows.refetch()} />}
      {rows.data?.length === 0 && (
        <EmptyState title={active ? 'No row matches these filters' : 'No rows in the project yet'}>
          {!active && (
            <p>
              Make a batch on the <Link to={`/console/projects/${project.id}/batches`}>Batches</Link> tab.
            </p>
          )}
        </EmptyState>
      )}
      {rows.data && rows.data.length > 0 && (
        <>
          <p className="muted" aria-live="polite">
            {rows.data.length > LIMIT ? `The first ${LIMIT} matching rows` : `${rows.data.length} rows`}
          </p>
          <table className="list stack">
            <thead>
              <tr>
                <th>Global key</th>
                <th>Status</th>
                <th>Batch</th>
                <th>Labelers</th>
                <th className="num">Labels</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.slice(0, LIMIT).map((r) => (
                <tr key={r.dataRowId}>
                  <td className="cell-key">
                    <Link to={`/console/projects/${project.id}/rows/${r.dataRowId}`}>
                      {r.globalKey ?? r.dataRowId}
                    </Link>
                  </td>
                  <td data-label="Status">
                    <span className={`chip chip-${r.workflowStatus}`}>{STATUS_LABEL[r.workflowStatus]}</span>
                  </td>
                  <td data-label="Batch">{r.batchName}</td>
                  <td data-label="Labelers">{r.labelers.join(', ') || '–'}</td>
                  <td className="num" data-label="Labels">
                    {r.labelCount}
                  </td>
                  <td data-label="Updated">{formatTime(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
