/** What a user does on the app's screens, by role and accessible name only. */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD } from './app-server.ts';

export interface SignInOptions {
  /** Default: the password of the app server's users (app-server.ts). */
  password?: string;
  /** Type into the sign-in form, for the tests whose subject it is; else sign in through its API. */
  form?: boolean;
}

/**
 * A page of a fresh browser context (no cookies of any other page), signed in, on the home screen.
 * Unless `form` is set, the session comes from the request the sign-in form makes
 * (`POST /api/v1/auth/login`, whose cookie the context keeps): the form itself is tested where it
 * is the subject (labeling.test.ts), and rendering and filling it again for every other sign-in
 * cost about half a second each on the shared machine.
 */
export async function signedInPage(
  browser: Browser,
  url: string,
  email: string,
  size = { width: 1440, height: 900 },
  options: SignInOptions = {},
): Promise<Page> {
  const password = options.password ?? PASSWORD;
  const context = await browser.newContext({ viewport: size, baseURL: url });
  const page = await context.newPage();
  if (options.form) {
    await page.goto('/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  } else {
    const res = await context.request.post(`${url}/api/v1/auth/login`, { data: { email, password } });
    expect(res.status(), `sign in as ${email}`).toBe(200);
    await page.goto('/');
  }
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** The titles of the model outputs in the order shown, left to right. */
export async function shownOrder(page: Page): Promise<string[]> {
  return page.locator('.output-title').allInnerTexts();
}

/** A link of the demo project's row on the home screen. */
export function demoLink(page: Page, name: string) {
  return page
    .getByRole('row', { name: /Demo: assistant preference/ })
    .getByRole('link', { name, exact: true });
}

/** A link of a project's row on the home screen, by the project's name. */
export function projectLink(page: Page, projectName: string, name: string) {
  return page.getByRole('row', { name: new RegExp(projectName) }).getByRole('link', { name, exact: true });
}

/**
 * Labels `count` rows in the open editor by keyboard only (the first option of the decision,
 * two evaluations, a reason), waiting for each submit to land.
 */
export async function labelRows(page: Page, count: number, reason = 'reason'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await page.getByRole('region', { name: 'Response A' }).waitFor();
    await page.keyboard.press(i % 2 === 0 ? '1' : '2');
    // Each key's effect is on screen before the next key: a key sent while a new row is still
    // settling must not land elsewhere (typed text outside the reason box would hit S, skip).
    await page.locator('input[type="radio"]:checked').waitFor();
    await page.keyboard.press('q');
    await page.keyboard.press('w');
    await page.keyboard.press('Tab');
    await page.locator('textarea:focus').waitFor();
    await page.keyboard.type(`${reason} ${i}`);
    await page.waitForTimeout(120);
    await page.keyboard.press('Control+Enter');
    await page.getByText(`${i + 1} done this session`).waitFor();
  }
}
