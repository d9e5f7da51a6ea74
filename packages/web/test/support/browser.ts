/**
 * Chromium for the browser tests: Debian's `/usr/bin/chromium` (or PREFER_CHROMIUM) driven by
 * playwright-core. Without it the browser suites skip with the reason printed, unless CI=true,
 * where a missing browser fails the run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.PREFER_CHROMIUM ?? '/usr/bin/chromium';

export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PREFER_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
  console.warn(`[prefer tests] browser tests skipped: ${reason}`);
  return reason;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const SHOTS = join(process.cwd(), 'test-results', 'web');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  // Markdown renders in a deferred pass (aria-busy until done): shoot the screen a person reads,
  // not the blank first frame. A screen that stays busy (a loading state) is shot as it is.
  await page
    .waitForFunction("!document.querySelector('.md[aria-busy=true]')", undefined, { timeout: 5_000 })
    .catch(() => {});
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run inside the page (evaluated through the DevTools protocol, which the page's CSP does
 * not govern, so the app's policy stays strict); fails on serious or critical violations.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    // axe moves the focus while it checks: put it back, the user's keys go on from there.
    const doc = (globalThis as unknown as { document: { activeElement: { focus?(): void } | null } })
      .document;
    const focused = doc.activeElement;
    const result = await axe.run();
    focused?.focus?.();
    return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}
