import {
  CONFIG_DEFAULTS,
  CONFIG_ENV,
  PUBLIC_URL_ENV,
  parsePublicUrl,
  redact,
  storeOptionsOf,
  streamLimitsOf,
} from '@prefer/server/settings';
import { type Command, Option } from 'commander';
import { configOf, localUser, outputOf } from '../context.ts';
import { loadServer } from '../server.ts';
import { describeDemo } from './demo.ts';

interface ServeOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  demo?: boolean;
  publicUrl?: string;
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server until SIGINT or SIGTERM')
    .addOption(
      new Option(
        '--port <port>',
        `port to listen on, 0 for any free one (default: ${CONFIG_DEFAULTS.port})`,
      ).env(CONFIG_ENV.port),
    )
    .addOption(
      new Option('--host <host>', `address to listen on (default: ${CONFIG_DEFAULTS.host})`).env(
        CONFIG_ENV.host,
      ),
    )
    .addOption(
      new Option('--data-dir <dir>', `where export files go (default: ${CONFIG_DEFAULTS.dataDir})`).env(
        CONFIG_ENV.dataDir,
      ),
    )
    .addOption(new Option('--demo', 'seed the demo project on first start').env('PREFER_DEMO'))
    .addOption(
      new Option(
        '--public-url <url>',
        "the URL clients reach this server at, for download links (default: the request's origin)",
      ).env(PUBLIC_URL_ENV),
    )
    .action((opts: ServeOptions, cmd: Command) => serve(opts, cmd));
}

async function serve(opts: ServeOptions, cmd: Command): Promise<void> {
  const out = outputOf(cmd);
  const config = configOf(cmd, { port: opts.port, host: opts.host, dataDir: opts.dataDir });
  const publicUrl = parsePublicUrl(opts.publicUrl);
  const {
    createExportRunner,
    ensureFirstAdmin,
    loadInstallSecret,
    localActor,
    openCheckedStore,
    seedDemo,
    startExportWorker,
    startServer,
    untilShutdownSignal,
  } = await loadServer();
  // Signs the download links of /graphql (the Labelbox SDK); made on the first start.
  const secret = await loadInstallSecret(config.dataDir);
  // Refuses a database that lost its data, is damaged or cannot be written (README: Security).
  const store = await openCheckedStore(config.databaseUrl, {
    ...storeOptionsOf(config),
    dataDir: config.dataDir,
    quickCheckMaxBytes: config.quickCheckMaxMb * 1024 * 1024,
  });
  try {
    const demo = opts.demo ? await seedDemo(store, await localActor(store, localUser(cmd))) : undefined;
    // No default account: on a database where nobody can log in yet, the demo's owner gets a
    // random password, printed this once (never logged, never again).
    const firstAdmin = opts.demo ? await ensureFirstAdmin(store) : undefined;
    // The web app is built on first start (and again when its sources changed), then served at /.
    const { ensureWebBuild } = await import('@prefer/web/build');
    const webRoot = await ensureWebBuild((line) => out.error(line));
    const server = await startServer({
      store,
      port: config.port,
      host: config.host,
      publicUrl,
      graphql: { secret },
      streams: streamLimitsOf(config),
      statsSyncMaxRows: config.statsSyncMaxRows,
      web: { root: webRoot },
    });
    // Export tasks created through the API run here; other processes on the same database may
    // run workers too (tasks are claimed in the database).
    const runner = createExportRunner({ baseUrl: publicUrl ?? server.url });
    const worker = startExportWorker(store, {
      dataDir: config.dataDir,
      runner,
      trashRetentionDays: config.retentionDays,
    });
    const database = store.backend === 'sqlite' ? store.url : redact(store.url);
    out.result(
      [
        `prefer is listening on ${server.url}`,
        `database: ${database} (${store.backend})`,
        ...(demo ? [`demo project (${demo.dataRows} conversations):`, describeDemo(demo)] : []),
        ...(firstAdmin
          ? [
              'first admin (shown this once: store the password now, or change it at POST /api/v1/me/password):',
              `  email     ${firstAdmin.email}`,
              `  password  ${firstAdmin.password}`,
            ]
          : []),
        'press Ctrl-C to stop',
      ].join('\n'),
      {
        url: server.url,
        database: store.backend,
        ...(demo ? { demo } : {}),
        ...(firstAdmin ? { first_admin: firstAdmin } : {}),
      },
    );
    const signal = await untilShutdownSignal();
    out.error(`${signal}: finishing requests in flight, then stopping`);
    // In order: no new requests, then no running exports (handed back if cut), then the store.
    await server.close();
    await worker.stop();
  } finally {
    await store.close();
  }
}
