/**
 * The export form's state as the request it makes (SDK `exportV2` options), and the same request
 * as a `prefer export` command line and as Labelbox Python SDK code, to copy.
 */
import { EXPORT_PARAM_KEYS } from '@prefer/schemas';
import type { ExportV2Options } from '@prefer/sdk';

export type ParamKey = (typeof EXPORT_PARAM_KEYS)[number];
export { EXPORT_PARAM_KEYS };

export interface ExportForm {
  params: Record<ParamKey, boolean>;
  lastActivity: [string, string];
  labelCreated: [string, string];
  dataRowIds: string;
  globalKeys: string;
  batchIds: string[];
  workflowStatus: '' | 'ToLabel' | 'InReview' | 'InRework' | 'Done';
  timezone: string;
  taskName: string;
}

export const emptyForm = (): ExportForm => ({
  params: Object.fromEntries(EXPORT_PARAM_KEYS.map((k) => [k, false])) as Record<ParamKey, boolean>,
  lastActivity: ['', ''],
  labelCreated: ['', ''],
  dataRowIds: '',
  globalKeys: '',
  batchIds: [],
  workflowStatus: '',
  timezone: '',
  taskName: '',
});

export const splitList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

const range = ([a, b]: [string, string]): [string | null, string | null] | undefined =>
  a.trim() || b.trim() ? [a.trim() || null, b.trim() || null] : undefined;

/** Only what the form sets: an empty field is no filter. */
export function requestOf(
  form: ExportForm,
): Required<Pick<ExportV2Options, 'params' | 'filters'>> & ExportV2Options {
  const params = Object.fromEntries(EXPORT_PARAM_KEYS.filter((k) => form.params[k]).map((k) => [k, true]));
  const filters: Record<string, unknown> = {};
  const activity = range(form.lastActivity);
  if (activity) filters.last_activity_at = activity;
  const created = range(form.labelCreated);
  if (created) filters.label_created_at = created;
  if (splitList(form.dataRowIds).length) filters.data_row_ids = splitList(form.dataRowIds);
  if (splitList(form.globalKeys).length) filters.global_keys = splitList(form.globalKeys);
  if (form.batchIds.length) filters.batch_ids = form.batchIds;
  if (form.workflowStatus) filters.workflow_status = form.workflowStatus;
  return {
    params,
    filters: filters as ExportV2Options['filters'] & object,
    ...(form.timezone.trim() ? { timezone: form.timezone.trim() } : {}),
    ...(form.taskName.trim() ? { taskName: form.taskName.trim() } : {}),
  };
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function cliLine(form: ExportForm, projectId: string, origin: string): string {
  const r = requestOf(form);
  const args = ['npx', 'prefer', 'export', '--url', origin, '--project', projectId];
  const names = Object.keys(r.params);
  if (names.length === EXPORT_PARAM_KEYS.length) args.push('--all-params');
  else if (names.length) args.push('--params', names.join(','));
  const f = r.filters as Record<string, unknown>;
  for (const key of ['last_activity_at', 'label_created_at'] as const) {
    const v = f[key] as [string | null, string | null] | undefined;
    if (v) args.push('--filter', `${key}=${v[0] ?? ''},${v[1] ?? ''}`);
  }
  for (const key of ['data_row_ids', 'global_keys', 'batch_ids'] as const) {
    const v = f[key] as string[] | undefined;
    if (v) args.push('--filter', `${key}=${v.join(',')}`);
  }
  if (f.workflow_status) args.push('--filter', `workflow_status=${f.workflow_status}`);
  if (r.timezone) args.push('--timezone', r.timezone);
  if (r.taskName) args.push('--task-name', r.taskName);
  args.push('--out', 'export.ndjson');
  return args.map(shellQuote).join(' ');
}

const py = (v: unknown): string => {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `    ${JSON.stringify(k)}: ${py(x)},`).join('\n')}\n}`;
  }
  return JSON.stringify(v);
};

export function pythonSnippet(form: ExportForm, projectId: string, origin: string): string {
  const r = requestOf(form);
  const filters = { ...(r.filters as Record<string, unknown>) };
  const lines = [
    'import labelbox as lb',
    '',
    'client = lb.Client(',
    '    api_key=PREFER_API_KEY,',
    `    endpoint=${JSON.stringify(`${origin}/graphql`)},`,
    `    rest_endpoint=${JSON.stringify(`${origin}/api/v1`)},`,
    ')',
    `project = client.get_project(${JSON.stringify(projectId)})`,
    `export_params = ${py(r.params)}`,
    `filters = ${py(filters)}`,
  ];
  const name = r.taskName ? `, task_name=${JSON.stringify(r.taskName)}` : '';
  if (r.timezone) {
    lines.push(
      `# Dates without an offset are read in UTC by the Python SDK: write them with the offset of ${r.timezone}.`,
    );
  }
  lines.push(
    `export_task = project.export_v2(params=export_params, filters=filters${name})`,
    'export_task.wait_till_done()',
    'if export_task.errors:',
    '    print(export_task.errors)',
    'rows = export_task.result',
  );
  return lines.join('\n');
}
