/** Builds the web app once per test run when it is missing or stale, before any browser test serves it. */
import { ensureWebBuild } from '../../node/build.js';

export default async function setup() {
  await ensureWebBuild((line) => console.log(`[prefer web tests] ${line}`));
}
