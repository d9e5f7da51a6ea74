/** What a user does on the app's screens, by role and accessible name only. */
import type { Browser, Page } from 'playwright-core';
import { PASSWORD } from './app-server.ts';

export async function signedInPage(
  browser: Browser,
  url: string,
  email: string,
  size = { width: 1440, height: 900 },
) {
  const context = await browser.newContext({ viewport: size, baseURL: url });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
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
    await page.keyboard.press('q');
    await page.keyboard.press('w');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${reason} ${i}`);
    await page.waitForTimeout(120);
    await page.keyboard.press('Control+Enter');
    await page.getByText(`${i + 1} done this session`).waitFor();
  }
}
