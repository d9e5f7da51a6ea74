/** A project's members and their roles: add a user of the organization, change a role, remove. */
import type { Project, ProjectRole } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { client } from '../api/client.ts';
import { describeError, EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { collect } from './data.ts';
import { ProjectPage } from './project-frame.tsx';

const ROLES: ProjectRole[] = ['labeler', 'reviewer', 'manager'];

export function MembersScreen() {
  return <ProjectPage>{(p) => <Members project={p} />}</ProjectPage>;
}

function Members({ project }: { project: Project }) {
  const qc = useQueryClient();
  const key = ['members', project.id];
  const members = useQuery({ queryKey: key, queryFn: () => collect(project.getMembers()) });
  const users = useQuery({ queryKey: ['users'], queryFn: () => collect(client.getUsers()) });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ProjectRole>('labeler');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await what();
      await qc.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(describeError(err).title);
    } finally {
      setBusy(false);
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await project.addMember({ email: email.trim(), role });
      setEmail('');
    });
  };
  const candidates = users.data?.filter((u) => !u.disabled && !members.data?.some((m) => m.userId === u.id));
  return (
    <div className="two-col">
      <section>
        <h2>Members</h2>
        {members.isPending && <Skeleton lines={4} />}
        {members.isError && <ErrorState error={members.error} retry={() => members.refetch()} />}
        {members.data?.length === 0 && <EmptyState title="Nobody is in this project yet" />}
        {members.data && members.data.length > 0 && (
          <table className="list stack">
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                <th className="actions-cell">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <tr key={m.userId}>
                  <td>
                    <div>{m.name || m.email}</div>
                    <div className="muted">
                      {m.email}
                      {m.orgRole === 'admin' ? ' · organization admin' : ''}
                    </div>
                  </td>
                  <td data-label="Role">
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={busy}
                      onChange={(e) =>
                        void run(() => project.updateMember(m.userId, e.target.value as ProjectRole))
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="btn btn-danger"
                      disabled={busy}
                      aria-label={`Remove ${m.email}`}
                      onClick={() => void run(() => project.removeMember(m.userId))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form className="card form-card" onSubmit={add} aria-label="Add a member">
        <h2>Add a member</h2>
        <label className="field">
          Email
          <input
            type="email"
            list="org-users"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoComplete="off"
          />
          <datalist id="org-users">
            {candidates?.map((u) => (
              <option key={u.id} value={u.email}>
                {u.name}
              </option>
            ))}
          </datalist>
        </label>
        <label className="field">
          Role
          <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Add member
        </button>
        <p className="muted">
          Someone new? <Link to="/console/people">Invite them</Link> first.
        </p>
      </form>
    </div>
  );
}
