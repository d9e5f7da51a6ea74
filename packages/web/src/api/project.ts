/** A project and its ontology's questions, shared by the editor screens. */
import type { Project } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import type { Tool } from '../editor/mmc/tools.ts';
import { type Question, questionsOf, toolsOf } from '../editor/ontology.ts';
import { client } from './client.ts';

export interface ProjectContext {
  project: Project;
  questions: Question[];
  /** The message tools (multimodal chat projects); empty otherwise. */
  tools: Tool[];
}

export function useProjectContext(projectId: string) {
  return useQuery({
    queryKey: ['project-context', projectId],
    queryFn: async (): Promise<ProjectContext> => {
      const project = await client.getProject(projectId);
      const ontology = await client.getOntology(project.ontologyId);
      return { project, questions: questionsOf(ontology.normalized), tools: toolsOf(ontology.normalized) };
    },
    staleTime: 5 * 60_000,
  });
}
