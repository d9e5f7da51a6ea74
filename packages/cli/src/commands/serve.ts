import {
  CONFIG_DEFAULTS,
  CONFIG_ENV,
  createExportRunner,
  localActor,
  openStore,
  redact,
  seedDemo,
  startExportWorker,
  startServer,
  untilShutdownSignal,
} from '@prefer/server';
import { type Command, Option } from 'commander';
import { configOf, outputOf } from '../context.ts';
import { describeDemo } from './demo.ts';

interface ServeOptions {
  port?: string;
  host?: string;
  dataDir?: string;
  demo?: boolean;
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
    .action((opts: ServeOptions, cmd: Command) => serve(opts, cmd));
}

async function serve(opts: ServeOptions, cmd: Command): Promise<void> {
  const out = outputOf(cmd);
  const config = configOf(cmd, { port: opts.port, host: opts.host, dataDir: opts.dataDir });
  const store = await openStore(config.databaseUrl);
  try {
    const demo = opts.demo ? await seedDemo(store, await localActor(store)) : undefined;
    const server = await startServer({ store, port: config.port, host: config.host });
    // Export tasks created through the API run here; other processes on the same database may
    // run workers too (tasks are claimed in the database).
    const runner = createExportRunner({ baseUrl: server.url });
    const worker = startExportWorker(store, { dataDir: config.dataDir, runner });
    const database = store.backend === 'sqlite' ? store.url : redact(store.url);
    out.result(
      [
        `prefer is listening on ${server.url}`,
        `database: ${database} (${store.backend})`,
        ...(demo ? [`demo project (${demo.dataRows} conversations):`, describeDemo(demo)] : []),
        'press Ctrl-C to stop',
      ].join('\n'),
      { url: server.url, database: store.backend, ...(demo ? { demo } : {}) },
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
