/**
 * Rework: the labeler's rejected labels with the reviewer's reason; one opens in the editor with
 * its answers, to fix and submit again.
 */
import type { Label, ReworkLabel } from '@prefer/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type ProjectContext, useProjectContext } from '../api/project.ts';
import { useMe } from '../api/session.tsx';
import { fromStored } from '../editor/answers.ts';
import { fromStoredObjects } from '../editor/mmc/tools.ts';
import { RowEditor } from '../editor/row-editor.tsx';
import { EmptyState, ErrorState, PageSkeleton, Skeleton } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';

export default function ReworkScreen() {
  const { projectId = '', labelId } = useParams();
  const ctx = useProjectContext(projectId);
  if (ctx.isPending) return <PageSkeleton />;
  if (ctx.isError) return <ErrorState error={ctx.error} retry={() => ctx.refetch()} />;
  return labelId ? (
    <ReworkEditor key={labelId} ctx={ctx.data} labelId={labelId} />
  ) : (
    <ReworkList ctx={ctx.data} />
  );
}

const lastReason = (l: Label & { rejection?: { reason: string | null } | null }) =>
  l.rejection?.reason ?? l.reviews.filter((r) => r.decision === 'reject').at(-1)?.reason ?? '';

function useReworkLabels(ctx: ProjectContext) {
  return useQuery({
    queryKey: ['rework', ctx.project.id],
    queryFn: async () => {
      const out: ReworkLabel[] = [];
      for await (const l of ctx.project.reworkLabels()) out.push(l);
      return out;
    },
  });
}

function ReworkList({ ctx }: { ctx: ProjectContext }) {
  const list = useReworkLabels(ctx);
  return (
    <>
      <TopBar title={`${ctx.project.name} · rework`} />
      <main className="page">
        <h1>Labels sent back to you</h1>
        {list.isPending && <Skeleton lines={4} />}
        {list.isError && <ErrorState error={list.error} retry={() => list.refetch()} />}
        {list.data?.length === 0 && (
          <EmptyState title="Nothing to rework">
            <Link to="/">Back to your projects</Link>
          </EmptyState>
        )}
        {list.data && list.data.length > 0 && (
          <table className="list">
            <thead>
              <tr>
                <th>Row</th>
                <th>Reviewer's reason</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((l) => (
                <tr key={l.id}>
                  <td>{l.globalKey ?? l.dataRowId}</td>
                  <td>{lastReason(l)}</td>
                  <td>
                    <Link className="btn btn-primary" to={`/projects/${ctx.project.id}/rework/${l.id}`}>
                      Rework
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}

function ReworkEditor({ ctx, labelId }: { ctx: ProjectContext; labelId: string }) {
  const me = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  // The label and its row come from the rework list (a labeler cannot read data rows otherwise).
  // Held once found: the list refetched after the submit no longer has it, and the editor stays
  // on it until it has navigated away.
  const held = useRef<ReworkLabel | undefined>(undefined);
  const list = useReworkLabels(ctx);
  if (list.isPending) return <PageSkeleton />;
  if (list.isError) return <ErrorState error={list.error} retry={() => list.refetch()} />;
  held.current ??= list.data.find((l) => l.id === labelId);
  const label = held.current;
  if (!label) {
    return (
      <EmptyState title="This label is not waiting for rework">
        <Link to={`/projects/${ctx.project.id}/rework`}>Back to your rework list</Link>
      </EmptyState>
    );
  }
  return (
    <div className="editor-page">
      <RowEditor
        ctx={ctx}
        me={me}
        rowId={label.dataRowId}
        rowData={label.dataRow.rowData}
        title={`${ctx.project.name} · rework`}
        meta={null}
        mode="rework"
        initial={() => ({
          ...fromStored(ctx.questions, label.annotations.classifications),
          ...fromStoredObjects(ctx.tools, label.annotations.objects as unknown[] | undefined),
        })}
        notice={
          <div className="banner banner-warn" role="note">
            Sent back by the reviewer: <strong>{lastReason(label) || 'no reason given'}</strong>
          </div>
        }
        onDone={async () => {
          await qc.invalidateQueries({ queryKey: ['rework', ctx.project.id] });
          await navigate(`/projects/${ctx.project.id}/rework`);
        }}
      />
    </div>
  );
}
