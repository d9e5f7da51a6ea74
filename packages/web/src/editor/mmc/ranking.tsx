/**
 * A ranking of one prompt's replies: a list that is always a permutation (ties cannot be made).
 * Keyboard: focus an item, Alt+ArrowUp/Down (or [ and ]) move it, a digit gives it that rank;
 * pointer: drag an item onto another's place, or the arrow buttons. Each item's name says its
 * rank ("Model reply 2, rank 1"); moves are announced in a live region.
 */
import { type KeyboardEvent, useId, useRef, useState } from 'react';

export interface RankingProps {
  name: string;
  required: boolean;
  /** The replies as shown (id, title), left to right. */
  items: readonly { id: string; title: string }[];
  /** The ranked ids, best first; undefined while the labeler has not ranked. */
  value: readonly string[] | undefined;
  onChange?: ((ids: string[]) => void) | undefined;
  readOnly: boolean;
  missing: boolean;
}

export function Ranking(props: RankingProps) {
  const { items, readOnly } = props;
  const id = useId();
  const [said, setSaid] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const title = new Map(items.map((i) => [i.id, i.title]));
  const ranked = props.value !== undefined && props.value.length > 0;
  // Unranked, the list shows the replies as they stand left to right.
  const ids = ranked ? [...props.value!] : items.map((i) => i.id);

  const move = (from: number, to: number, focus = true) => {
    if (readOnly || !props.onChange || to < 0 || to >= ids.length) return;
    const next = [...ids];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    props.onChange(next);
    setSaid(`${title.get(moved!)} moved to rank ${to + 1} of ${ids.length}`);
    // The moved item keeps the focus, so repeated moves go on from it.
    if (focus) {
      requestAnimationFrame(() =>
        list.current?.querySelector<HTMLElement>(`[data-reply="${CSS.escape(moved!)}"]`)?.focus(),
      );
    }
  };

  const onKey = (e: KeyboardEvent<HTMLLIElement>, at: number) => {
    if (e.target !== e.currentTarget) return;
    const up = (e.altKey && e.key === 'ArrowUp') || e.key === '[';
    const down = (e.altKey && e.key === 'ArrowDown') || e.key === ']';
    const digit = !e.altKey && !e.ctrlKey && !e.metaKey && /^[1-9]$/.test(e.key) ? Number(e.key) : 0;
    if (up) move(at, at - 1);
    else if (down) move(at, at + 1);
    else if (digit >= 1 && digit <= ids.length) move(at, digit - 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const to = at + (e.key === 'ArrowUp' ? -1 : 1);
      list.current?.querySelectorAll<HTMLElement>('li')[to]?.focus();
    } else return;
    // Handled here: the editor's own keys (digits pick a reply) must not see it.
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className={`q mmc-ranking${props.missing ? ' q-missing' : ''}`}>
      <span className="q-name" id={`${id}-name`}>
        {props.name}
        {props.required && (
          <span className="q-required" title="required">
            {' '}
            *<span className="visually-hidden">required</span>
          </span>
        )}
      </span>
      <ol ref={list} className="rank-list" aria-labelledby={`${id}-name`} aria-describedby={`${id}-help`}>
        {ids.map((rid, at) => {
          const t = title.get(rid) ?? rid;
          const rank = ranked ? `rank ${at + 1}` : 'not ranked yet';
          return (
            <li
              key={rid}
              data-reply={rid}
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a list item the keyboard moves
              tabIndex={0}
              aria-label={`${t}, ${rank}`}
              className={`rank-item${dragging === rid ? ' dragging' : ''}${ranked ? '' : ' unranked'}`}
              draggable={!readOnly}
              onKeyDown={(e) => onKey(e, at)}
              onDragStart={(e) => {
                e.dataTransfer.setData('text/plain', rid);
                e.dataTransfer.effectAllowed = 'move';
                setDragging(rid);
              }}
              onDragEnd={() => setDragging(null)}
              onDragOver={(e) => {
                if (dragging !== null) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                const from = ids.indexOf(dragging ?? e.dataTransfer.getData('text/plain'));
                setDragging(null);
                if (from >= 0 && from !== at) move(from, at, false);
              }}
            >
              <span className="rank-number" aria-hidden="true">
                {ranked ? at + 1 : '–'}
              </span>
              <span className="rank-title" aria-hidden="true">
                {t}
              </span>
              {!readOnly && (
                <span className="rank-buttons">
                  <button
                    type="button"
                    className="btn-icon"
                    tabIndex={-1}
                    aria-label={`Move ${t} up`}
                    disabled={at === 0}
                    onClick={() => move(at, at - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn-icon"
                    tabIndex={-1}
                    aria-label={`Move ${t} down`}
                    disabled={at === ids.length - 1}
                    onClick={() => move(at, at + 1)}
                  >
                    ↓
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {!ranked && !readOnly && (
        <button type="button" className="btn-link" onClick={() => props.onChange?.(ids)}>
          Keep this order
        </button>
      )}
      <span className="rank-help" id={`${id}-help`}>
        {readOnly
          ? ranked
            ? 'Best first.'
            : 'Not ranked.'
          : 'Best first. Focus a reply: Alt+↑/↓ moves it, a digit gives its rank; or drag it.'}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {said}
      </span>
      {props.missing && (
        <span className="q-error" role="alert">
          Rank the replies to submit.
        </span>
      )}
    </div>
  );
}
