/**
 * Seeded rows for the analytics: several annotators per row (one to four labels), four models,
 * a strength, a rubric of two options, skips, reviews and timings; the same seed, the same rows.
 */
import { seededRandom } from '../../src/stats/rng.ts';
import type { LabelSpec, RowSpec } from './export-rows.ts';

const MODELS = ['model-a', 'model-b', 'model-c', 'model-d'];
const ANSWERS = ['Response A', 'Response B', 'Response A', 'Tie', 'Both bad'];

export function randomRows(count: number, seed = 3, annotators = 6): RowSpec[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, i): RowSpec => {
    const a = pick(MODELS);
    const b = pick(MODELS.filter((m) => m !== a));
    const labels = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, j): LabelSpec => {
      const rubric = ['Relevance', 'Safety'].filter(() => random() < 0.5);
      return {
        answer: pick(ANSWERS),
        by: `ann${Math.floor(random() * annotators)}@example.com`,
        at: new Date(Date.UTC(2024, 0, 1) + (i * 4 + j) * 61_000).toISOString().replace('Z', '+00:00'),
        seconds: Math.floor(random() * 90) + (random() < 0.5 ? 0.5 : 0),
        skipped: random() < 0.05,
        strength: pick(['Slightly better', 'Much better']),
        rubric,
        reviews: random() < 0.3 ? [{ score: random() < 0.7 ? 1 : -1 }] : [],
      };
    });
    return {
      id: `row-${i}`,
      outputs: [
        ['Response A', a, `answer of ${a} to ${i}`],
        ['Response B', b, `answer of ${b} to ${i}`],
      ],
      labels,
    };
  });
}
