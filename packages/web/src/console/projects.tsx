/** The console's home: every project the caller manages, its rows per status and progress. */
import type { Project } from '@prefer/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { client } from '../api/client.ts';
import { describeError, EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { formatInt, STATUS_LABEL, STATUSES, useProjects, useQueueCounts } from './data.ts';
import { ConsoleFrame } from './frame.tsx';

export function ProjectsScreen() {
  const projects = useProjects();
  const managed = projects.data?.filter((p) => p.role === 'admin' || p.role === 'manager');
  return (
    <ConsoleFrame title="Console">
      <div className="page-head">
        <h1>Projects</h1>
        <Link className="btn btn-primary" to="/console/projects/new">
          New project
        </Link>
      </div>
      <DeletedBanner />
      {projects.isPending && <Skeleton lines={5} />}
      {projects.isError && <ErrorState error={projects.error} retry={() => projects.refetch()} />}
      {managed?.length === 0 && (
        <EmptyState title="No projects yet">
          <p>Create one from an ontology, then import data and make a batch.</p>
        </EmptyState>
      )}
      {managed && managed.length > 0 && (
        <table className="list stack">
          <thead>
            <tr>
              <th>Project</th>
              {STATUSES.map((s) => (
                <th key={s} className="num">
                  {STATUS_LABEL[s]}
                </th>
              ))}
              <th>Progress</th>
            </tr>
          </thead>
          <tbody>
            {managed.map((p) => (
              <ProjectRow key={p.id} project={p} />
            ))}
          </tbody>
        </table>
      )}
    </ConsoleFrame>
  );
}

function ProjectRow({ project }: { project: Project }) {
  const stats = useQueueCounts(project);
  const counts = stats.data?.counts;
  return (
    <tr>
      <td>
        <Link to={`/console/projects/${project.id}`}>{project.name}</Link>
        <div className="muted">{formatInt(project.dataRowCount)} rows</div>
      </td>
      {STATUSES.map((s) => (
        <td key={s} className="num" data-label={STATUS_LABEL[s]}>
          {counts ? formatInt(counts[s]) : '…'}
        </td>
      ))}
      <td data-label="Progress" className="progress-cell">
        {counts ? <StatusBar counts={counts} /> : <span className="muted">…</span>}
      </td>
    </tr>
  );
}

/** One bar, a segment per status; its text names the share done. */
export function StatusBar({ counts }: { counts: Record<(typeof STATUSES)[number], number> }) {
  const total = STATUSES.reduce((n, s) => n + counts[s], 0);
  const done = total === 0 ? 0 : counts.DONE / total;
  let x = 0;
  return (
    <div className="status-bar">
      <svg
        viewBox="0 0 100 8"
        preserveAspectRatio="none"
        role="img"
        aria-label={`${Math.round(done * 100)} % done`}
      >
        <rect x="0" y="0" width="100" height="8" className="bar-bg" />
        {total > 0 &&
          STATUSES.map((s) => {
            const w = (counts[s] / total) * 100;
            const rect = <rect key={s} x={x} y="0" width={w} height="8" className={`bar-${s}`} />;
            x += w;
            return rect;
          })}
      </svg>
      <span className="muted">{Math.round(done * 100)} % done</span>
    </div>
  );
}

/** After a delete: what went, and a way to bring it back at once. */
function DeletedBanner() {
  const location = useLocation();
  const qc = useQueryClient();
  const deleted = (location.state as { deleted?: { id: string; name: string } } | null)?.deleted;
  const [state, setState] = useState<string | null>(null);
  if (!deleted) return null;
  return (
    <div className="secret" role="status">
      <span>
        Project {deleted.name} was deleted. {state}
      </span>{' '}
      {state !== 'Restored.' && (
        <button
          type="button"
          className="btn"
          onClick={() =>
            void client
              .restoreProject(deleted.id)
              .then(async () => {
                setState('Restored.');
                await qc.invalidateQueries({ queryKey: ['projects'] });
              })
              .catch((err: unknown) => setState(describeError(err).title))
          }
        >
          Restore {deleted.name}
        </button>
      )}
    </div>
  );
}
