/** Console reads shared by its screens: react-query keys and small helpers over the SDK. */
import type { Project } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { client } from '../api/client.ts';

/** The first `max` items of a paged SDK list. */
export async function collect<T>(items: AsyncIterable<T>, max = 1000): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

export function useProjects() {
  return useQuery({ queryKey: ['projects'], queryFn: () => collect(client.getProjects()) });
}

export function useProject(projectId: string) {
  return useQuery({ queryKey: ['project', projectId], queryFn: () => client.getProject(projectId) });
}

/** Rows per workflow status of a project (refreshes while shown). */
export function useQueueCounts(project: Project) {
  return useQuery({
    queryKey: ['queue-stats', project.id],
    queryFn: () => project.queueStats(),
    refetchInterval: 10_000,
  });
}

export function useDatasets() {
  return useQuery({ queryKey: ['datasets'], queryFn: () => collect(client.getDatasets()) });
}

export const STATUSES = ['TO_LABEL', 'IN_REVIEW', 'IN_REWORK', 'DONE'] as const;
export const STATUS_LABEL: Record<(typeof STATUSES)[number], string> = {
  TO_LABEL: 'To label',
  IN_REVIEW: 'In review',
  IN_REWORK: 'In rework',
  DONE: 'Done',
};

export const formatInt = (n: number) => n.toLocaleString('en-US');
export const formatPercent = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`);
export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;
export const formatTime = (d: Date) => d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
