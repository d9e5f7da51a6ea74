import { describe, expect, it } from 'vitest';
import { readAhead } from '../src/exports/v2/read-ahead.ts';

/** A source of pages that records when each read starts and whether it was closed. */
function source(pages: number, failAt?: number) {
  const log: string[] = [];
  async function* gen() {
    try {
      for (let i = 0; i < pages; i++) {
        log.push(`read ${i}`);
        await new Promise((r) => setTimeout(r, 1));
        if (i === failAt) throw new Error(`page ${i} failed`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }
  return { log, pages: gen() };
}

describe('readAhead', () => {
  it('yields every page in order, the next read started before the current page is used', async () => {
    const s = source(3);
    const seen: number[] = [];
    for await (const page of readAhead(s.pages)) {
      // The read of the following page was sent when this one was handed over.
      if (page < 2) expect(s.log).toContain(`read ${page + 1}`);
      seen.push(page);
      s.log.push(`used ${page}`);
    }
    expect(seen).toEqual([0, 1, 2]);
    // The read after the last page finds the end (and closes the source) while page 2 is in use.
    expect(s.log).toEqual(['read 0', 'read 1', 'used 0', 'read 2', 'used 1', 'closed', 'used 2']);
  });

  it('rethrows a failed read when its page is reached, not while the one before is used', async () => {
    const s = source(3, 1);
    const seen: number[] = [];
    let unhandled = 0;
    const onUnhandled = () => unhandled++;
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(
        (async () => {
          for await (const page of readAhead(s.pages)) {
            await new Promise((r) => setTimeout(r, 10)); // page 1's read fails meanwhile
            seen.push(page);
          }
        })(),
      ).rejects.toThrow('page 1 failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(seen).toEqual([0]);
    expect(unhandled).toBe(0);
  });

  it('closes the source when the consumer stops early', async () => {
    const s = source(5);
    for await (const page of readAhead(s.pages)) if (page === 1) break;
    expect(s.log.at(-1)).toBe('closed');
    expect(s.log).not.toContain('read 3');
  });
});
