/**
 * The spawned smoke tests run the real executable, which runs the compiled dist: rebuild any
 * workspace whose source changed since its last build, so those tests never see stale code
 * (in-process tests run the TypeScript source and need no build).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
// Dependencies first: a package's build reads the declarations its dependencies built.
const PACKAGES = ['schemas', 'sdk', 'training', 'server', 'cli'];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const builtAt = (pkg: string) => {
  try {
    return newest(join(REPO, 'packages', pkg, 'dist'));
  } catch {
    return 0;
  }
};

export default function setup(): void {
  let rebuild = false;
  for (const pkg of PACKAGES) {
    const dir = join(REPO, 'packages', pkg);
    // Once one package is rebuilt, those after it are too: their declarations may have changed.
    rebuild ||=
      builtAt(pkg) < Math.max(newest(join(dir, 'src')), statSync(join(dir, 'package.json')).mtimeMs);
    if (!rebuild) continue;
    console.warn(`[prefer tests] building packages/${pkg} (dist older than its source)`);
    execFileSync(
      process.execPath,
      [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.build.json')],
      {
        stdio: 'inherit',
      },
    );
  }
}
