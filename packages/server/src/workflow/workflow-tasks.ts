import type { TaskKind, WorkflowStatus } from '../store/schema.ts';

/** The default workflow of every project, in order (docs/architecture.md). */
export const DEFAULT_WORKFLOW_TASKS: readonly { name: string; kind: TaskKind; status: WorkflowStatus }[] = [
  { name: 'Initial labeling task', kind: 'LABEL', status: 'TO_LABEL' },
  { name: 'Initial review task', kind: 'REVIEW', status: 'IN_REVIEW' },
  { name: 'Rework', kind: 'REWORK', status: 'IN_REWORK' },
  { name: 'Done', kind: 'DONE', status: 'DONE' },
];

/** The workflow status of rows sitting in a task of this kind. */
export function statusOfKind(kind: TaskKind): WorkflowStatus {
  switch (kind) {
    case 'LABEL':
      return 'TO_LABEL';
    case 'REVIEW':
      return 'IN_REVIEW';
    case 'REWORK':
      return 'IN_REWORK';
    case 'DONE':
      return 'DONE';
    default: {
      const never: never = kind;
      throw new Error(`unknown task kind ${String(never)}`);
    }
  }
}
