/**
 * Deterministic benchmark conversations: a prompt and two model responses (~2 KB a row) built
 * from a seeded generator, so every run of `--rows N` writes the same file.
 */

import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync } from 'node:fs';

const WORDS = (
  'the model should explain how a binary search tree keeps its keys ordered and why balancing ' +
  'matters when inserts arrive sorted; consider latency memory trade-off cache locality database ' +
  'index transaction rollback commit stream parser token budget summary question answer reason ' +
  'evidence example careful concise helpful harmless honest response user assistant please write ' +
  'a short poem about autumn leaves falling slowly in the quiet park near the river bank'
).split(/\s+/);

/** mulberry32: tiny, fast, good enough to vary text. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]!);
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

function paragraph(next: () => number, chars: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    const s = sentence(next, 6 + Math.floor(next() * 12));
    parts.push(s);
    n += s.length + 1;
  }
  return parts.join(' ');
}

export function benchRow(i: number): Record<string, unknown> {
  const next = rng(i + 1);
  return {
    row_data: {
      type: 'application/vnd.labelbox.conversational',
      version: 1,
      messages: [
        {
          messageId: `m-${i}-0`,
          timestampUsec: 1_700_000_000_000_000 / 1000 + i,
          content: paragraph(next, 300),
          user: { userId: `user-${i % 97}`, name: `Rater ${i % 97}` },
          align: 'right',
          canLabel: true,
        },
      ],
      modelOutputs: [
        { title: 'Response A', content: paragraph(next, 700), modelConfigName: 'model-a-t0.7' },
        { title: 'Response B', content: paragraph(next, 700), modelConfigName: 'model-b-t0.2' },
      ],
    },
    global_key: `bench-${i}`,
    external_id: `ext-${i}`,
    media_type: 'CONVERSATIONAL',
  };
}

/** Writes N rows as NDJSON to `path` unless it already exists (it is deterministic). */
export async function writeBenchFile(path: string, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${JSON.stringify(benchRow(i))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, path);
}
