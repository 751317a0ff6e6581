/**
 * Bulk changes in a real Chromium (issue 25, points 5 and 6), by keyboard alone: an archivist moves
 * every result of a search to another collection and series (preview, then apply) and search finds
 * them there; sets a type on the results they checked; is told, on a stale preview, whose change
 * they would overwrite and goes over it once previewed again; changes a whole box from the bulk page
 * and reverts a change from its history, told which change stayed because someone changed it later.
 * A clerk sees none of it. axe-core finds no WCAG A/AA violation on the open panel and the page.
 * A library of born-digital PDFs (no OCR).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, accessibilityViolations, launchChromium } from '../helpers/browser.js';
import { readCatalog } from '../helpers/catalog.js';
import { call } from '../helpers/http.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { signIn, startServer, USERS, type RunningServer, type TestUser } from '../helpers/server.js';
import { textLibrary } from '../helpers/text-library.js';

const ARCHIVISTS: Record<'bruno' | 'ana', TestUser> = {
  bruno: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  ana: { name: 'ana', password: 'arquivista-da-tarde-22', role: 'archivist' },
};

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bulk-web-'));
let library: string;
let server: RunningServer;
const cookies: Record<string, string> = {};
const api = (user: string, pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => call(server.url, pathAndQuery, { ...options, cookie: cookies[user] });
const idOf = (name: string) => readCatalog(library).documents.find((d) => d.relative_path.endsWith(name))!.id;
const fieldOf = async (name: string, field: string) => (await api('bruno', `/api/documents/${idOf(name)}/record`)).json.fields[field];

beforeAll(async () => {
  library = await textLibrary(work, [
    ...[1, 2, 3].map((n) => ({ path: `Obras/1987/Caixa 12/alvara-${n}.pdf`, lines: [`ALVARA DE CONSTRUCAO N. ${n}`, 'Vistoria da obra concluida.'] })),
    { path: 'Obras/1988/Caixa 13/oficio-4.pdf', lines: ['OFICIO N. 4', 'Pedido de vistoria.'] },
    { path: 'Gabinete/1990/Caixa 5/decreto-5.pdf', lines: ['DECRETO N. 5', 'Nomeia a comissao.'] },
  ]);
  server = await startServer({ library, folder: work, users: Object.values(ARCHIVISTS), serve: { requestsPerMinute: 100_000 } });
  for (const [key, user] of Object.entries({ ...ARCHIVISTS, clerk: USERS.clerk })) cookies[key] = await signIn(server.url, user);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!HAS_CHROMIUM)('bulk changes on the page', () => {
  let browser: Browser;
  const pageErrors: string[] = [];
  beforeAll(async () => void (browser = await launchChromium()));
  afterAll(() => browser?.close());
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  /** Signed in, on the search page with `query` searched. */
  async function open(who: TestUser | typeof USERS.clerk, query: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(server.url);
    await page.getByLabel('Nome de usuário').fill(who.name);
    await page.getByLabel('Senha', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('searchbox').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.type(query);
    await page.locator('.hit').first().waitFor();
    return page;
  }

  /** Presses Tab (Shift+Tab: `back`) until the focus is on the element with this id, text or accessible label. */
  async function tabTo(page: Page, target: { id?: string; text?: string; label?: string }, back = false) {
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const at = await page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent?.trim() ?? '', label: document.activeElement?.getAttribute('aria-label') ?? '' }));
      if ((target.id && at.id === target.id) || (target.text && at.text === target.text) || (target.label && at.label === target.label)) return;
    }
    throw new Error(`Tab never reached ${JSON.stringify(target)}`);
  }
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
  const focusVisible = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle !== 'none');
  /** Checks a field's box (Space) and types its new value. */
  async function setField(page: Page, prefix: string, field: string, value: string) {
    await tabTo(page, { id: `${prefix}-change-${field}` });
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(`${prefix}-value-${field}`);
    await page.keyboard.type(value);
  }

  it('moves every result of a search to another collection and series, by keyboard alone: preview, then apply; search finds them there', async () => {
    const page = await open(ARCHIVISTS.bruno, 'vistoria');
    await page.locator('#status', { hasText: '4 páginas encontradas' }).waitFor();
    await tabTo(page, { id: 'bulk-toggle' });
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('bulk-scope-all');
    expect(await page.locator('#bulk-toggle').getAttribute('aria-expanded')).toBe('true');
    await setField(page, 'bulk', 'collection', 'Obras Públicas');
    await setField(page, 'bulk', 'series', 'Licenças');
    await page.keyboard.press('Enter');
    await page.locator('#bulk-summary', { hasText: 'Documentos que mudam: 4 de 4.' }).waitFor();
    expect(await focused(page)).toBe('bulk-preview-title');
    expect(await page.locator('#bulk-field-lines li').allTextContents()).toEqual([
      'Coleção passa a “Obras Públicas”. Mudam: 4; já estão assim: 0. Hoje: “Obras” (4).',
      'Série passa a “Licenças”. Mudam: 4; já estão assim: 0. Hoje: (vazio) (4).',
    ]);
    expect(await page.locator('#bulk-sample li').count()).toBe(4);
    // Nothing changed yet.
    expect((await fieldOf('alvara-1.pdf', 'collection')).value).toBe('Obras');
    expect(await accessibilityViolations(page)).toEqual([]);
    mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'bulk-preview.png'), fullPage: true });

    await tabTo(page, { id: 'bulk-apply' });
    expect(await page.locator('#bulk-apply').textContent()).toBe('Aplicar (documentos: 4)');
    await page.keyboard.press('Enter');
    await page.locator('#bulk-status', { hasText: /^Pronto: alteração em lote nº \d+, documentos alterados: 4\. A busca já encontra as mudanças\./ }).waitFor();
    expect(await page.locator('#bulk-preview').isHidden()).toBe(true);
    expect((await fieldOf('alvara-1.pdf', 'collection')).value).toBe('Obras Públicas');
    // The results are searched again: the collection filter offers the new collection.
    await page.locator('#collections label', { hasText: 'Obras Públicas' }).waitFor();
    expect((await api('clerk', '/api/search?q=vistoria&collection=Obras+P%C3%BAblicas')).json.total).toBe(4);
    await page.context().close();
  });

  it('sets a type on the results checked, by keyboard alone', async () => {
    const page = await open(ARCHIVISTS.bruno, 'alvara');
    await page.locator('#status', { hasText: '3 páginas encontradas' }).waitFor();
    // Each result has a box to check (the results come in order of relevance: whichever comes first).
    const wanted = new Set([1, 2].map((n) => `Marcar para alteração em lote: ALVARA DE CONSTRUCAO N. ${n}`));
    for (let i = 0; i < 120 && wanted.size > 0; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
      if (wanted.delete(label)) await page.keyboard.press('Space');
    }
    expect(await page.locator('.bulk-check:checked').count()).toBe(2);
    await tabTo(page, { id: 'bulk-toggle' }, true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toBe('bulk-scope-checked');
    expect(await page.locator('#bulk-scope-checked-label').textContent()).toBe('Só os marcados (marcados: 2)');
    await tabTo(page, { id: 'bulk-change-documentType' });
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Memorando');
    expect(await page.locator('#bulk-value-documentType').inputValue()).toBe('memorando');
    await tabTo(page, { id: 'bulk-preview-button' });
    await page.keyboard.press('Enter');
    await page.locator('#bulk-summary', { hasText: 'Documentos que mudam: 2 de 2.' }).waitFor();
    await tabTo(page, { id: 'bulk-apply' });
    await page.keyboard.press('Enter');
    await page.locator('#bulk-status', { hasText: 'documentos alterados: 2.' }).waitFor();
    expect(await Promise.all([1, 2, 3].map(async (n) => (await fieldOf(`alvara-${n}.pdf`, 'documentType')).value))).toEqual(['memorando', 'memorando', 'alvara']);
    await page.context().close();
  });

  it('tells an archivist, on a stale preview, whose change they would overwrite; previewed again, theirs goes over it', async () => {
    const page = await open(ARCHIVISTS.bruno, 'vistoria');
    await tabTo(page, { id: 'bulk-toggle' });
    await page.keyboard.press('Enter');
    await setField(page, 'bulk', 'box', '99');
    await page.keyboard.press('Enter');
    await page.locator('#bulk-summary', { hasText: 'Documentos que mudam: 4 de 4.' }).waitFor();
    // Meanwhile Ana files one of them in box 14.
    const version = (await fieldOf('oficio-4.pdf', 'box')).version;
    expect((await api('ana', `/api/documents/${idOf('oficio-4.pdf')}`, { method: 'PATCH', body: { fields: { box: { value: '14', basedOn: version } } } })).status).toBe(200);
    await tabTo(page, { id: 'bulk-apply' });
    await page.keyboard.press('Enter');
    await page.locator('#bulk-problem', { hasText: 'Outra pessoa mudou alguns destes documentos depois da prévia. Nada foi alterado' }).waitFor();
    expect(await page.locator('#bulk-conflicts li').textContent()).toMatch(/^OFICIO N\. 4 — Caixa: ana mudou para “14” em .+\.$/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ver prévia de novo');
    expect((await fieldOf('alvara-1.pdf', 'box')).value).toBe('12');
    await page.keyboard.press('Enter');
    await page.locator('#bulk-field-lines li', { hasText: '“14” (1)' }).waitFor();
    await tabTo(page, { id: 'bulk-apply' });
    await page.keyboard.press('Enter');
    await page.locator('#bulk-status', { hasText: 'documentos alterados: 4.' }).waitFor();
    expect((await fieldOf('oficio-4.pdf', 'box')).value).toBe('99');
    await page.context().close();
  });

  it('changes a whole box from the bulk page, and reverts a change from its history, told what stayed', async () => {
    const page = await open(ARCHIVISTS.bruno, 'vistoria');
    await tabTo(page, { id: 'bulk-link' }, true);
    await page.keyboard.press('Enter');
    await page.locator('#history-list li').first().waitFor();
    await tabTo(page, { id: 'box' });
    await page.keyboard.type('Gabinete');
    expect(await page.locator('#box option:checked').textContent()).toBe('Gabinete — caixa 5 (documentos: 1)');
    await setField(page, 'box-change', 'series', 'Atos do prefeito');
    await page.keyboard.press('Enter');
    await page.locator('#box-change-summary', { hasText: 'Documentos que mudam: 1 de 1.' }).waitFor();
    await tabTo(page, { id: 'box-change-apply' });
    await page.keyboard.press('Enter');
    await page.locator('#box-change-status', { hasText: 'documentos alterados: 1.' }).waitFor();
    expect((await fieldOf('decreto-5.pdf', 'series')).value).toBe('Atos do prefeito');

    // The first change (collection and series of the search's results): Ana has since changed one series.
    const first = page.locator('#history-list li', { hasText: 'Resultados da busca “vistoria” — Coleção → “Obras Públicas”' });
    const firstId = Number((await first.getAttribute('id'))!.replace('bulk-', ''));
    const series = await fieldOf('alvara-3.pdf', 'series');
    expect((await api('ana', `/api/documents/${idOf('alvara-3.pdf')}`, { method: 'PATCH', body: { fields: { series: { value: 'Habite-se', basedOn: series.version } } } })).status).toBe(200);
    await page.reload();
    await first.waitFor();
    expect(await first.locator('.values').last().textContent()).toBe('Documentos alterados: 4 de 4. Mudanças que ainda valem: 7 de 8.');
    await tabTo(page, { text: `Desfazer a alteração nº ${firstId}` });
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#history-status', { hasText: `Alteração nº ${firstId} desfeita: mudanças que voltaram ao valor anterior: 7.` }).waitFor();
    expect(await page.locator('#history-outcome li').textContent()).toMatch(new RegExp(`^Documento ${idOf('alvara-3.pdf')} — Série: ana mudou para “Habite-se” em .+\\.$`));
    await expect.poll(() => focused(page)).toBe('history-title');
    expect(await page.locator('#history-list li').first().textContent()).toContain(`Desfez a alteração nº ${firstId}`);
    expect((await fieldOf('alvara-1.pdf', 'collection')).value).toBe('Obras');
    expect((await fieldOf('alvara-3.pdf', 'series')).value).toBe('Habite-se');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'bulk-history.png'), fullPage: true });
    // In Spanish and English too.
    await page.getByLabel('Idioma').selectOption('es');
    expect(await page.locator('#history-title').textContent()).toBe('Historial de cambios en lote');
    await page.getByLabel('Idioma').selectOption('en');
    expect(await page.locator('#box-title').textContent()).toBe('Change a whole box');
    await page.context().close();
  });

  it('shows a clerk no way to change in bulk, and the bulk page says it is not theirs', async () => {
    const page = await open(USERS.clerk, 'vistoria');
    expect(await page.locator('#bulk-bar').isHidden()).toBe(true);
    expect(await page.locator('#bulk-link').isHidden()).toBe(true);
    expect(await page.locator('.bulk-check').count()).toBe(0);
    await page.goto(`${server.url}/lote`);
    await page.locator('#problem', { hasText: 'Só arquivistas podem fazer alterações em lote.' }).waitFor();
    expect(await page.locator('#box-section').isHidden()).toBe(true);
    await page.context().close();
  });
});
