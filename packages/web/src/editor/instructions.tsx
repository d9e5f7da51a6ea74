/**
 * The project's guideline for labelers (markdown written by its managers), folded by default so
 * the editor keeps its one-screen layout; rendered by the safe markdown component like any other
 * user text (no raw HTML, inert links of other schemes, no images loaded).
 */
import Markdown from '../markdown/markdown.tsx';

export function Instructions({ text }: { text: string | null }) {
  if (!text?.trim()) return null;
  return (
    <details className="instructions">
      <summary>Instructions</summary>
      <div className="instructions-body">
        <Markdown text={text} />
      </div>
    </details>
  );
}
