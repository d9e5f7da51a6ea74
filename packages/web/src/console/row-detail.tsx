/**
 * One data row of a project, read-only: the conversation and responses as the editor shows them
 * (model names hidden, original order), then its labels with their answers and reviews, its
 * workflow history and its comments. Read from the project's export stream of this one row.
 */
import type { Project } from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { client } from '../api/client.ts';
import { Comments } from '../editor/comments.tsx';
import { parseConversation } from '../editor/conversation.ts';
import { Outputs } from '../editor/outputs.tsx';
import { Transcript } from '../editor/transcript.tsx';
import '../editor/editor.css';
import { formatSeconds } from '../editor/clock.tsx';
import { ErrorState, Skeleton } from '../ui/states.tsx';
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
  const q = useQuery({
    queryKey: ['row-detail', project.id, dataRowId],
    queryFn: () => exportedRow(project.id, dataRowId),
  });
  const back = (
    <Link to={`/console/projects/${project.id}/rows`} className="btn-link">
      ← All rows
    </Link>
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
          {'error' in conversation ? (
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
    </div>
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
