/**
 * The per-install secret: 256 random bits kept in `<dataDir>/install-secret` (mode 0600), made on
 * the first start. It signs short-lived download links (the Labelbox SDK fetches export chunks
 * without credentials), so every server process of one install must share the data directory or
 * this file. Deleting it invalidates every link handed out so far, nothing else.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../shared/errors.ts';

export const INSTALL_SECRET_FILE = 'install-secret';
/** 32 bytes, written as 64 hex characters. */
export const INSTALL_SECRET_BYTES = 32;

/** Reads the install's secret, creating it on first use; refuses one that is empty or too short. */
export async function loadInstallSecret(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, INSTALL_SECRET_FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    // `wx`: two processes starting at once cannot both write; the loser reads the winner's.
    await writeFile(path, `${randomBytes(INSTALL_SECRET_BYTES).toString('hex')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A copy restored with looser permissions is tightened, not left readable by others.
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return parseInstallSecret(await readFile(path, 'utf8'), path);
}

/** The secret in a file's text: at least 64 hex characters (256 bits). */
export function parseInstallSecret(text: string, where = INSTALL_SECRET_FILE): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]*$/i.test(hex) || hex.length % 2 !== 0 || hex.length < INSTALL_SECRET_BYTES * 2) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${where} must hold at least ${INSTALL_SECRET_BYTES * 2} hex characters; delete it to have a new one made`,
    );
  }
  return checkInstallSecret(Buffer.from(hex, 'hex'), where);
}

/**
 * A secret given directly (tests, embedding) or read from the file: at least 32 bytes, and not a
 * made-up one such as all zeros (random bytes have far more than 8 distinct values).
 */
export function checkInstallSecret(secret: Buffer, where = 'the install secret'): Buffer {
  if (secret.length < INSTALL_SECRET_BYTES) {
    throw new AppError('VALIDATION_FAILED', `${where} must be at least ${INSTALL_SECRET_BYTES} bytes`);
  }
  if (new Set(secret).size < 8) {
    throw new AppError('VALIDATION_FAILED', `${where} is not random; delete it to have a new one made`);
  }
  return secret;
}
