/**
 * The signed-in user's home: the projects they hold a role in (the server lists no other), with
 * their own figures and the way into each queue their role opens.
 */
import type { Project } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { client } from '../api/client.ts';
import { canDo, type Me, useMe } from '../api/session.tsx';
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
  const me = useMe();
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
          <table className="list">
            <thead>
              <tr>
                <th>Project</th>
                <th className="num">Today</th>
                <th className="num">Your labels / rows</th>
                <th className="num">Median active time</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {projects.data.map((p) => (
                <ProjectRow key={p.id} project={p} me={me} />
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}

function ProjectRow({ project, me }: { project: Project; me: Me }) {
  const stats = useQuery({
    queryKey: ['my-stats', project.id],
    queryFn: () => project.myStats({ since: startOfToday() }),
  });
  const label = canDo(me, project.id, 'label');
  const review = canDo(me, project.id, 'review');
  const s = stats.data;
  return (
    <tr>
      <td>
        <div>{project.name}</div>
        {project.description && <div className="muted">{project.description}</div>}
      </td>
      <td className="num">{s ? s.labelsSince : '…'}</td>
      <td className="num">{s ? `${s.labelsTotal} / ${s.rowsTotal}` : '…'}</td>
      <td className="num">
        {s ? (s.medianSecondsToCreate === null ? '–' : formatSeconds(s.medianSecondsToCreate)) : '…'}
      </td>
      <td>
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
