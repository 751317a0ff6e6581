/**
 * The clerks' page in a real headless Chromium (Debian's, driven by playwright-core): sign in,
 * search as you type, see the words highlighted, filter, open the PDF at the matching page; by
 * keyboard only; in Spanish and English; on a phone-sized screen; with axe-core's WCAG A/AA
 * checks. A screenshot of the results page is saved to test-artifacts/.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, accessibilityViolations, launchChromium } from '../helpers/browser.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { startServer, USERS, type RunningServer } from '../helpers/server.js';

if (!HAS_CHROMIUM) console.warn(`${CHROMIUM} is missing: the browser tests are skipped (apt-get install chromium; .ci/run does).`);
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-browser-'));
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  const library = path.join(work, 'library');
  cpSync(inject('samplesLibrary'), library, { recursive: true });
  server = await startServer({ library, folder: work });
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function newPage(options: { locale?: string; width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale ?? 'pt-BR', viewport: { width: options.width ?? 1280, height: options.height ?? 900 } });
  const page = await context.newPage();
  // Scripts of the page must not fail: every error is kept and checked when the page closes.
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

const pageErrors: string[] = [];
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

async function signInWithForm(page: Page, locale: 'pt' | 'es' | 'en' = 'pt'): Promise<void> {
  const labels = { pt: ['Nome de usuário', 'Senha', 'Entrar'], es: ['Nombre de usuario', 'Contraseña', 'Ingresar'], en: ['User name', 'Password', 'Sign in'] }[locale];
  await page.goto(server.url);
  await page.getByLabel(labels[0]!).fill(USERS.clerk.name);
  await page.getByLabel(labels[1]!, { exact: true }).fill(USERS.clerk.password);
  await page.getByRole('button', { name: labels[2]! }).click();
  await page.getByRole('searchbox').waitFor();
}


describe.skipIf(!HAS_CHROMIUM)('the clerks’ search page in Chromium', () => {
  it('shows only the sign-in form to a stranger, in Portuguese', async () => {
    const page = await newPage();
    await page.goto(server.url);
    await expect(page.locator('html')).toHaveAttributeValue('lang', 'pt-BR');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Entrar');
    expect(await page.getByRole('searchbox').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Nome de usuário').fill(USERS.clerk.name);
    await page.getByLabel('Senha').fill('errada');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page.getByRole('alert').first()).toHaveTextValue(/Nome de usuário ou senha errados/);
    await page.context().close();
  });

  it('signs in, searches as you type with the words highlighted, filters, and opens the PDF at the matching page', async () => {
    const page = await newPage();
    await signInWithForm(page);
    // Empty state first: what to type.
    await expect(page.locator('#message')).toHaveTextValue(/O que você procura\?/);
    // Typed letter by letter, without pressing Enter: results follow the typing.
    await page.getByRole('searchbox').pressSequentially('munic', { delay: 40 });
    await page.locator('.hit mark').first().waitFor();
    expect((await page.locator('.hit mark').first().textContent())!.toLowerCase()).toMatch(/^munic/);
    await expect(page.getByRole('status')).toHaveTextValue(/\d+ páginas encontradas/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-results.png'), fullPage: true });

    // A collection filter, with its count, narrows the hits to that collection.
    const gabinete = page.locator('#collections .option', { hasText: 'Gabinete' });
    const count = Number(/\((\d+)\)/.exec((await gabinete.textContent())!)![1]);
    await gabinete.getByRole('checkbox').check();
    await expect(page.getByRole('status')).toHaveTextValue(count === 1 ? '1 página encontrada' : `${count} páginas encontradas`);
    const metas = await page.locator('.hit .meta').allTextContents();
    expect(metas.length).toBe(Math.min(count, 20));
    expect(metas.every((meta) => meta.includes('Gabinete'))).toBe(true);

    // A word on page 2 of the decree: the hit opens the PDF there.
    await page.getByRole('searchbox').fill('atraso');
    await page.locator('.hit mark', { hasText: /^atraso$/ }).first().waitFor();
    const hit = page.locator('.hit', { hasText: 'DECRETO' });
    expect(await hit.locator('.meta').textContent()).toMatch(/página 2/);
    await hit.getByRole('link', { name: /Abrir na página 2/ }).click();
    await page.locator('#page[data-page="2"]').waitFor();
    await expect(page.locator('#position')).toHaveTextValue('Página 2 de 3');
    expect(await page.locator('#text-layer').textContent()).toMatch(/atraso/);
    // The page was drawn: the canvas is not blank.
    const inked = await page.locator('#canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
      return dark / (data.length / 4);
    });
    expect(inked).toBeGreaterThan(0.005);
    // The document view: its metadata, the pages with the word, and a download.
    await expect(page.locator('#metadata')).toHaveTextValue(/Tipo\s*Decreto/);
    expect(await page.locator('#page-hits button').allTextContents()).toEqual(['Página 2 de 3']);
    expect(await page.getByRole('link', { name: 'Baixar PDF' }).getAttribute('href')).toMatch(/\/api\/documents\/\d+\/pdf\?download=1$/);
    await page.getByRole('button', { name: 'Próxima página' }).click();
    await page.locator('#page[data-page="3"]').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('shows a clerk without the permission no digit of a CPF: not in the hit, the document view or the PDF viewer’s text layer', async () => {
    // The samples' certidão holds CPF 318.472.605-35 (the clerk may search it, not read its digits).
    const cpf = '31847260535';
    const digitsOf = (text: string) => (text.match(/[0-9][0-9 .,\-/*\n]*/g) ?? []).map((run) => run.replace(/[^0-9]/g, '')).join(' ');
    const leaked = (text: string) => [0, 1, 2, 3, 4, 5, 6].map((i) => cpf.slice(i, i + 5)).filter((piece) => digitsOf(text).includes(piece));
    const page = await newPage();
    await signInWithForm(page);
    await page.getByRole('searchbox').fill('certidão tempo de serviço');
    const hit = page.locator('.hit', { hasText: /CERTID/i }).first();
    await hit.waitFor();
    expect(leaked(await page.locator('body').innerText())).toEqual([]);
    await hit.getByRole('link').first().click();
    await page.locator('#page[data-page]').waitFor();
    await expect(page.locator('#text-layer')).toHaveTextValue(/CPF/);
    const textLayer = (await page.locator('#text-layer').textContent())!;
    // The number is burned out of the page and gone from its text: nothing of it to select.
    expect(textLayer).toMatch(/CPF/);
    expect(leaked(textLayer)).toEqual([]);
    expect(leaked(await page.locator('body').innerText())).toEqual([]);
    // What the viewer's own PDF gives pdf.js: its text, every page, read in the page.
    const pdfText = await page.evaluate(async () => {
      const href = document.querySelector<HTMLAnchorElement>('a[href*="/pdf?download=1"]')!.href;
      const bytes = new Uint8Array(await (await fetch(href)).arrayBuffer());
      return new TextDecoder('latin1').decode(bytes);
    });
    expect(pdfText.startsWith('%PDF-')).toBe(true);
    expect(pdfText).not.toContain('318.472.605-35');
    await page.context().close();
  });

  it('says what to try when nothing is found, and meets WCAG A/AA on the results', async () => {
    const page = await newPage();
    await signInWithForm(page);
    await page.getByRole('searchbox').fill('xyzzyqwerty');
    await expect(page.locator('#message')).toHaveTextValue(/Nenhum documento encontrado para “xyzzyqwerty”.*Tente menos palavras/s);
    await page.getByRole('searchbox').fill('certidao');
    await page.locator('.hit mark').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('takes whatever a clerk types: a lone quote, stray symbols, exclusions, OR, a word thousands of letters long', async () => {
    const page = await newPage({ width: 375, height: 740 });
    await signInWithForm(page);
    const box = page.getByRole('searchbox');
    // A lone quote: nothing to search for, said as a notice — not "something went wrong".
    await box.fill('"');
    await expect(page.locator('#message')).toHaveTextValue(/Não há o que buscar em “"”/);
    expect(await page.locator('#message .error').count()).toBe(0);
    // Stray symbols are left out, and the clerk is told which.
    await box.fill('decreto ^ 😀');
    await page.locator('.hit').first().waitFor();
    await expect(page.locator('#message')).toHaveTextValue(/Deixado de fora da busca: \^ 😀/);
    const decrees = Number(/^(\d+)/.exec(((await page.getByRole('status').textContent()) ?? '').trim())![1]);
    // -word leaves pages out; OR keeps either.
    await box.fill('decreto -atraso');
    await expect(page.getByRole('status')).toHaveTextValue(`${decrees - 1} ${decrees - 1 === 1 ? 'página encontrada' : 'páginas encontradas'}`);
    await box.fill('atraso OR certidão');
    await page.locator('.hit mark', { hasText: /^atraso$/ }).first().waitFor();
    await page.locator('.hit mark', { hasText: /^certid/i }).first().waitFor();
    // Only exclusions: told to type what they look for.
    await box.fill('-decreto');
    await expect(page.locator('#message')).toHaveTextValue(/só tira resultados/);
    // A 5,000-letter word neither breaks the search nor widens the page.
    await box.fill(`decreto ${'x'.repeat(5000)}`);
    await page.locator('.hit').first().waitFor();
    await expect(page.locator('#message')).toHaveTextValue(/Deixado de fora da busca: xxxxxxxxxxxx… \(5000 characters\)/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    // The document opens from a search with nothing to search for, too.
    const firstHit = await page.locator('.hit .title a').first().getAttribute('href');
    await page.goto(`${server.url}${firstHit!.replace(/&q=.*/, '')}&q=${encodeURIComponent('"')}`);
    await page.locator('#page[data-page]:not([data-page=""])').waitFor();
    expect(await page.locator('#problem').textContent()).toBe('');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('works by keyboard alone: sign in, search, reach a hit and open it', async () => {
    const page = await newPage();
    await page.goto(server.url);
    // The sign-in form opens with the focus in its first field.
    await page.waitForFunction(() => document.activeElement?.id === 'user-name');
    await page.keyboard.type(USERS.clerk.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USERS.clerk.password);
    await page.keyboard.press('Enter');
    await page.getByRole('searchbox').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.type('alvara');
    await page.locator('.hit mark', { hasText: /^alvar/i }).first().waitFor();
    // Tab through the filters to the first hit's link; focus is always visible.
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.closest('.hit .title') !== null);
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#page[data-page="1"]').waitFor();
    await page.context().close();
  });

  it('speaks Spanish to a Spanish browser and English when switched', async () => {
    const page = await newPage({ locale: 'es-AR' });
    await signInWithForm(page, 'es');
    expect(await page.getByText('Filtrar').first().isVisible()).toBe(true);
    await page.getByRole('searchbox').fill('ordenanza');
    await expect(page.getByRole('status')).toHaveTextValue(/página(s)? encontrada(s)?/);
    expect(await page.locator('.hit .meta').first().textContent()).toMatch(/Ordenanza · Municipalidad · 1992/);
    await page.getByLabel('Idioma').selectOption('en');
    await expect(page.locator('html')).toHaveAttributeValue('lang', 'en');
    expect(await page.getByText('Filter').first().isVisible()).toBe(true);
    await expect(page.getByRole('status')).toHaveTextValue(/page(s)? found/);
    await page.context().close();
  });

  it('fits a phone screen: no sideways scrolling on the results or the document', async () => {
    const page = await newPage({ width: 375, height: 740 });
    await signInWithForm(page);
    await page.getByRole('searchbox').fill('decreto');
    await page.locator('.hit').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-results-phone.png'), fullPage: true });
    await page.locator('.hit .title a').first().click();
    await page.locator('#page[data-page]:not([data-page=""])').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});

// Small polling assertions: Playwright's own `expect` lives in @playwright/test, which would download browsers.
// They wait up to 30 s: on a busy CI machine pdf.js can take seconds to draw a page and its text
// layer again (5 s was once too short); the time it takes is not what they check.
declare module 'vitest' {
  interface Assertion {
    toHaveAttributeValue(name: string, value: string): Promise<void>;
    toHaveTextValue(text: string | RegExp): Promise<void>;
  }
}
/** 300 polls 100 ms apart. */
const POLLS = 300;
expect.extend({
  async toHaveAttributeValue(locator: import('playwright-core').Locator, name: string, value: string) {
    let actual: string | null = null;
    for (let i = 0; i < POLLS; i++) {
      actual = await locator.getAttribute(name);
      if (actual === value) return { pass: true, message: () => '' };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { pass: false, message: () => `expected ${name}="${value}", found "${actual}"` };
  },
  async toHaveTextValue(locator: import('playwright-core').Locator, text: string | RegExp) {
    let actual = '';
    for (let i = 0; i < POLLS; i++) {
      actual = ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
      if (typeof text === 'string' ? actual === text : text.test(actual)) return { pass: true, message: () => '' };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { pass: false, message: () => `expected text ${String(text)}, found "${actual}"` };
  },
});
