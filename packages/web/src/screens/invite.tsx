/**
 * `/invite/:token`: the page an invite link opens, signed in or not. It shows whom the link is
 * for, takes a new password and signs the person in. A link that is used, expired, withdrawn or
 * unknown gets one message (the server says no more).
 */
import { ResourceNotFoundError, ValidationError } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { client } from '../api/client.ts';
import { restartSession } from '../api/session.tsx';
import { describeError, ErrorState, Skeleton } from '../ui/states.tsx';

const NOT_VALID =
  'This invite link is not valid: it was already used, it expired or it was withdrawn. Ask the person who invited you for a new one.';

export function InviteScreen() {
  const { token = '' } = useParams();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const invite = useQuery({
    queryKey: ['invite', token],
    queryFn: () => client.lookupInvite(token),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('again'))) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await client.acceptInvite(token, password);
      // Whatever session this browser had is replaced: start from a clean cache.
      restartSession(qc);
      await navigate('/', { replace: true });
    } catch (err) {
      setError(
        err instanceof ResourceNotFoundError
          ? NOT_VALID
          : err instanceof ValidationError
            ? err.message
            : describeError(err).title,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="center-card card">
      <h1>Join prefer</h1>
      {invite.isPending && <Skeleton lines={3} />}
      {invite.isError && <ErrorState error={invite.error} retry={() => invite.refetch()} />}
      {invite.data === null && (
        <div role="alert">
          <p>{NOT_VALID}</p>
          <p>
            <Link to="/">Sign in</Link> if you already have a password.
          </p>
        </div>
      )}
      {invite.data && (
        <form onSubmit={onSubmit} aria-label="Set your password">
          <p>
            Choose a password for <strong>{invite.data.email}</strong>. You will use it with this email to
            sign in.
          </p>
          <label className="field">
            New password (12 characters or more)
            <input name="password" type="password" autoComplete="new-password" minLength={12} required />
          </label>
          <label className="field">
            The same password again
            <input name="again" type="password" autoComplete="new-password" required />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Set password and sign in
          </button>
        </form>
      )}
    </main>
  );
}
