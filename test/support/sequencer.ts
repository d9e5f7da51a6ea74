/**
 * Longest files first, so the two workers finish together instead of one running a browser suite
 * alone at the end. vitest's own order does that from the timings of an earlier run (its results
 * cache); on a fresh clone or in CI it has none and orders by file size, which starts the browser
 * suites (a minute or more each, Chromium included) late. Without timings this puts every file of
 * packages/web/test that launches Chromium first, largest first, then the rest by size.
 *
 * Either way the files of isolated projects (the browser suites, vitest.config.ts) come before
 * all the others: vitest keeps a shared (`isolate: false`) worker for the next file only while
 * the next file in its queue is also a shared one, so an isolated file queued between them would
 * end the shared process and the next one would import everything again.
 */
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const usesBrowser = (file: string) =>
  /packages\/web\/test\//.test(file) && readFileSync(file, 'utf8').includes('launchBrowser');

const isolatedFirst = (files: TestSpecification[]) => [
  ...files.filter((spec) => spec.project.config.isolate !== false),
  ...files.filter((spec) => spec.project.config.isolate === false),
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const key = (spec: TestSpecification) => `${spec.project.name}:${relative(config.root, spec.moduleId)}`;
    const known = files.every((spec) => cache.getFileTestResults(key(spec)));
    if (known) return isolatedFirst(await super.sort(files));
    const rank = new Map(
      files.map((spec) => [spec, [usesBrowser(spec.moduleId) ? 1 : 0, statSync(spec.moduleId).size]]),
    );
    return isolatedFirst(
      [...files].sort((a, b) => {
        const [browserA, sizeA] = rank.get(a)!;
        const [browserB, sizeB] = rank.get(b)!;
        return browserB! - browserA! || sizeB! - sizeA!;
      }),
    );
  }
}
