import { expect, it } from 'vitest';
import { formatV2 } from '../../shared/time.ts';
import { fastV2 } from './time-format.ts';

it('formats exactly as formatV2', () => {
  const samples = [
    0, 1, 999, 1000, 86_399_999, 86_400_000, -1, -86_400_001, 1_701_199_849_729, 253_402_300_799_999,
  ];
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    samples.push(Math.floor((x / 2147483648) * 4_102_444_800_000) - 1_000_000_000_000);
  }
  for (const ms of samples) expect(fastV2(ms)).toBe(formatV2(ms));
});
