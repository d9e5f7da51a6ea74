/** The mapping file: validation with clear errors, inference, and bad export lines. */
import { describe, expect, it } from 'vitest';
import { surveyRows } from '../src/convert.ts';
import { TrainingInputError } from '../src/errors.ts';
import { resolveMapping } from '../src/mapping/mapping.infer.ts';
import { parseMappingFile } from '../src/mapping/mapping.schema.ts';
import { parseExportLine } from '../src/source/export-row.ts';
import { convertFile } from './support/convert-file.ts';
import { exportRow, label } from './support/export-rows.ts';

const EXPORT = new URL('./fixtures/export.ndjson', import.meta.url).pathname;
const SEED = new URL('../../server/test/fixtures/seed-sample-export-row.json', import.meta.url);

describe('mapping file', () => {
  it('an unknown key is an error listing the valid keys', () => {
    expect(() => parseMappingFile('{"preferense": "Q"}', 'm.json')).toThrow(
      /m\.json: \(top level\): unknown key "preferense"; valid keys: preference, options, tie, both_bad, strength, rubric, reason, roles/,
    );
  });

  it('a wrong type names the path', () => {
    expect(() =>
      parseMappingFile('{"strength": {"question": "S", "values": {"Much": "3"}}}', 'm.json'),
    ).toThrow(/m\.json: strength\.values\.Much:/);
    expect(() => parseMappingFile('{"roles": {"bot": "robot"}}', 'm.json')).toThrow(/m\.json: roles\.bot:/);
    expect(() => parseMappingFile('{nope', 'm.json')).toThrow(/m\.json: not valid JSON/);
  });

  it('options map answers to titles; the rest is inferred and noted', async () => {
    const row = exportRow({
      id: 'r',
      labels: [label('Left one'), label('Right one'), label('Neither is good')],
    });
    const rows = parseExportLine(JSON.stringify(row), 1);
    expect(() => resolveMapping({}, { ...emptyish(), ...{} })).toThrow(TrainingInputError);
    const survey = await surveyRows(rows);
    expect(() => resolveMapping({}, survey)).toThrow(/cannot tell the preference question/);
    const { mapping, notes } = resolveMapping(
      {
        preference: 'Choose the best response',
        options: { 'Left one': 'Response A', 'Right one': 'Response B' },
      },
      survey,
    );
    expect(mapping.both_bad).toEqual(['Neither is good']);
    expect(notes.some((n) => n.startsWith('both_bad'))).toBe(true);
  });

  it('answers that the given options leave out are an error', async () => {
    await expect(
      convertFile(EXPORT, {
        format: 'trl',
        mappingFile: { options: { 'Response A': 'Response A' }, tie: ['Tie'], both_bad: ['Both bad'] },
      }),
    ).rejects.toThrow(
      /the answers "Response B", "Response C" of "Choose the best response" are not a model output title .* say what they mean in --mapping/,
    );
  });

  it('an answer the mapping does not know is an error naming the line, the label and the valid options', async () => {
    const rows = parseExportLine(
      JSON.stringify(exportRow({ id: 'r', labels: [label('Response A'), label('Maybe', { id: 'odd' })] })),
      9,
    );
    const { mapping } = resolveMapping(
      {
        preference: 'Choose the best response',
        options: { 'Response A': 'Response A' },
        tie: [],
        both_bad: ['Maybe'],
      },
      await surveyRows(rows),
    );
    mapping.both_bad = [];
    const { compare } = await import('../src/comparison/policy.ts');
    expect(() => compare(rows[0]!, mapping, 'all', 'majority')).toThrow(
      'line 9: label odd: "Maybe" is not an option of the mapping for "Choose the best response" (valid: "Response A")',
    );
  });

  it('roles in the mapping override the derivation', async () => {
    const { records } = await convertFile(EXPORT, {
      format: 'trl',
      mappingFile: { roles: { user: 'system' } },
    });
    expect((records[0]!.prompt as { role: string }[])[0]!.role).toBe('system');
  });
});

describe('export lines', () => {
  it('bad JSON, a missing data row id and a bad answer name the line and path', () => {
    expect(() => parseExportLine('{"data_row":', 7)).toThrow(/^line 7: not valid JSON/);
    expect(() => parseExportLine('{"projects":{}}', 3)).toThrow('line 3: data_row.id: expected a string');
    const row = exportRow({ id: 'r', labels: [label('Response A')] }) as {
      projects: Record<string, { labels: { annotations: { classifications: unknown[] } }[] }>;
    };
    row.projects.proj1!.labels[0]!.annotations.classifications = [{ name: 'Q', radio_answer: { name: 5 } }];
    expect(() => parseExportLine(JSON.stringify(row), 2)).toThrow(
      'line 2: projects.proj1.labels[0].annotations.classifications[0].radio_answer.name: expected a string',
    );
  });

  it('the seed sample row (row_data a URL) says the conversation is not inline', async () => {
    const text = JSON.stringify(JSON.parse(await (await import('node:fs/promises')).readFile(SEED, 'utf8')));
    expect(() => parseExportLine(text, 1)).toThrow(
      /line 1: data_row\.row_data is not an inline conversation/,
    );
  });

  it('--labels done on an export without project_details says what to do', async () => {
    const row = exportRow({ id: 'r', status: null, labels: [label('Response A')] });
    const [rec] = parseExportLine(JSON.stringify(row), 4);
    const { compare } = await import('../src/comparison/policy.ts');
    const { mapping } = resolveMapping({}, await surveyRows([rec!]));
    expect(() => compare(rec!, mapping, 'done', 'majority')).toThrow(
      /line 4: .*--labels done needs an export with project_details/,
    );
  });
});

function emptyish() {
  return {
    radio: new Map(),
    checklist: new Map(),
    text: new Map(),
    titles: new Set<string>(),
    rows: 0,
    rankings: 0,
  };
}
