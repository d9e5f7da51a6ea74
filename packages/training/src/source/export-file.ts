/**
 * An export v2 NDJSON file read line by line (never whole), as RowRecords. Blank lines are
 * skipped; line numbers count every line, so errors point at the right one in an editor.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { TrainingInputError } from '../errors.ts';
import type { Role, RowRecord } from '../types.ts';
import { parseExportLine } from './export-row.ts';

export async function* readExportLines(path: string): AsyncGenerator<{ text: string; line: number }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) =>
      reject(new TrainingInputError(`${path}: cannot read (${err.code ?? err.message})`)),
    );
  });
  await opened;
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() !== '') yield { text, line };
  }
}

export async function* readExportFile(
  path: string,
  roles: Readonly<Record<string, Role>> = {},
): AsyncGenerator<RowRecord> {
  for await (const { text, line } of readExportLines(path)) yield* parseExportLine(text, line, roles);
}
