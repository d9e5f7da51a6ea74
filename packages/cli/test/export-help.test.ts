/** `prefer export --help` names every param, filter key, workflow status and date form the parsers accept. */
import {
  EXPORT_DATE_FORMS,
  EXPORT_FILTER_KEYS,
  EXPORT_PARAM_KEYS,
  WORKFLOW_STATUS_FILTERS,
} from '@prefer/schemas/export-keys';
import { expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

it('prefer export --help lists the params, the filter keys, the statuses and the date forms', async () => {
  const r = await runCli(['export', '--help']);
  expect(r.code).toBe(0);
  const params = /^Params \(--params a,b\): (.*)$/m.exec(r.stdout)?.[1]?.split(', ');
  expect(params).toEqual([...EXPORT_PARAM_KEYS]);
  for (const key of EXPORT_FILTER_KEYS) expect(r.stdout).toMatch(new RegExp(`^  ${key}=`, 'm'));
  for (const status of WORKFLOW_STATUS_FILTERS) expect(r.stdout).toContain(status);
  for (const form of EXPORT_DATE_FORMS) expect(r.stdout).toContain(`"${form}"`);
  expect(r.stderr).toBe('');
});
