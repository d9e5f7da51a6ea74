/** A project's console pages: its name, its tabs, and the page of the tab. */
import type { Project } from '@prefer/sdk';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { ErrorState, Skeleton } from '../ui/states.tsx';
import { useProject } from './data.ts';
import { ConsoleFrame, ProjectTabs } from './frame.tsx';

export function ProjectPage(props: { children: (project: Project) => ReactNode; wide?: boolean }) {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  return (
    <ConsoleFrame title={project.data?.name ?? 'Project'} wide={props.wide}>
      {project.isPending && <Skeleton lines={6} />}
      {project.isError && <ErrorState error={project.error} retry={() => project.refetch()} />}
      {project.data && (
        <>
          <div className="page-head">
            <h1>{project.data.name}</h1>
            <span className="muted">{project.data.description}</span>
          </div>
          <ProjectTabs projectId={projectId} />
          {props.children(project.data)}
        </>
      )}
    </ConsoleFrame>
  );
}
