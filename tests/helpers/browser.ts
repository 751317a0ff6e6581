/** Debian's Chromium for the web page's browser tests, launched as the machines here need it, and axe-core's check of a page. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** No sandbox (the tests run as root), and none of Chromium's calls home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's rules of `tags` on the page as it is now, one line per rule broken with the elements
 * that break it. Evaluated through the DevTools protocol: the page's own CSP (rightly) refuses
 * injected scripts.
 */
export async function accessibilityViolations(page: Page, tags: readonly string[] = WCAG_21_AA): Promise<string[]> {
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(async (values) => (window as any).axe.run(document, { runOnly: { type: 'tag', values } }), [...tags]);
  return result.violations.map((v: { id: string; nodes: Array<{ target: string[] }> }) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A new desktop-sized page (pt-BR) of the staff server at `url`, signed in by keyboard alone as
 * `who` (the sign-in form takes focus; Tab to the password; Enter), left on the search box. The
 * page's script errors go to `pageErrors`, for the test to assert there were none.
 */
export async function signedInByKeyboard(browser: Browser, url: string, who: { name: string; password: string }, pageErrors: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(url);
  await page.locator('#user-name:focus').waitFor();
  await page.keyboard.type(who.name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.password);
  await page.keyboard.press('Enter');
  await page.locator('#q:focus').waitFor();
  return page;
}
