/**
 * Prints the number of tests and of assertions in a vitest JSON report written with
 * `test/support/assertion-count.ts` loaded (vitest.config.ts does):
 *
 *   npx vitest run --reporter=json --outputFile=/tmp/suite.json && node test/support/assertion-total.ts /tmp/suite.json
 */
import { readFileSync } from 'node:fs';

interface Report {
  testResults: { assertionResults: { status: string; meta?: { assertions?: number } }[] }[];
}

const path = process.argv[2];
if (!path) {
  console.error('usage: assertion-total.ts <vitest JSON report>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
let tests = 0;
let assertions = 0;
for (const file of report.testResults) {
  for (const test of file.assertionResults) {
    if (test.status !== 'passed') continue;
    tests++;
    assertions += test.meta?.assertions ?? 0;
  }
}
console.log(`${tests} passed tests, ${assertions} assertions`);
