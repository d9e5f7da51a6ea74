/**
 * The README's TypeScript blocks, each run as written by a test. Every ```ts block carries a
 * marker on the line before it: `<!-- readme-ts: NAME -->` names the block and RUNNERS says which
 * test file runs it; `<!-- not-run: reason -->` marks a fragment on purpose. The walk-through keeps
 * its own `<!-- sdk-walkthrough:start -->` marker. readme-blocks.test.ts fails on a block without
 * a marker or a runner, so a new block cannot be added untested.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';

export const REPO = join(import.meta.dirname, '../../../..');

/** Block name → the test file (from the repository's root) that runs it. */
export const RUNNERS: Record<string, string> = {
  'training-convert-rows': 'packages/server/test/readme-blocks.test.ts',
  'training-convert-file': 'packages/server/test/readme-blocks.test.ts',
  'sdk-convert': 'packages/server/test/readme-blocks.test.ts',
  'sdk-export': 'packages/server/test/readme-blocks.test.ts',
  'sdk-walkthrough': 'packages/server/test/sdk-resources-readme.test.ts',
  'sdk-workflow': 'packages/server/test/sdk-workflow-readme.test.ts',
};

export interface ReadmeBlock {
  /** The block's name, `not-run` for a marked fragment, null without a marker. */
  name: string | null;
  /** Why a `not-run` block is not run. */
  reason?: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

export function readmeBlocks(): ReadmeBlock[] {
  const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md line ${i + 1}: a ts block is never closed`);
    const marker = lines[i - 1] ?? '';
    const named = /^<!-- readme-ts: ([a-z0-9-]+) -->$/.exec(marker);
    const skipped = /^<!-- not-run: (.+) -->$/.exec(marker);
    const block: ReadmeBlock = {
      name: named
        ? named[1]!
        : marker === '<!-- sdk-walkthrough:start -->'
          ? 'sdk-walkthrough'
          : skipped
            ? 'not-run'
            : null,
      line: i + 1,
      code: lines.slice(i + 1, end).join('\n'),
    };
    if (skipped) block.reason = skipped[1]!;
    blocks.push(block);
    i = end;
  }
  return blocks;
}

export function readmeBlock(name: string): string {
  const found = readmeBlocks().filter((b) => b.name === name);
  if (found.length !== 1) throw new Error(`README.md has ${found.length} ts blocks named ${name}`);
  return found[0]!.code;
}

/** Workspace packages the blocks import, pointed at their sources (the block runs from a temp dir). */
const PACKAGES: Record<string, string> = {
  '@prefer/sdk': 'packages/sdk/src/index.ts',
  '@prefer/training': 'packages/training/src/index.ts',
};

/**
 * Runs the block as an ES module from `cwd` with `env` set (restored after), as a user runs it
 * with `npx tsx`; answers what it printed with console.log, one array of arguments a call.
 */
export async function runReadmeBlock(
  name: string,
  options: { dir: string; cwd: string; env: Record<string, string> },
): Promise<unknown[][]> {
  let code = readmeBlock(name);
  for (const [pkg, file] of Object.entries(PACKAGES)) {
    code = code.replaceAll(`from '${pkg}'`, `from ${JSON.stringify(pathToFileURL(join(REPO, file)).href)}`);
  }
  mkdirSync(options.dir, { recursive: true });
  const file = join(options.dir, `readme-${name}.ts`);
  writeFileSync(file, code);
  const printed: unknown[][] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  const saved = Object.fromEntries(Object.keys(options.env).map((k) => [k, process.env[k]]));
  const cwd = process.cwd();
  Object.assign(process.env, options.env);
  process.chdir(options.cwd);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return printed;
}
