export {};

/**
 * `npm run bench -- <name> [options]`: benchmarks print a table; targets live here, not in tests.
 * Each benchmark is a module under bench/ exporting `run(args: string[]): Promise<void>`.
 */
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  import: () => import('./import.ts'),
  export: () => import('./export.ts'),
  'cli-export': () => import('./cli-export.ts'),
  download: () => import('./download.ts'),
  api: () => import('./api.ts'),
  'cpu-profile': () => import('./cpu-profile.ts'),
  convert: () => import('./convert.ts'),
  'cli-start': () => import('./cli-start.ts'),
  web: () => import('./web.ts'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
await (await load()).run(args);
