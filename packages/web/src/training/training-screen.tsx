/**
 * "Training data" of a project (`/projects/:projectId/training`), for managers and admins: pick a
 * format and policies, start a conversion (an export task on the server), watch its progress and
 * download the file; below, the project's analytics. Everything goes through the SDK.
 */
import {
  type ExportTask,
  type Project,
  TRAINING_FORMATS,
  TRAINING_OUTPUTS,
  type TrainingFormat,
  type TrainingOutput,
} from '@prefer/sdk';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { client } from '../api/client.ts';
import { ProgressBar } from '../ui/progress.tsx';
import { describeError, EmptyState, ErrorState, PageSkeleton } from '../ui/states.tsx';
import { TopBar } from '../ui/top-bar.tsx';
import { AnalyticsPanel } from './analytics-panel.tsx';
import './training.css';

const FORMAT_NAMES: Record<TrainingFormat, string> = {
  trl: 'TRL preference, conversational (DPO)',
  'trl-string': 'TRL preference, string form',
  'trl-implicit': 'TRL preference, implicit prompt',
  kto: 'TRL unpaired (KTO)',
  reward: 'Reward-model pairs with margin',
  helpsteer: 'HelpSteer preference strength',
  arena: 'Arena battle log',
  prefer: "prefer's lossless records",
};
const OUTPUT_NAMES: Record<TrainingOutput, string> = {
  jsonl: 'JSONL file',
  'jsonl-dataset': 'Dataset directory, JSONL (tar)',
  parquet: 'Dataset directory, Parquet (tar)',
};

export default function TrainingScreen() {
  const { projectId = '' } = useParams();
  const project = useQuery({ queryKey: ['project', projectId], queryFn: () => client.getProject(projectId) });
  if (project.isPending) return <PageSkeleton />;
  if (project.isError)
    return (
      <>
        <TopBar title="Training data" />
        <main className="page">
          <ErrorState error={project.error} retry={() => void project.refetch()} />
        </main>
      </>
    );
  const p = project.data;
  return (
    <>
      <TopBar title={`Training data · ${p.name}`} />
      <main className="page training">
        {p.role === 'admin' || p.role === 'manager' ? (
          <>
            <ConvertPanel project={p} />
            <AnalyticsPanel project={p} />
          </>
        ) : (
          <EmptyState title="Managers and admins only">
            <p>Training data and analytics are for the project's managers.</p>
          </EmptyState>
        )}
      </main>
    </>
  );
}

function ConvertPanel({ project }: { project: Project }) {
  const [output, setOutput] = useState<TrainingOutput>('jsonl');
  const [task, setTask] = useState<{ task: ExportTask; output: TrainingOutput } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const fraction = Number(form.get('test_fraction') || 0);
    setError(null);
    setBusy(true);
    try {
      const started = await project.startConversion({
        format: form.get('format') as TrainingFormat,
        labels: form.get('labels') as 'done',
        aggregate: form.get('aggregate') as 'majority',
        ...(form.get('ties') ? { ties: form.get('ties') as 'drop' } : {}),
        output,
        ...(output === 'jsonl' ? {} : { testFraction: fraction }),
      });
      setTask({ task: started, output });
    } catch (err) {
      setError(describeError(err).title);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card training-section" aria-labelledby="convert-title">
      <h2 id="convert-title">Convert to a training dataset</h2>
      <form className="convert-form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="convert-format">Format</label>
          <select id="convert-format" name="format" defaultValue="trl">
            {TRAINING_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="convert-labels">Labels that count</label>
          <select id="convert-labels" name="labels" defaultValue="done">
            <option value="done">Done</option>
            <option value="approved">Approved only</option>
            <option value="all">All but skipped</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="convert-aggregate">Consensus</label>
          <select id="convert-aggregate" name="aggregate" defaultValue="majority">
            <option value="majority">Majority</option>
            <option value="unanimous">Unanimous</option>
            <option value="reviewer">Reviewer decides</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="convert-ties">Ties and both-bad</label>
          <select id="convert-ties" name="ties" defaultValue="">
            <option value="">As the format does</option>
            <option value="drop">Drop</option>
            <option value="keep">Keep</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="convert-output">Output</label>
          <select
            id="convert-output"
            name="output"
            value={output}
            onChange={(e) => setOutput(e.currentTarget.value as TrainingOutput)}
          >
            {TRAINING_OUTPUTS.map((o) => (
              <option key={o} value={o}>
                {OUTPUT_NAMES[o]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="convert-test_fraction">Test split</label>
          <input
            id="convert-test_fraction"
            name="test_fraction"
            type="number"
            min={0}
            max={0.5}
            step={0.01}
            defaultValue={0}
            disabled={output === 'jsonl'}
          />
        </div>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Start conversion
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {task && <ConversionProgress key={task.task.id} task={task.task} archive={task.output !== 'jsonl'} />}
    </section>
  );
}

/** Polls the task until it ends; then the download, served by the task's result route. */
function ConversionProgress({ task, archive }: { task: ExportTask; archive: boolean }) {
  const [, setTick] = useState(0);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        await task.refresh();
        setTick((t) => t + 1);
      } catch (err) {
        setError(err);
        return;
      }
      if (!stop && task.status === 'IN_PROGRESS') timer = setTimeout(() => void poll(), 500);
    };
    timer = setTimeout(() => void poll(), 300);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [task]);
  if (error) return <ErrorState error={error} />;
  const pct = task.completionPercentage ?? 0;
  return (
    <div className="conversion" aria-live="polite">
      <div className="conversion-head">
        <span className="name">{task.name}</span>
        <span className="muted">
          {task.status === 'IN_PROGRESS' ? 'Running' : task.status === 'COMPLETE' ? 'Done' : 'Failed'}
        </span>
      </div>
      <ProgressBar label="Conversion progress" pct={pct} />
      {task.status === 'FAILED' && (
        <p className="form-error" role="alert">
          {task.failureReason}
        </p>
      )}
      {task.status === 'COMPLETE' && (
        <p>
          {archive ? 'A tar archive' : `${task.getTotalLines('result') ?? 0} records`},{' '}
          {formatBytes(task.getTotalFileSize('result') ?? 0)}.{' '}
          <a
            className="btn btn-primary"
            href={client.url(`/export-tasks/${encodeURIComponent(task.id)}/result`)}
            download
          >
            Download
          </a>
        </p>
      )}
    </div>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
