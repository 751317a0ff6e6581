/**
 * The public portal in real Chromium (issue 26, point 2), as a citizen uses it: on a phone-sized
 * screen, by keyboard alone, in Portuguese and Spanish, at 200% and 400% zoom (as CSS widths of
 * 640 and 320 px), with axe-core's WCAG 2.x A/AA rules (2.2 included) on every page. Pages carry
 * no script and no image: a document's pages come only as its PDF, when asked for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, WCAG_21_AA, accessibilityViolations, launchChromium } from '../helpers/browser.js';
import { ACCESS, CPF, PORTAL_CONFIG, portalLibrary } from '../helpers/portal-library.js';
import { readPdf } from '../helpers/pdf-text.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-portal-browser-'));
let server: RunningServer;
let browser: Browser;
const PHONE = { width: 360, height: 740 };

beforeAll(async () => {
  const library = await portalLibrary(work);
  server = await startServer({ library, folder: work, access: ACCESS, portal: { ...PORTAL_CONFIG, requestsPerMinute: 1000 }, args: ['--public'] });
  if (HAS_CHROMIUM) browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function open(where: string, options: { locale?: string; width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale ?? 'pt-BR', viewport: { width: options.width ?? PHONE.width, height: options.height ?? PHONE.height }, isMobile: (options.width ?? PHONE.width) < 500, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${server.url}${where}`);
  return page;
}

/** axe-core's WCAG A and AA rules, 2.0 to 2.2, on the page as it is now. */
const violations = (page: Page) => accessibilityViolations(page, [...WCAG_21_AA, 'wcag22aa']);

/** Nothing wider than the screen: no sideways scrolling (WCAG 1.4.10 reflow). */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** Tabs until the focused element matches `test` (at most `max` times), checking every stop shows its focus. */
async function tabTo(page: Page, test: string, max = 40): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, test);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    if (here) return true;
  }
  return false;
}

describe.skipIf(!HAS_CHROMIUM)('the portal in Chromium, on a phone', () => {
  it('the home page is light, plain and accessible', async () => {
    const page = await open('/');
    expect(new URL(page.url()).pathname).toBe('/transparencia');
    expect(await page.locator('h1').textContent()).toBe('Transparência');
    expect(await page.evaluate(() => ({ scripts: document.scripts.length, images: document.images.length }))).toEqual({ scripts: 0, images: 0 });
    const weight = await page.evaluate(() => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation')).reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).encodedBodySize, 0));
    expect(weight).toBeGreaterThan(0);
    expect(weight).toBeLessThan(20_000);
    expect(await overflows(page)).toBe(false);
    expect(await violations(page)).toEqual([]);
    // "O que é um decreto?", opened by keyboard.
    expect(await tabTo(page, 'details:has(+ ul) summary, summary')).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('details[open] p').first().textContent()).toMatch(/\.$/);
    await page.context().close();
  });

  it('by keyboard alone: skip to the content, search by subject, open a document, read its citation', async () => {
    const page = await open('/transparencia');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await tabTo(page, '#q')).toBe(true);
    await page.keyboard.type('iluminacao');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/transparencia\/busca/);
    expect(await page.locator('[role=status]').textContent()).toContain('1 resultado');
    expect(await page.locator('.snippet mark').first().textContent()).toMatch(/ilumina/i);
    expect(await violations(page)).toEqual([]);
    expect(await tabTo(page, '.records a')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/transparencia\/d\/[a-z2-9]{16}$/);
    const address = page.url();
    expect(await page.locator('h1').textContent()).toContain('100/1990');
    const citation = await page.locator('.citation').textContent();
    expect(citation).toContain('Prefeitura Municipal de Exemplo');
    expect(citation).toContain(`Disponível em: ${address}`);
    expect(await page.evaluate(() => document.images.length)).toBe(0);
    expect(await overflows(page)).toBe(false);
    expect(await violations(page)).toEqual([]);
    // The permanent address opens the same document in a fresh browser.
    const again = await open(new URL(address).pathname);
    expect(await again.locator('h1').textContent()).toContain('100/1990');
    await again.context().close();
    await page.context().close();
  });

  it('search by number, year and type; the newest acts of a type', async () => {
    const page = await open('/transparencia');
    await page.fill('#numero', '12/1987');
    await page.click('button[type=submit]');
    await page.waitForURL(/busca/);
    expect(await page.locator('.records li').count()).toBe(1);
    expect(await page.locator('.records a').textContent()).toContain('DECRETO');
    await page.goto(`${server.url}/transparencia/busca?ano=1992`);
    expect(await page.locator('.records a').allTextContents()).toEqual([expect.stringContaining('102/1992')]);
    await page.goto(`${server.url}/transparencia/busca?tipo=lei`);
    // Newest first (nothing is withheld in this library: 101/1991 is public here).
    expect(await page.locator('.records a').allTextContents()).toEqual([expect.stringContaining('102/1992'), expect.stringContaining('101/1991'), expect.stringContaining('100/1990')]);
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it('in Spanish, by the browser’s language, and the switch keeps the page', async () => {
    const page = await open('/transparencia', { locale: 'es-AR' });
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h2').first().textContent()).toBe('Buscar documentos');
    expect(await page.locator('summary').allTextContents()).toContain('¿Qué es un decreto?');
    expect(await violations(page)).toEqual([]);
    await page.click('a[hreflang=en]');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('summary').allTextContents()).toContain('What is a decree?');
    await page.context().close();
  });

  it('zoomed to 200% and 400% (640 and 320 CSS pixels wide), nothing needs sideways scrolling', async () => {
    for (const width of [640, 320]) {
      const page = await open('/transparencia/busca?q=pavimentacao', { width, height: 450 });
      expect(await overflows(page)).toBe(false);
      expect(await violations(page)).toEqual([]);
      await page.context().close();
    }
  });

  it('the PDF comes only when asked for, as the redacted copy', async () => {
    const page = await open('/transparencia/busca?ano=1992');
    await page.click('.records a');
    const link = page.locator('a.button');
    expect(await link.textContent()).toContain('PDF, 1 página');
    const response = await page.request.get(await link.getAttribute('href').then((href) => `${server.url}${href}`));
    expect(response.headers()['content-type']).toBe('application/pdf');
    const file = path.join(work, 'copia.pdf');
    writeFileSync(file, await response.body());
    const copy = await readPdf(file);
    expect(copy.metadata).toContain('redactedCopyOf');
    expect(copy.pages[0]!.text.replace(/\D/g, '')).not.toContain(CPF.replace(/\D/g, '').slice(0, 5));
    await page.context().close();
  });
});
