/**
 * People of the organization: the users (admins invite them by a one-time link or a password
 * shown once, disable and enable them) and the
 * caller's API keys (a new key is shown once; revoke).
 */
import type { CreatedApiKey } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { client } from '../api/client.ts';
import { useMe } from '../api/session.tsx';
import { describeError, ErrorState, Skeleton } from '../ui/states.tsx';
import { Copy } from './copy.tsx';
import { collect, formatTime } from './data.ts';
import { ConsoleFrame } from './frame.tsx';

export function PeopleScreen() {
  const me = useMe();
  return (
    <ConsoleFrame title="People">
      <h1>People</h1>
      <div className="two-col">
        <Users />
        {me.user.role === 'admin' && <Invite />}
      </div>
      <ApiKeys />
    </ConsoleFrame>
  );
}

function Users() {
  const me = useMe();
  const qc = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => collect(client.getUsers()) });
  const [error, setError] = useState<string | null>(null);
  const toggle = async (id: string, disabled: boolean) => {
    setError(null);
    try {
      await client.updateUser(id, { disabled });
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setError(describeError(err).title);
    }
  };
  return (
    <section>
      <h2>Users</h2>
      {users.isPending && <Skeleton lines={4} />}
      {users.isError && <ErrorState error={users.error} retry={() => users.refetch()} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {users.data && (
        <table className="list stack">
          <thead>
            <tr>
              <th>Person</th>
              <th>Role</th>
              <th>State</th>
              {me.user.role === 'admin' && (
                <th className="actions-cell">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>
                  <div>{u.name || u.email}</div>
                  <div className="muted">{u.email}</div>
                </td>
                <td data-label="Role">{u.role}</td>
                <td data-label="State">
                  {u.disabled ? 'disabled' : u.hasPassword ? 'active' : 'no password'}
                </td>
                {me.user.role === 'admin' && (
                  <td className="actions-cell">
                    {u.id !== me.user.id && (
                      <button
                        type="button"
                        className={u.disabled ? 'btn' : 'btn btn-danger'}
                        aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                        onClick={() => void toggle(u.id, !u.disabled)}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 20 random characters from an alphabet without look-alikes: about 115 bits. */
function newPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

type Made = { email: string; kind: 'password' | 'link'; secret: string; expiresAt?: Date };

function Invite() {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [admin, setAdmin] = useState(false);
  const [how, setHow] = useState<'link' | 'password'>('link');
  const [made, setMade] = useState<Made | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setMade(null);
    const input = {
      email: email.trim(),
      name: name.trim(),
      role: admin ? ('admin' as const) : ('member' as const),
    };
    try {
      if (how === 'link') {
        const invited = await client.inviteUser(input);
        setMade({
          email: invited.user.email,
          kind: 'link',
          secret: invited.inviteUrl,
          expiresAt: invited.inviteExpiresAt,
        });
      } else {
        const password = newPassword();
        const user = await client.createUser({ ...input, password });
        setMade({ email: user.email, kind: 'password', secret: password });
      }
      setEmail('');
      setName('');
      await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setError(describeError(err).title);
    }
  };
  return (
    <form className="card form-card" onSubmit={(e) => void submit(e)} aria-label="Invite a user">
      <h2>Invite a user</h2>
      <label className="field">
        Email
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label className="field">
        Name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="choice">
        <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} />
        Organization admin (every role in every project)
      </label>
      <fieldset className="field">
        <legend>How they sign in the first time</legend>
        <label className="choice">
          <input type="radio" name="invite-how" checked={how === 'link'} onChange={() => setHow('link')} />
          One-time link: they choose their password (valid 7 days)
        </label>
        <label className="choice">
          <input
            type="radio"
            name="invite-how"
            checked={how === 'password'}
            onChange={() => setHow('password')}
          />
          A password made here, shown once
        </label>
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary">
        Invite
      </button>
      {made?.kind === 'password' && (
        <div className="secret" role="status">
          <p>
            {made.email} can sign in with this password. It is shown this once: send it to them privately;
            they can change it under Account.
          </p>
          <code className="secret-value" data-testid="new-password">
            {made.secret}
          </code>
          <Copy text={made.secret} label="Copy password" />
        </div>
      )}
      {made?.kind === 'link' && (
        <div className="secret" role="status">
          <p>
            Send {made.email} this link privately. It is shown this once, works once, and ends{' '}
            {made.expiresAt ? formatTime(made.expiresAt) : 'in 7 days'}. Inviting them again replaces it;
            disabling them withdraws it.
          </p>
          <code className="secret-value" data-testid="invite-link">
            {made.secret}
          </code>
          <Copy text={made.secret} label="Copy link" />
        </div>
      )}
    </form>
  );
}

function ApiKeys() {
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => collect(client.getApiKeys()) });
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (what: () => Promise<unknown>) => {
    setError(null);
    try {
      await what();
      await qc.invalidateQueries({ queryKey: ['api-keys'] });
    } catch (err) {
      setError(describeError(err).title);
    }
  };
  return (
    <section className="keys">
      <h2>Your API keys</h2>
      <form
        className="inline-form"
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setCreated(await client.createApiKey({ name: name.trim(), expiresInDays: days }));
            setName('');
          });
        }}
      >
        <label className="field">
          Key name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="field">
          Expires in (days)
          <input
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
        <button type="submit" className="btn btn-primary">
          Create key
        </button>
      </form>
      {created && (
        <div className="secret" role="status">
          <p>
            The key {created.name}, shown this once (it acts as you until {formatTime(created.expiresAt)}):
          </p>
          <code className="secret-value" data-testid="new-api-key">
            {created.key}
          </code>
          <Copy text={created.key} label="Copy key" />
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {keys.isError && <ErrorState error={keys.error} retry={() => keys.refetch()} />}
      {keys.data && keys.data.length === 0 && <p className="muted">No API keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="list stack">
          <thead>
            <tr>
              <th>Name</th>
              <th>Key</th>
              <th>State</th>
              <th>Last used</th>
              <th className="actions-cell">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td data-label="Key" className="mono">
                  prefer_{k.prefix}_…
                </td>
                <td data-label="State">{k.state}</td>
                <td data-label="Last used">{k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}</td>
                <td className="actions-cell">
                  {k.state === 'active' && (
                    <button
                      type="button"
                      className="btn btn-danger"
                      aria-label={`Revoke ${k.name}`}
                      onClick={() => void run(() => client.revokeApiKey(k.id))}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
