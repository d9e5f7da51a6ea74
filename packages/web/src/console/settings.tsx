/**
 * A project's settings: name, description, the labelers' instructions (markdown), labels per
 * row; archive (read-only, out of the queues, still exportable) or unarchive; delete after
 * typing the project's name (restorable within the server's retention window).
 */
import type { Project } from '@prefer/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { client } from '../api/client.ts';
import { describeError } from '../ui/states.tsx';
import { ProjectPage } from './project-frame.tsx';

export function SettingsScreen() {
  return <ProjectPage>{(p) => <Settings project={p} />}</ProjectPage>;
}

function Settings({ project }: { project: Project }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? '');
  const [instructions, setInstructions] = useState(project.instructions ?? '');
  const [consensus, setConsensus] = useState(project.consensusExpectedLabelCount);
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['project', project.id] });
    await qc.invalidateQueries({ queryKey: ['projects'] });
  };
  const run = async (what: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await what();
      setMessage({ ok: true, text: done });
      await refresh();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err).title });
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(
      () =>
        client.updateProject(project.id, {
          name: name.trim(),
          description: description.trim() || null,
          instructions: instructions.trim() || null,
          consensusExpectedLabelCount: consensus,
        }),
      'Saved.',
    );
  };
  const remove = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      await client.deleteProject(project.id);
      await qc.invalidateQueries({ queryKey: ['projects'] });
      navigate('/console', { state: { deleted: { id: project.id, name: project.name } } });
    } catch (err) {
      setMessage({ ok: false, text: describeError(err).title });
    }
  };
  const archived = project.archivedAt !== null;
  return (
    <div className="settings">
      <form className="card form-card" onSubmit={save} aria-label="Project settings">
        <h2>Settings</h2>
        <label className="field">
          Project name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="field">
          Description
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="field">
          Instructions for labelers (markdown, shown in the editor)
          <textarea rows={8} value={instructions} onChange={(e) => setInstructions(e.target.value)} />
        </label>
        <label className="field field-narrow">
          Labels per row (consensus)
          <input
            type="number"
            min={1}
            max={10}
            value={consensus}
            onChange={(e) => setConsensus(Number(e.target.value))}
          />
        </label>
        <button type="submit" className="btn btn-primary">
          Save settings
        </button>
        {message && (
          <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </form>
      <section className="card form-card" aria-label="Archive">
        <h2>{archived ? 'Archived' : 'Archive'}</h2>
        <p className="muted">
          {archived
            ? `Archived ${project.archivedAt?.toLocaleString()}: read-only and out of every queue; exports still work.`
            : 'An archived project is read-only and out of every queue; exports still work.'}
        </p>
        <button
          type="button"
          className="btn"
          onClick={() =>
            void run(
              () => (archived ? client.unarchiveProject(project.id) : client.archiveProject(project.id)),
              archived ? 'Unarchived.' : 'Archived.',
            )
          }
        >
          {archived ? 'Unarchive project' : 'Archive project'}
        </button>
      </section>
      <form
        className="card form-card danger-zone"
        onSubmit={(e) => void remove(e)}
        aria-label="Delete project"
      >
        <h2>Delete project</h2>
        <p>
          Deletes the project with its batches, labels, reviews and comments. It can be restored until the
          server's retention window ends; then it is purged for good. The data rows stay in their datasets.
        </p>
        <label className="field">
          Type the project's name to confirm
          <input
            type="text"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            autoComplete="off"
          />
        </label>
        <button type="submit" className="btn btn-danger" disabled={confirm !== project.name}>
          Delete project
        </button>
      </form>
    </div>
  );
}
