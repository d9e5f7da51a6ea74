/**
 * Process configuration. Each setting comes from (highest first) an explicit override (a CLI
 * flag), its environment variable, or a default that works on a fresh clone.
 */
import { AppError, type Fault } from './shared/errors.ts';
import { isPostgresUrl } from './store/database-url.ts';

export interface Config {
  /** A SQLite file path or a `postgres://` URL. */
  databaseUrl: string;
  /** Where export files and other server-written files go. */
  dataDir: string;
  port: number;
  host: string;
  /** PostgreSQL connections for requests and writes, and for long reads (exports). */
  poolSize: number;
  readPoolSize: number;
  /** Seconds a statement of a long read may run (PostgreSQL `statement_timeout`). */
  readStatementTimeoutSeconds: number;
  /** Streamed exports at once: per user, and for the process. */
  streamsPerUser: number;
  streamsMax: number;
  /** Seconds a streamed export may wait for its reader before it is ended. */
  streamIdleSeconds: number;
  /** `PRAGMA quick_check` at start on SQLite files up to this size (MiB; 0: never). */
  quickCheckMaxMb: number;
  /** Days a deleted project, dataset, batch, data row or label stays restorable before the purge. */
  retentionDays: number;
  /**
   * Labelled rows up to which `GET /projects/:id/stats` computes the report in the request;
   * above, it answers 409 naming `POST /projects/:id/stats` (a task a worker runs).
   */
  statsSyncMaxRows: number;
}

export type ConfigInput = { [K in keyof Config]?: string | number | undefined };

export const CONFIG_DEFAULTS: Config = {
  databaseUrl: './data/prefer.db',
  dataDir: './data',
  port: 7400,
  host: '127.0.0.1',
  poolSize: 10,
  readPoolSize: 6,
  readStatementTimeoutSeconds: 300,
  streamsPerUser: 2,
  streamsMax: 4,
  streamIdleSeconds: 30,
  quickCheckMaxMb: 4096,
  retentionDays: 30,
  statsSyncMaxRows: 20_000,
};

export const CONFIG_ENV: Record<keyof Config, string> = {
  databaseUrl: 'PREFER_DATABASE_URL',
  dataDir: 'PREFER_DATA_DIR',
  port: 'PREFER_PORT',
  host: 'PREFER_HOST',
  poolSize: 'PREFER_POOL_SIZE',
  readPoolSize: 'PREFER_READ_POOL_SIZE',
  readStatementTimeoutSeconds: 'PREFER_READ_STATEMENT_TIMEOUT_SECONDS',
  streamsPerUser: 'PREFER_STREAMS_PER_USER',
  streamsMax: 'PREFER_STREAMS_MAX',
  streamIdleSeconds: 'PREFER_STREAM_IDLE_SECONDS',
  quickCheckMaxMb: 'PREFER_QUICK_CHECK_MAX_MB',
  retentionDays: 'PREFER_RETENTION_DAYS',
  statsSyncMaxRows: 'PREFER_STATS_SYNC_MAX_ROWS',
};

type Env = Record<string, string | undefined>;

/** Reads and validates the configuration; every problem is listed at once (VALIDATION_FAILED). */
export function loadConfig(env: Env = process.env, overrides: ConfigInput = {}): Config {
  const faults: Fault[] = [];
  const raw = (key: keyof Config): string => {
    const value = overrides[key] ?? env[CONFIG_ENV[key]];
    // An empty variable (`PREFER_PORT=`) means "not set", as shells make it easy to write.
    return value === undefined || String(value).trim() === '' ? String(CONFIG_DEFAULTS[key]) : String(value);
  };
  const fault = (key: keyof Config, message: string) => faults.push({ path: CONFIG_ENV[key], message });

  const databaseUrl = raw('databaseUrl').trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !isPostgresUrl(databaseUrl)) {
    fault(
      'databaseUrl',
      `unsupported database URL ${redact(databaseUrl)}: use a SQLite file path or postgres://`,
    );
  } else if (isPostgresUrl(databaseUrl) && !URL.canParse(databaseUrl)) {
    fault('databaseUrl', 'not a valid postgres:// URL');
  }

  const dataDir = raw('dataDir');

  const portText = raw('port').trim();
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    fault('port', `invalid port ${JSON.stringify(portText)}: expected an integer from 0 to 65535`);
  }

  const host = raw('host').trim();
  if (/[\s/]/.test(host))
    fault('host', `invalid host ${JSON.stringify(host)}: expected a host name or IP address`);

  // Whole numbers within sane bounds: a typo must not become a pool of 0 or a timeout of a year.
  const whole = (key: keyof Config, min: number, max: number): number => {
    const text = raw(key).trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) {
      fault(key, `invalid value ${JSON.stringify(text)}: expected an integer from ${min} to ${max}`);
    }
    return n;
  };
  const limits = {
    poolSize: whole('poolSize', 2, 1000),
    readPoolSize: whole('readPoolSize', 1, 1000),
    readStatementTimeoutSeconds: whole('readStatementTimeoutSeconds', 1, 86_400),
    streamsPerUser: whole('streamsPerUser', 1, 1000),
    streamsMax: whole('streamsMax', 1, 1000),
    streamIdleSeconds: whole('streamIdleSeconds', 1, 3600),
    quickCheckMaxMb: whole('quickCheckMaxMb', 0, 1_048_576),
    retentionDays: whole('retentionDays', 0, 36_500),
    statsSyncMaxRows: whole('statsSyncMaxRows', 0, 100_000_000),
  };

  if (faults.length > 0) {
    const lines = faults.map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new AppError('VALIDATION_FAILED', `invalid configuration: ${lines}`, faults);
  }
  return { databaseUrl, dataDir, port, host, ...limits };
}

/** The store options and stream limits of a configuration (see `openStore`, `createApp`). */
export function storeOptionsOf(config: Config) {
  return {
    poolSize: config.poolSize,
    readPoolSize: config.readPoolSize,
    readStatementTimeoutMs: config.readStatementTimeoutSeconds * 1000,
    // PostgreSQL ends an idle snapshot by itself shortly after the stream's own timeout would.
    readIdleTimeoutMs: (config.streamIdleSeconds + 60) * 1000,
  };
}

export function streamLimitsOf(config: Config) {
  return {
    perUser: config.streamsPerUser,
    max: config.streamsMax,
    idleMs: config.streamIdleSeconds * 1000,
  };
}

/** A database URL fit for messages: the password is never printed. */
export function redact(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
