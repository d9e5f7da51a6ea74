/**
 * The README's "Roles and permissions" table is the permission matrix of auth/permissions.ts: this
 * test rebuilds the table from `PERMISSIONS` and fails when the README says anything else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, type Role } from '../src/auth/permissions.ts';

const README = join(import.meta.dirname, '../../../README.md');
const START = '<!-- permissions-table:start -->';
const END = '<!-- permissions-table:end -->';

/** The table as the README should show it: one row per permission, a column per role. */
function permissionRows(): string[][] {
  const header = ['permission', 'scope', 'allows', ...ROLES];
  const rows = Object.entries(PERMISSIONS).map(([name, spec]) => [
    `\`${name}\``,
    spec.scope === 'org' ? 'organization' : 'project',
    spec.doc,
    ...ROLES.map((role) => ((spec.roles as readonly Role[]).includes(role) ? '✓' : '')),
  ]);
  return [header, ...rows];
}

/** Markdown with aligned columns (printed by a failing test, to paste into the README). */
function permissionTable(): string {
  const rows = permissionRows();
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

function readmeRows(): string[][] {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  expect(start, `README.md has no ${START} marker`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text
    .slice(start + START.length, end)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
}

describe('README roles and permissions', () => {
  it('shows exactly the permission matrix of auth/permissions.ts', () => {
    const expected = permissionRows();
    const actual = readmeRows();
    expect(
      actual,
      `README.md's permission table differs from the code; it should read:\n${permissionTable()}`,
    ).toEqual(expected);
  });

  it('names every role as a column and every permission once', () => {
    const [header, ...rows] = readmeRows();
    expect(header?.slice(3)).toEqual([...ROLES]);
    const names = rows.map((r) => r[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(Object.keys(PERMISSIONS).length);
  });
});
