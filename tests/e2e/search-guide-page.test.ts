/**
 * The clerks' search guide as `acervo serve` shows it: at /ajuda, to anyone (it holds nothing of
 * the archive), exactly the page made from docs/search-guide.md; linked under the search box, to
 * its Portuguese or Spanish part as the page's language says; readable by axe-core's WCAG A/AA rules.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, HAS_CHROMIUM, accessibilityViolations, launchChromium } from '../helpers/browser.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';
import { startServer, USERS, type RunningServer } from '../helpers/server.js';

if (!HAS_CHROMIUM) console.warn(`${CHROMIUM} is missing: the guide's browser test is skipped (apt-get install chromium; .ci/run does).`);
const GUIDE = readFileSync(path.join(REPO_ROOT, 'web', 'public', 'search-guide.html'), 'utf8');

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-guide-'));
let server: RunningServer;
let browser: Browser | undefined;

beforeAll(async () => {
  const library = path.join(work, 'library');
  cpSync(inject('samplesLibrary'), library, { recursive: true });
  server = await startServer({ library, folder: work });
  if (HAS_CHROMIUM) {
    browser = await launchChromium();
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the clerks’ search guide', () => {
  it('is served at /ajuda without signing in, as made from docs/search-guide.md, with nothing the page’s CSP refuses', async () => {
    const response = await fetch(`${server.url}/ajuda`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const body = await response.text();
    expect(body).toBe(GUIDE);
    expect(body).toContain('<section id="pt" lang="pt-BR">');
    expect(body).toContain('<section id="es" lang="es">');
    expect(body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it.skipIf(!HAS_CHROMIUM)('is linked under the search box, to the part in the page’s language, and passes axe-core', async () => {
    const context = await browser!.newContext({ locale: 'pt-BR' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.getByLabel('Nome de usuário').fill(USERS.clerk.name);
    await page.getByLabel('Senha', { exact: true }).fill(USERS.clerk.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('searchbox').waitFor();

    const portuguese = page.getByRole('link', { name: 'Como buscar: guia com exemplos' });
    expect(await portuguese.getAttribute('href')).toBe('/ajuda#pt');
    await page.locator('#language').selectOption('es');
    const spanish = page.getByRole('link', { name: 'Cómo buscar: guía con ejemplos' });
    expect(await spanish.getAttribute('href')).toBe('/ajuda#es');

    await spanish.click();
    await page.waitForURL(`${server.url}/ajuda#es`);
    expect(await page.getByRole('heading', { level: 2, name: 'Español' }).isVisible()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
