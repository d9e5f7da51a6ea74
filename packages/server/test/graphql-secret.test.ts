/**
 * The per-install secret that signs /graphql file links: made once with 256 random bits and mode
 * 0600, read back unchanged, refused when empty or short; and the origin links are built on
 * (no storage involved: no backends).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeLinks } from '../src/graphql/graphql.context.ts';
import { parsePublicUrl } from '../src/graphql/public-url.ts';
import { createApp } from '../src/http/app.ts';
import { INSTALL_SECRET_FILE, loadInstallSecret } from '../src/http/install-secret.ts';
import type { Store } from '../src/store/store.ts';

const SECRET = randomBytes(32);
const dir = mkdtempSync(join(tmpdir(), 'prefer-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('install secret', () => {
  it('is created on first use: 64 hex characters, mode 0600, the same on every later start', async () => {
    const data = join(dir, 'fresh', 'data');
    const first = await loadInstallSecret(data);
    expect(first.length).toBe(32);
    const path = join(data, INSTALL_SECRET_FILE);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await loadInstallSecret(data)).equals(first)).toBe(true);
    // A copy restored with looser permissions is tightened.
    if (process.platform !== 'win32') {
      chmodSync(path, 0o644);
      expect((await loadInstallSecret(data)).equals(first)).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
    // Two installs never share one.
    expect((await loadInstallSecret(join(dir, 'other'))).equals(first)).toBe(false);
  });

  it('two processes starting at once end up with one secret', async () => {
    const data = join(dir, 'race');
    const [a, b] = await Promise.all([loadInstallSecret(data), loadInstallSecret(data)]);
    expect(a.equals(b)).toBe(true);
  });

  it('refuses an empty, short or non-hex file, saying how to recover', async () => {
    const cases: [string, string][] = [
      ['empty', ''],
      ['short', 'ab'.repeat(31)],
      ['not hex', 'zz'.repeat(32)],
      ['not random', '00'.repeat(32)],
    ];
    for (const [name, text] of cases) {
      const data = join(dir, `bad-${name.replace(' ', '-')}`);
      await loadInstallSecret(data);
      writeFileSync(join(data, INSTALL_SECRET_FILE), text);
      await expect(loadInstallSecret(data), name).rejects.toThrow(
        /(at least 64 hex characters|not random); delete it/,
      );
    }
  });

  it('a secret passed to the app directly must be 32 bytes or more', () => {
    const store = {} as Store;
    expect(() => createApp({ store, graphql: { secret: Buffer.alloc(16) } })).toThrow(/at least 32 bytes/);
    expect(() => createApp({ store, graphql: { secret: Buffer.alloc(32) } })).toThrow(/not random/);
  });
});

describe('PREFER_PUBLIC_URL and link origins', () => {
  const grant = { taskId: 'ctask', stream: 'result' as const, start: 0, end: 9 };

  it('links use the public URL when set, path prefix included', () => {
    const links = makeLinks(
      {
        secret: SECRET,
        publicUrl: parsePublicUrl('https://prefer.example.com/lb/'),
        chunkBytes: 1,
        ttlSeconds: 60,
      },
      'http://127.0.0.1:7400/graphql',
    );
    expect(links.fileUrl(grant)).toMatch(
      /^https:\/\/prefer\.example\.com\/lb\/graphql\/files\/ctask\/result\?start=0&end=9&exp=\d+&sig=/,
    );
  });

  it('else the origin the request was made to', () => {
    const links = makeLinks(
      { secret: SECRET, chunkBytes: 1, ttlSeconds: 60 },
      'http://10.0.0.5:7400/graphql',
    );
    expect(links.fileUrl(grant)).toMatch(/^http:\/\/10\.0\.0\.5:7400\/graphql\/files\//);
  });

  it('refuses values that are not http(s) URLs, naming the variable', () => {
    expect(parsePublicUrl(undefined)).toBeUndefined();
    expect(parsePublicUrl('  ')).toBeUndefined();
    for (const bad of ['prefer.example.com', 'ftp://x', 'https://x/?a=1', 'https://u:p@x']) {
      expect(() => parsePublicUrl(bad), bad).toThrow(/^PREFER_PUBLIC_URL: /);
    }
  });
});
