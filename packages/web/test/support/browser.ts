/**
 * Chromium for the browser tests: Debian's `/usr/bin/chromium` (or PREFER_CHROMIUM) driven by
 * playwright-core. Without it the browser suites skip with the reason printed, unless CI=true,
 * where a missing browser fails the run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';

export const CHROMIUM = process.env.PREFER_CHROMIUM ?? '/usr/bin/chromium';

export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PREFER_CHROMIUM)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
  console.warn(`[prefer tests] browser tests skipped: ${reason}`);
  return reason;
}

let shared: Promise<Browser> | undefined;

// Registered at the file level (this module is imported while a test file is collected): the
// file's Chromium ends after all of its suites.
afterAll(async () => {
  const browser = await shared?.catch(() => undefined);
  shared = undefined;
  await browser?.close();
});

/**
 * Chromium, launched once per test file and shared by its suites (one per backend): each call
 * returns a handle whose `close()` closes the contexts and pages that handle opened, not the
 * browser, so suites stay apart (contexts share no cookies or storage) without paying a launch each.
 */
export async function launchBrowser(): Promise<Browser> {
  shared ??= launch();
  const browser = await shared;
  const opened = new Set<BrowserContext>();
  const track = (context: BrowserContext) => {
    opened.add(context);
    context.once('close', () => opened.delete(context));
    return context;
  };
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === 'close') {
        return async () => {
          await Promise.all([...opened].map((context) => context.close().catch(() => {})));
        };
      }
      if (prop === 'newContext') {
        return async (...args: Parameters<Browser['newContext']>) => track(await target.newContext(...args));
      }
      if (prop === 'newPage') {
        return async (...args: Parameters<Browser['newPage']>) => {
          const page = await target.newPage(...args);
          track(page.context());
          return page;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function launch(): Promise<Browser> {
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
 * axe's 550 KB source is evaluated only when the page does not have it yet: a page keeps it across
 * the app's own navigations, and evaluating it again costs more than the check (0.4 s under load).
 * `resultTypes: ['violations']` still runs every rule on every node and reports every violation;
 * it only stops axe from collecting each passing and inapplicable node into the result.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate("typeof globalThis.axe?.run === 'function'"))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(options: { resultTypes: string[] }): Promise<{ violations: unknown[] }> };
      }
    ).axe;
    // axe moves the focus while it checks: put it back, the user's keys go on from there.
    const doc = (globalThis as unknown as { document: { activeElement: { focus?(): void } | null } })
      .document;
    const focused = doc.activeElement;
    const result = await axe.run({ resultTypes: ['violations'] });
    focused?.focus?.();
    return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}
