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
}

export type ConfigInput = { [K in keyof Config]?: string | number | undefined };

export const CONFIG_DEFAULTS: Config = {
  databaseUrl: './data/prefer.db',
  dataDir: './data',
  port: 7400,
  host: '127.0.0.1',
};

export const CONFIG_ENV: Record<keyof Config, string> = {
  databaseUrl: 'PREFER_DATABASE_URL',
  dataDir: 'PREFER_DATA_DIR',
  port: 'PREFER_PORT',
  host: 'PREFER_HOST',
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

  if (faults.length > 0) {
    const lines = faults.map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new AppError('VALIDATION_FAILED', `invalid configuration: ${lines}`, faults);
  }
  return { databaseUrl, dataDir, port, host };
}

/** A database URL fit for messages: the password is never printed. */
export function redact(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
