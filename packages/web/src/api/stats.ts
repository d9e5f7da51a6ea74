/**
 * A labeler's own figures in a project: labels done today, in all, and their median active
 * seconds. Read from the caller's own labels (a labeler can only read those anyway).
 */
import type { Project } from '@prefer/sdk';

export interface MyStats {
  today: number;
  total: number;
  medianSeconds: number | null;
}

/** Enough for a home screen; a labeler with more still sees "5,000+". */
const MAX_LABELS = 5000;

export function startOfToday(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export async function myStats(project: Project, email: string, now = new Date()): Promise<MyStats> {
  const since = startOfToday(now).getTime();
  let today = 0;
  let total = 0;
  const seconds: number[] = [];
  for await (const label of project.labels({ createdBy: email, skipped: false, pageSize: 500 })) {
    total++;
    if (label.createdAt.getTime() >= since) today++;
    if (label.secondsToCreate !== null) seconds.push(label.secondsToCreate);
    if (total >= MAX_LABELS) break;
  }
  return { today, total, medianSeconds: median(seconds) };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
