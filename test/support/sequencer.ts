/**
 * Longest files first, so the two workers finish together instead of one running a browser suite
 * alone at the end. vitest's own order does that from the timings of an earlier run (its results
 * cache); on a fresh clone or in CI it has none and orders by file size, which starts the browser
 * suites (a minute or more each, Chromium included) late. Without timings this puts every file of
 * packages/web/test that launches Chromium first, largest first, then the rest by size.
 */
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const usesBrowser = (file: string) =>
  /packages\/web\/test\//.test(file) && readFileSync(file, 'utf8').includes('launchBrowser');

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const key = (spec: TestSpecification) => `${spec.project.name}:${relative(config.root, spec.moduleId)}`;
    const known = files.every((spec) => cache.getFileTestResults(key(spec)));
    if (known) return super.sort(files);
    const rank = new Map(
      files.map((spec) => [spec, [usesBrowser(spec.moduleId) ? 1 : 0, statSync(spec.moduleId).size]]),
    );
    return [...files].sort((a, b) => {
      const [browserA, sizeA] = rank.get(a)!;
      const [browserB, sizeB] = rank.get(b)!;
      return browserB! - browserA! || sizeB! - sizeA!;
    });
  }
}
