/**
 * The train/test split by a stable hash of the prompt: the same prompt always lands on the same
 * side (no leakage of a prompt between train and test), and the split does not change when rows
 * are added or reordered.
 */
import { createHash } from 'node:crypto';
import type { Message } from '../types.ts';

export type Split = 'train' | 'test';

export function splitOf(prompt: readonly Message[], testFraction: number): Split {
  if (testFraction <= 0) return 'train';
  const digest = createHash('sha256')
    .update(JSON.stringify(prompt.map((m) => [m.role, m.content])))
    .digest();
  // The first 48 bits as a number in [0, 1).
  return digest.readUIntBE(0, 6) / 2 ** 48 < testFraction ? 'test' : 'train';
}
