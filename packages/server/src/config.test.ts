import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, loadConfig, redact } from './config.ts';
import { AppError } from './shared/errors.ts';

describe('loadConfig', () => {
  it('works with no configuration at all', () => {
    expect(loadConfig({})).toEqual(CONFIG_DEFAULTS);
    expect(CONFIG_DEFAULTS).toEqual({
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
    });
  });

  it('reads the environment, and overrides win over it; empty values mean unset', () => {
    const env = {
      PREFER_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/prefer',
      PREFER_DATA_DIR: '/var/lib/prefer',
      PREFER_PORT: '8080',
      PREFER_HOST: '',
    };
    expect(loadConfig(env)).toEqual({
      ...CONFIG_DEFAULTS,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/prefer',
      dataDir: '/var/lib/prefer',
      port: 8080,
      host: '127.0.0.1',
    });
    expect(loadConfig(env, { port: 0, host: '0.0.0.0' })).toMatchObject({ port: 0, host: '0.0.0.0' });
  });

  it('lists every invalid setting with the variable to fix', () => {
    let error: unknown;
    try {
      loadConfig({
        PREFER_PORT: '74OO',
        PREFER_DATABASE_URL: 'mysql://root:hunter2@db/x',
        PREFER_HOST: 'a b',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect((e.details as { path: string }[]).map((f) => f.path)).toEqual([
      'PREFER_DATABASE_URL',
      'PREFER_PORT',
      'PREFER_HOST',
    ]);
    expect(e.message).toContain('PREFER_PORT: invalid port "74OO"');
    expect(e.message).not.toContain('hunter2');
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig({}, { port: '65536' })).toThrow(/invalid port/);
    expect(() => loadConfig({}, { port: '-1' })).toThrow(/invalid port/);
    expect(loadConfig({}, { port: '65535' }).port).toBe(65535);
  });

  it('reads the stream caps, pool sizes and timeouts, refusing values out of range by name', () => {
    const config = loadConfig({
      PREFER_STREAMS_MAX: '8',
      PREFER_STREAMS_PER_USER: '1',
      PREFER_STREAM_IDLE_SECONDS: '5',
      PREFER_READ_POOL_SIZE: '3',
    });
    expect(config).toMatchObject({ streamsMax: 8, streamsPerUser: 1, streamIdleSeconds: 5, readPoolSize: 3 });
    expect(() => loadConfig({ PREFER_STREAMS_MAX: '0' })).toThrow(/PREFER_STREAMS_MAX: invalid value "0"/);
    expect(() => loadConfig({ PREFER_STREAM_IDLE_SECONDS: '1.5' })).toThrow(/PREFER_STREAM_IDLE_SECONDS/);
    expect(() => loadConfig({ PREFER_POOL_SIZE: 'ten' })).toThrow(/PREFER_POOL_SIZE/);
  });

  it('never prints a database password', () => {
    expect(redact('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
    expect(redact('./data/prefer.db')).toBe('./data/prefer.db');
  });
});
