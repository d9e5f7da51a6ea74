/** Change one's password (the server checks the current one and the length rule). */
import { AuthorizationError, ValidationError } from '@prefer/sdk';
import { type FormEvent, useState } from 'react';
import { client } from '../api/client.ts';
import { useMe } from '../api/session.tsx';
import { describeError } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';

export function AccountScreen() {
  const me = useMe();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    try {
      await client.changePassword(String(form.get('current')), String(form.get('next')));
      formEl.reset();
      setMessage({ ok: true, text: 'Password changed. Your other sessions were signed out.' });
    } catch (err) {
      const text =
        err instanceof AuthorizationError
          ? 'The current password is wrong.'
          : err instanceof ValidationError
            ? err.message
            : describeError(err).title;
      setMessage({ ok: false, text });
    }
  }

  return (
    <>
      <TopBar title="Account" />
      <main className="page">
        <div className="card" style={{ maxWidth: 420 }}>
          <h1>{me.user.email}</h1>
          <h2>Change password</h2>
          <form onSubmit={onSubmit}>
            <label className="field">
              Current password
              <input name="current" type="password" autoComplete="current-password" required />
            </label>
            <label className="field">
              New password (12 characters or more)
              <input name="next" type="password" autoComplete="new-password" required />
            </label>
            {message && (
              <p className={message.ok ? '' : 'form-error'} role="status">
                {message.text}
              </p>
            )}
            <button type="submit" className="btn btn-primary">
              Change password
            </button>
          </form>
        </div>
      </main>
    </>
  );
}
