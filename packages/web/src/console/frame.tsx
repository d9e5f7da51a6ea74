/** The console's frame: the app's top bar, the console's sections, and a project's tabs. */
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useMe } from '../api/session.tsx';
import { TopBar } from '../ui/top-bar.tsx';

export function ConsoleFrame(props: { title: ReactNode; children: ReactNode; wide?: boolean }) {
  const me = useMe();
  return (
    <>
      <TopBar title={props.title} />
      <nav className="console-nav" aria-label="Console">
        <NavLink to="/console" end>
          Projects
        </NavLink>
        <NavLink to="/console/datasets">Datasets</NavLink>
        <NavLink to="/console/people">People</NavLink>
        {me.user.role === 'admin' && <NavLink to="/console/audit">Audit log</NavLink>}
        {me.user.role !== 'admin' && <span className="muted">Manager</span>}
      </nav>
      <main className={props.wide ? 'page page-wide console-page' : 'page console-page'}>
        {props.children}
      </main>
    </>
  );
}

export function ProjectTabs({ projectId }: { projectId: string }) {
  const base = `/console/projects/${projectId}`;
  return (
    <nav className="tabs" aria-label="Project">
      <NavLink to={base} end>
        Overview
      </NavLink>
      <NavLink to={`${base}/rows`}>Data rows</NavLink>
      <NavLink to={`${base}/batches`}>Batches</NavLink>
      <NavLink to={`${base}/members`}>Members</NavLink>
      <NavLink to={`${base}/export`}>Export</NavLink>
      {/* Conversions to training formats and the analytics live on their own screen. */}
      <NavLink to={`/projects/${projectId}/training`}>Training data</NavLink>
      <NavLink to={`${base}/settings`}>Settings</NavLink>
    </nav>
  );
}
