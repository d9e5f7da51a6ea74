/**
 * The signed-in user's home: the projects they hold a role in (the server lists no other), with
 * their own figures and the way into each queue their role opens.
 */
import type { Project } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { client } from '../api/client.ts';
import { canDo } from '../api/session.tsx';
import { startOfToday } from '../api/stats.ts';
import { formatSeconds } from '../editor/clock.tsx';
import { EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';

async function listProjects(): Promise<Project[]> {
  const out: Project[] = [];
  for await (const p of client.getProjects()) out.push(p);
  return out;
}

export function HomeScreen() {
  const projects = useQuery({ queryKey: ['projects'], queryFn: listProjects });
  return (
    <>
      <TopBar title="Projects" />
      <main className="page">
        <h1>Your projects</h1>
        {projects.isPending && <Skeleton lines={5} />}
        {projects.isError && <ErrorState error={projects.error} retry={() => projects.refetch()} />}
        {projects.data?.length === 0 && (
          <EmptyState title="No projects yet">
            <p>Ask a project manager to add you to a project.</p>
          </EmptyState>
        )}
        {projects.data && projects.data.length > 0 && (
          <table className="list stack">
            <thead>
              <tr>
                <th>Project</th>
                <th className="num">Today</th>
                <th className="num">Your labels / rows</th>
                <th className="num">Median active time</th>
                <th className="actions-cell">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.data.map((p) => (
                <ProjectRow key={p.id} project={p} />
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}

function ProjectRow({ project }: { project: Project }) {
  const stats = useQuery({
    queryKey: ['my-stats', project.id],
    queryFn: () => project.myStats({ since: startOfToday() }),
  });
  const label = canDo(project, 'label');
  const review = canDo(project, 'review');
  const s = stats.data;
  return (
    <tr>
      <td>
        <div>{project.name}</div>
        {project.description && <div className="muted">{project.description}</div>}
      </td>
      <td className="num" data-label="Today">
        {s ? s.labelsSince : '…'}
      </td>
      <td className="num" data-label="Your labels / rows">
        {s ? `${s.labelsTotal} / ${s.rowsTotal}` : '…'}
      </td>
      <td className="num" data-label="Median active time">
        {s ? (s.medianSecondsToCreate === null ? '–' : formatSeconds(s.medianSecondsToCreate)) : '…'}
      </td>
      <td className="actions-cell">
        <div className="actions">
          {label && (
            <Link className="btn btn-primary" to={`/projects/${project.id}/label`}>
              Start labeling
            </Link>
          )}
          {label && (
            <Link className="btn" to={`/projects/${project.id}/rework`}>
              Rework
            </Link>
          )}
          {review && (
            <Link className="btn" to={`/projects/${project.id}/review`}>
              Review
            </Link>
          )}
        </div>
      </td>
    </tr>
  );
}
