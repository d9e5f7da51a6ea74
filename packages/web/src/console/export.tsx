/**
 * Exports of a project: a form with every param and filter of export v2 (dates with a time zone,
 * lists), the same request as a CLI line and as Python to copy, the V1 label export, and the
 * project's tasks, live, with progress, size, lines, SHA-256 and downloads.
 */
import type { ExportTask, Project } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { client } from '../api/client.ts';
import { describeError, EmptyState, ErrorState, Skeleton } from '../ui/states.tsx';
import { Copy } from './copy.tsx';
import { collect, formatBytes, formatInt, formatTime } from './data.ts';
import {
  cliLine,
  EXPORT_PARAM_KEYS,
  type ExportForm,
  emptyForm,
  pythonSnippet,
  requestOf,
} from './export-request.ts';
import { ProjectPage } from './project-frame.tsx';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const DATE_HINT = 'YYYY-MM-DD, YYYY-MM-DD hh:mm:ss or ISO with an offset';

export function ExportScreen() {
  return <ProjectPage wide>{(p) => <Exports project={p} />}</ProjectPage>;
}

function Exports({ project }: { project: Project }) {
  return (
    <div className="export-grid">
      <div>
        <ExportV2Form project={project} />
        <LabelExportForm project={project} />
      </div>
      <Tasks project={project} />
    </div>
  );
}

function ExportV2Form({ project }: { project: Project }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<ExportForm>(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const batches = useQuery({ queryKey: ['batches', project.id], queryFn: () => collect(project.batches()) });
  const set = <K extends keyof ExportForm>(key: K, value: ExportForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const origin = window.location.origin;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await project.exportV2(requestOf(form));
      await qc.invalidateQueries({ queryKey: ['export-tasks', project.id] });
    } catch (err) {
      setError(describeError(err).title);
    } finally {
      setBusy(false);
    }
  };
  const dates = (label: string, key: 'lastActivity' | 'labelCreated') => (
    <fieldset className="field">
      <legend>{label}</legend>
      <div className="field-row">
        {(['from', 'to'] as const).map((side, i) => (
          <label key={side} className="field">
            {side === 'from' ? 'From' : 'To (inclusive)'}
            <input
              type="text"
              placeholder={i === 0 ? '2026-01-01' : '2026-12-31 23:59:59'}
              title={DATE_HINT}
              value={form[key][i]}
              onChange={(e) => {
                const next = [...form[key]] as [string, string];
                next[i] = e.target.value;
                set(key, next);
              }}
            />
          </label>
        ))}
      </div>
    </fieldset>
  );
  return (
    <form className="card form-card" onSubmit={(e) => void submit(e)} aria-label="Export v2">
      <h2>Export v2</h2>
      <fieldset className="field">
        <legend>Params</legend>
        <div className="checks">
          {EXPORT_PARAM_KEYS.map((k) => (
            <label key={k} className="choice">
              <input
                type="checkbox"
                checked={form.params[k]}
                onChange={(e) => set('params', { ...form.params, [k]: e.target.checked })}
              />
              <span className="mono">{k}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {dates('last_activity_at', 'lastActivity')}
      {dates('label_created_at', 'labelCreated')}
      <div className="field-row">
        <label className="field">
          Time zone of dates without an offset
          <input
            type="text"
            placeholder="UTC"
            value={form.timezone}
            onChange={(e) => set('timezone', e.target.value)}
          />
        </label>
        {form.timezone !== browserZone && (
          <button type="button" className="btn-link" onClick={() => set('timezone', browserZone)}>
            Use {browserZone}
          </button>
        )}
      </div>
      <label className="field">
        data_row_ids (one per line or comma-separated, at most 2,000)
        <textarea
          rows={2}
          className="mono"
          value={form.dataRowIds}
          onChange={(e) => set('dataRowIds', e.target.value)}
        />
      </label>
      <label className="field">
        global_keys
        <textarea
          rows={2}
          className="mono"
          value={form.globalKeys}
          onChange={(e) => set('globalKeys', e.target.value)}
        />
      </label>
      <fieldset className="field">
        <legend>batch_ids</legend>
        {batches.data?.length === 0 && <span className="muted">No batches.</span>}
        <div className="checks">
          {batches.data?.map((b) => (
            <label key={b.id} className="choice">
              <input
                type="checkbox"
                checked={form.batchIds.includes(b.id)}
                onChange={(e) =>
                  set(
                    'batchIds',
                    e.target.checked ? [...form.batchIds, b.id] : form.batchIds.filter((x) => x !== b.id),
                  )
                }
              />
              {b.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field-row">
        <label className="field">
          workflow_status
          <select
            aria-label="workflow_status"
            value={form.workflowStatus}
            onChange={(e) => set('workflowStatus', e.target.value as ExportForm['workflowStatus'])}
          >
            <option value="">Any</option>
            {(['ToLabel', 'InReview', 'InRework', 'Done'] as const).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Task name
          <input type="text" value={form.taskName} onChange={(e) => set('taskName', e.target.value)} />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Start export
        </button>
        <button type="button" className="btn-link" onClick={() => setForm(emptyForm())}>
          Reset
        </button>
      </div>
      <Snippet title="The same export from the command line" text={cliLine(form, project.id, origin)} />
      <Snippet
        title="The same export with the Labelbox Python SDK"
        text={pythonSnippet(form, project.id, origin)}
      />
    </form>
  );
}

function Snippet({ title, text }: { title: string; text: string }) {
  return (
    <div className="snippet">
      <div className="snippet-head">
        <span>{title}</span>
        <Copy text={text} />
      </div>
      <pre>
        <code>{text}</code>
      </pre>
    </div>
  );
}

function LabelExportForm({ project }: { project: Project }) {
  const qc = useQueryClient();
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [timezone, setTimezone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await project.startLabelExport({
        ...(start.trim() ? { start: start.trim() } : {}),
        ...(end.trim() ? { end: end.trim() } : {}),
        ...(timezone.trim() ? { timezone: timezone.trim() } : {}),
      });
      await qc.invalidateQueries({ queryKey: ['export-tasks', project.id] });
    } catch (err) {
      setError(describeError(err).title);
    }
  };
  return (
    <form className="card form-card" onSubmit={(e) => void submit(e)} aria-label="V1 label export">
      <h2>V1 label export</h2>
      <p className="muted">One JSON array, one object per label (Labelbox's legacy export_labels).</p>
      <div className="field-row">
        <label className="field">
          Labels created from
          <input
            type="text"
            placeholder="2026-01-01"
            title={DATE_HINT}
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <label className="field">
          to (inclusive)
          <input
            type="text"
            placeholder="2026-12-31"
            title={DATE_HINT}
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        </label>
        <label className="field">
          Time zone
          <input
            type="text"
            placeholder="UTC"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
          />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn">
        Start V1 export
      </button>
    </form>
  );
}

function Tasks({ project }: { project: Project }) {
  const tasks = useQuery({
    queryKey: ['export-tasks', project.id],
    queryFn: () => collect(project.exportTasks({ pageSize: 50 }), 50),
    // Fast while a task runs, calm otherwise.
    refetchInterval: (q) => (q.state.data?.some((t) => t.status === 'IN_PROGRESS') ? 1000 : 10_000),
  });
  return (
    <section aria-label="Export tasks">
      <h2>Tasks</h2>
      {tasks.isPending && <Skeleton lines={4} />}
      {tasks.isError && <ErrorState error={tasks.error} retry={() => tasks.refetch()} />}
      {tasks.data?.length === 0 && <EmptyState title="No exports yet" />}
      <ul className="tasks">
        {tasks.data?.map((t) => (
          <TaskItem key={t.id} task={t} />
        ))}
      </ul>
    </section>
  );
}

/** What a task is, as the list names it (the server names its files: Content-Disposition). */
const TASK_KINDS: Record<string, string> = {
  'export-data-rows': 'export v2',
  'export-labels': 'V1 labels',
  'training-conversion': 'training data',
  'training-stats': 'analytics',
};

function TaskItem({ task }: { task: ExportTask }) {
  const done = task.status === 'COMPLETE';
  const file = (stream: 'result' | 'errors') => {
    if (!done) return null;
    const bytes = task.getTotalFileSize(stream);
    if (bytes === null) return <span className="muted">{stream}: empty</span>;
    const sha = task.getSha256(stream);
    return (
      <div className="task-file">
        {task.filesDeleted ? (
          <span className="muted">{stream}: deleted by retention</span>
        ) : (
          <a
            className="btn"
            href={client.url(`/export-tasks/${encodeURIComponent(task.id)}/${stream}`)}
            download
          >
            Download {stream}
          </a>
        )}
        <span className="muted">
          {formatBytes(bytes)} · {formatInt(task.getTotalLines(stream) ?? 0)} lines
        </span>
        {sha && (
          <span className="sha mono" title={`SHA-256 ${sha}`}>
            sha256 {sha.slice(0, 12)}…
          </span>
        )}
        {sha && <Copy text={sha} label="Copy SHA-256" />}
      </div>
    );
  };
  const percent = task.completionPercentage ?? 0;
  return (
    <li className="task card">
      <div className="task-head">
        <strong>{task.name ?? task.id}</strong>
        <span className="muted">{TASK_KINDS[task.type ?? ''] ?? task.type}</span>
        <span className={`chip chip-task-${task.status}`}>{task.status}</span>
      </div>
      <div className="muted">
        {task.id} · {formatTime(task.createdAt)}
      </div>
      {task.status === 'IN_PROGRESS' && (
        <progress max={100} value={percent} aria-label={`Progress of ${task.name ?? task.id}`} />
      )}
      {task.status === 'FAILED' && <p className="form-error">{task.failureReason}</p>}
      {file('result')}
      {file('errors')}
    </li>
  );
}
