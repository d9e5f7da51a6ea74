/** Email and password against `POST /auth/login`; the session cookie does the rest. */
import { ApiLimitError, AuthenticationError } from '@prefer/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { client } from '../api/client.ts';
import { SESSION_KEY } from '../api/session.tsx';
import { describeError } from '../ui/states.tsx';

export function SignInScreen() {
  const qc = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await client.login(String(form.get('email')), String(form.get('password')));
      await qc.invalidateQueries({ queryKey: SESSION_KEY });
    } catch (err) {
      if (err instanceof AuthenticationError) setError('The email or the password is wrong.');
      else if (err instanceof ApiLimitError)
        setError(`Too many attempts: try again in ${err.retryAfterSeconds ?? 60} seconds.`);
      else setError(describeError(err).title);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="center-card card">
      <h1>Sign in to prefer</h1>
      <form onSubmit={onSubmit}>
        <label className="field">
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label className="field">
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
