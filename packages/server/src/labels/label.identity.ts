/**
 * What makes an imported label "the same" as one already there, so importing a file twice
 * imports it once: its external id (`labelExternalId`, unique in the project), or without one
 * the SHA-256 of its answers (unique per data row and labeler). The hash is over the rendered
 * classifications without their feature ids, which are made fresh on every import; the answers'
 * order in the file does not matter either.
 */
import { createHash } from 'node:crypto';

/** A rendered classification without its feature ids (at every depth). */
export function contentOf(body: string): string {
  return JSON.stringify(JSON.parse(body), (key, value: unknown) =>
    key === 'feature_id' ? undefined : value,
  );
}

/** The content hash of a label made of these classifications' contents. */
export function contentHash(contents: readonly string[]): string {
  const hash = createHash('sha256');
  for (const c of [...contents].sort()) hash.update(c).update('\n');
  return hash.digest('hex');
}
