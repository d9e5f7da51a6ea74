/** A row's comments, read and added in the editor. Text only: shown as text, never as HTML. */
import type { Comment, Project } from '@prefer/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { describeError } from '../ui/states.tsx';

async function listComments(project: Project, rowId: string): Promise<Comment[]> {
  const out: Comment[] = [];
  for await (const c of project.comments(rowId)) out.push(c);
  return out;
}

export function Comments({ project, rowId }: { project: Project; rowId: string }) {
  const qc = useQueryClient();
  const key = ['comments', project.id, rowId];
  const list = useQuery({ queryKey: key, queryFn: () => listComments(project, rowId) });
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: (t: string) => project.addComment(rowId, t),
    onSuccess: () => {
      setText('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) add.mutate(text.trim());
  };
  return (
    <details className="comments">
      <summary>Comments{list.data ? ` (${list.data.length})` : ''}</summary>
      {list.isError && <p className="form-error">{describeError(list.error).title}</p>}
      <ul>
        {list.data?.map((c) => (
          <li key={c.id}>
            <span className="comment-author">{c.authorEmail}</span>{' '}
            <time dateTime={c.createdAt.toISOString()}>{c.createdAt.toLocaleString()}</time>
            <p>{c.text}</p>
          </li>
        ))}
      </ul>
      <form onSubmit={onSubmit}>
        <label className="visually-hidden" htmlFor={`comment-${rowId}`}>
          Add a comment
        </label>
        <textarea
          id={`comment-${rowId}`}
          rows={2}
          placeholder="Add a comment"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur();
          }}
        />
        {add.isError && <p className="form-error">{describeError(add.error).title}</p>}
        <button type="submit" className="btn" disabled={add.isPending}>
          Comment
        </button>
      </form>
    </details>
  );
}
