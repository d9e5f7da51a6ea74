/** A modal asking for a reason (skip, reject): required, Ctrl+Enter or the button confirms. */
import { type FormEvent, useEffect, useRef, useState } from 'react';

export function ReasonDialog(props: {
  title: string;
  label: string;
  confirm: string;
  danger?: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (text.trim() === '') return setError(true);
    props.onConfirm(text.trim());
    ref.current?.close();
  };
  return (
    <dialog ref={ref} onClose={props.onClose} aria-labelledby="reason-title">
      <form onSubmit={submit}>
        <h2 id="reason-title">{props.title}</h2>
        <label className="field">
          {props.label}
          <textarea
            autoFocus
            rows={3}
            value={text}
            aria-invalid={error || undefined}
            onChange={(e) => {
              setText(e.target.value);
              setError(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
            }}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            A reason is required.
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" className={props.danger ? 'btn btn-danger' : 'btn btn-primary'}>
            {props.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
