/**
 * The answers of the row on screen, kept in a localStorage draft as they change. The screen
 * mounts one editor per row (keyed by the row), so the draft is read once per row.
 */
import { useCallback, useState } from 'react';
import type { Answers } from './answers.ts';
import { type Draft, loadDraft, newDraft, saveDraft } from './draft.ts';

export function useDraft(key: string, initial?: () => Answers) {
  const [draft, setDraft] = useState<Draft>(
    () => loadDraft(key) ?? { ...newDraft(), answers: initial?.() ?? {} },
  );
  const update = useCallback(
    (change: Partial<Draft>) =>
      setDraft((d) => {
        const next = { ...d, ...change };
        saveDraft(key, next);
        return next;
      }),
    [key],
  );
  return { draft, update };
}
