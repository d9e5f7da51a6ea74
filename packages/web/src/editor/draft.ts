/**
 * Drafts in localStorage, one per (user, project, row, kind), so answers survive a reload or a
 * crashed tab. A draft also holds the idempotency key of its submit, made once when the draft
 * is born: a submit retried after a lost answer, even from a reloaded tab, cannot make a second
 * label. `pending` is the exact payload sent, so a retry sends the same bytes under that key.
 */
import type { Answers } from './answers.ts';

export interface Draft {
  answers: Answers;
  idempotencyKey: string;
  activeMs: number;
  pending?: { classifications: unknown[]; annotations?: unknown[]; secondsToCreate: number } | undefined;
  savedAt: number;
}

const PREFIX = 'prefer:draft:';

export const draftKey = (userId: string, projectId: string, rowId: string, kind = 'label') =>
  `${PREFIX}${kind}:${userId}:${projectId}:${rowId}`;

export function loadDraft(key: string): Draft | undefined {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return undefined;
    const d = JSON.parse(raw) as Partial<Draft>;
    if (typeof d.idempotencyKey !== 'string' || typeof d.answers !== 'object' || d.answers === null) return;
    return {
      answers: d.answers,
      idempotencyKey: d.idempotencyKey,
      activeMs: typeof d.activeMs === 'number' ? d.activeMs : 0,
      pending: d.pending,
      savedAt: typeof d.savedAt === 'number' ? d.savedAt : 0,
    };
  } catch {
    return undefined;
  }
}

export function newDraft(): Draft {
  return { answers: {}, idempotencyKey: crypto.randomUUID(), activeMs: 0, savedAt: Date.now() };
}

export function saveDraft(key: string, draft: Draft): void {
  try {
    localStorage.setItem(key, JSON.stringify({ ...draft, savedAt: Date.now() }));
  } catch {
    // A full or disabled storage loses only the crash safety net; the form keeps working.
  }
}

export function dropDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // See saveDraft.
  }
}

/** Drafts older than two weeks are dropped, so storage never fills with abandoned rows. */
export function pruneDrafts(now = Date.now()): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const d = loadDraft(key);
      if (!d || now - d.savedAt > 14 * 24 * 3600_000) localStorage.removeItem(key);
    }
  } catch {
    // See saveDraft.
  }
}
