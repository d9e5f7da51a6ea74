/** A project and its ontology's questions, shared by the editor screens. */
import type { Project } from '@prefer/sdk';
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Tool } from '../editor/mmc/tools.ts';
import { type Question, questionsOf, toolsOf } from '../editor/ontology.ts';
import { client } from './client.ts';

export interface ProjectContext {
  project: Project;
  questions: Question[];
  /** The message tools (multimodal chat projects); empty otherwise. */
  tools: Tool[];
}

/** The project's query; `project` when its request is already on its way. */
export function projectContextQuery(projectId: string, project?: Promise<Project>) {
  return queryOptions({
    queryKey: ['project-context', projectId],
    queryFn: async (): Promise<ProjectContext> => {
      const p = await (project ?? client.getProject(projectId));
      const ontology = await client.getOntology(p.ontologyId);
      return { project: p, questions: questionsOf(ontology.normalized), tools: toolsOf(ontology.normalized) };
    },
    staleTime: 5 * 60_000,
  });
}

export function useProjectContext(projectId: string) {
  return useQuery(projectContextQuery(projectId));
}
