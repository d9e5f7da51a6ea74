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
