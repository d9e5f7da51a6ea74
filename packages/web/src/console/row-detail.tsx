/**
 * One data row of a project, read-only: the conversation and responses as the editor shows them
 * (model names hidden, original order), then its labels with their answers and reviews, its
 * workflow history and its comments. Read from the project's export stream of this one row.
 * Below, apart, an admin's erasure of the row (a personal-data request), confirmed by typing its
 * global key.
 */
import type { Project } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { client } from '../api/client.ts';
import { useMe } from '../api/session.tsx';
import { Comments } from '../editor/comments.tsx';
import { parseConversation } from '../editor/conversation.ts';
import { parseThread } from '../editor/mmc/thread.ts';
import { ThreadTranscript } from '../editor/mmc/thread-transcript.tsx';
import { Outputs } from '../editor/outputs.tsx';
import { Transcript } from '../editor/transcript.tsx';
import '../editor/editor.css';
import { formatSeconds } from '../editor/clock.tsx';
import { describeError, ErrorState, Skeleton } from '../ui/states.tsx';
import { formatTime } from './data.ts';
import { ProjectPage } from './project-frame.tsx';

const when = (iso: string | undefined) => (iso ? formatTime(new Date(iso)) : '');

interface ExportedLabel {
  id: string;
  label_details?: {
    created_at: string;
    created_by: string;
    reviews?: { id: string; score: number; created_at: string; created_by: string }[];
  };
  performance_details?: { seconds_to_create: number | null; skipped: boolean };
  annotations: { classifications: Classification[] };
}
interface Classification {
  name: string;
  radio_answer?: { name: string; classifications?: Classification[] };
  checklist_answers?: { name: string; classifications?: Classification[] }[];
  text_answer?: { content: string };
  message_id?: string;
}
interface ExportedRow {
  data_row: { id: string; global_key?: string | null; row_data: string };
  projects: Record<
    string,
    {
      labels: ExportedLabel[];
      project_details?: {
        workflow_status: string;
        batch_name?: string;
        workflow_history?: {
          action: string;
          created_at: string;
          created_by: string;
          previous_task_name?: string | null;
          next_task_name?: string;
        }[];
      };
    }
  >;
}

async function exportedRow(projectId: string, dataRowId: string): Promise<ExportedRow | null> {
  const res = await client.request('POST', `/projects/${encodeURIComponent(projectId)}/exports/stream`, {
    body: {
      params: { label_details: true, performance_details: true, project_details: true },
      filters: { data_row_ids: [dataRowId] },
    },
  });
  const line = (await res.text()).split('\n').find((l) => l.trim() !== '');
  return line ? (JSON.parse(line) as ExportedRow) : null;
}

export function RowDetailScreen() {
  return <ProjectPage wide>{(p) => <RowDetail project={p} />}</ProjectPage>;
}

function RowDetail({ project }: { project: Project }) {
  const { dataRowId = '' } = useParams();
  const [erased, setErased] = useState<{ key: string; rows: number } | null>(null);
  const q = useQuery({
    queryKey: ['row-detail', project.id, dataRowId],
    queryFn: () => exportedRow(project.id, dataRowId),
  });
  const back = (
    <Link to={`/console/projects/${project.id}/rows`} className="btn-link">
      ← All rows
    </Link>
  );
  if (erased)
    return (
      <div className="state" role="status">
        <h2>
          Data row <span className="mono">{erased.key}</span> was erased
        </h2>
        <p>
          {erased.rows} database rows were removed. The audit log records who erased it and when, not its
          content.
        </p>
        {back}
      </div>
    );
  if (q.isPending) return <Skeleton lines={10} />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} />;
  if (!q.data)
    return (
      <div className="state state-empty">
        <h2>This row is not in the project</h2>
        {back}
      </div>
    );
  const row = q.data;
  const inProject = row.projects[project.id];
  const details = inProject?.project_details;
  // A v2 (multimodal chat) row is a message graph; anything else is read as a v1 conversation.
  const thread = parseThread(row.data_row.row_data);
  const conversation = parseConversation(row.data_row.row_data);
  return (
    <div className="row-detail">
      <div className="page-head">
        {back}
        <h2 className="cell-key">{row.data_row.global_key ?? row.data_row.id}</h2>
        {details && <span className="chip">{details.workflow_status}</span>}
        {details?.batch_name && <span className="muted">batch {details.batch_name}</span>}
      </div>
      <div className="row-detail-grid">
        <section aria-label="Row data" className="card">
          {thread !== null ? (
            'error' in thread ? (
              <p>{thread.error}</p>
            ) : (
              <ThreadTranscript thread={thread} />
            )
          ) : 'error' in conversation ? (
            <p>{conversation.error}</p>
          ) : (
            <>
              <Transcript conversation={conversation} />
              <Outputs
                conversation={conversation}
                order={conversation.modelOutputs.map((o) => o.title)}
                stacked
                showDiff={false}
              />
            </>
          )}
        </section>
        <div className="side">
          <section className="card" aria-label="Labels">
            <h2>Labels ({inProject?.labels.length ?? 0})</h2>
            {inProject?.labels.length === 0 && <p className="muted">No labels yet.</p>}
            {inProject?.labels.map((l) => (
              <article key={l.id} className="label-card">
                <div className="muted">
                  {l.label_details?.created_by} · {when(l.label_details?.created_at)}
                  {l.performance_details?.seconds_to_create != null &&
                    ` · ${formatSeconds(l.performance_details.seconds_to_create)}`}
                  {l.performance_details?.skipped && ' · skipped'}
                </div>
                <Answers items={l.annotations.classifications} />
                {(l.label_details?.reviews ?? []).map((r) => (
                  <div key={r.id} className={r.score < 0 ? 'review-line rejected' : 'review-line'}>
                    {r.score < 0 ? 'Rejected' : 'Approved'} by {r.created_by} · {when(r.created_at)}
                  </div>
                ))}
              </article>
            ))}
          </section>
          <section className="card" aria-label="History">
            <h2>History</h2>
            <ol className="history">
              {(details?.workflow_history ?? []).map((h) => (
                <li key={`${h.created_at}-${h.action}-${h.next_task_name}`}>
                  <span>{h.action}</span>{' '}
                  <span className="muted">
                    {h.previous_task_name ? `${h.previous_task_name} → ` : ''}
                    {h.next_task_name} · {h.created_by} · {when(h.created_at)}
                  </span>
                </li>
              ))}
            </ol>
          </section>
          <section className="card" aria-label="Comments">
            <Comments project={project} rowId={row.data_row.id} />
          </section>
        </div>
      </div>
      <EraseRow id={row.data_row.id} globalKey={row.data_row.global_key ?? null} onErased={setErased} />
    </div>
  );
}

/**
 * Erasure: the row, its labels, reviews, comments and history in every project go at once, with
 * no trash to restore from (organization admins only; the server refuses anyone else).
 */
function EraseRow(props: {
  id: string;
  globalKey: string | null;
  onErased: (e: { key: string; rows: number }) => void;
}) {
  const me = useMe();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = props.globalKey ?? props.id;
  if (me.user.role !== 'admin') return null;
  const erase = async (e: FormEvent) => {
    e.preventDefault();
    if (confirm !== key) return;
    setBusy(true);
    setError(null);
    try {
      const result = await client.deleteDataRow(props.id, { erase: true });
      props.onErased({ key, rows: result.rows });
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'row-detail' });
    } catch (err) {
      setError(describeError(err).title);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="card form-card danger-zone erase-row"
      onSubmit={(e) => void erase(e)}
      aria-label="Erase data row"
    >
      <h2>Erase this data row</h2>
      <p>
        For a personal-data request: removes the row, with its labels, reviews, comments and history in every
        project, at once. Nothing goes to the trash and <strong>it cannot be undone</strong>; finished export
        files of its projects are deleted too. The audit log keeps who erased it and when, never its content.
      </p>
      <label className="field">
        {/* One flex item: the field's label stays one line of text. */}
        <span>
          Type the row's global key <span className="mono">{key}</span> to confirm
        </span>
        <input type="text" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-danger" disabled={confirm !== key || busy}>
        Erase data row
      </button>
    </form>
  );
}

function Answers({ items }: { items: Classification[] }) {
  return (
    <dl className="answers">
      {items.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: answers of one label, in order
        <div key={i}>
          <dt>
            {c.name}
            {c.message_id ? ` (${c.message_id})` : ''}
          </dt>
          <dd>
            {c.radio_answer?.name}
            {c.checklist_answers?.map((a) => a.name).join(', ')}
            {c.text_answer?.content}
          </dd>
        </div>
      ))}
    </dl>
  );
}
