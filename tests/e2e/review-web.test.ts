/**
 * Issue 25's review queue in a real Chromium, by keyboard alone: an archivist goes from the search
 * page to the queue, filters it by collection and box, moves through it with j and k, accepts an
 * item with a, opens one beside its page image with Enter, goes to the field (or the page's text)
 * with e, corrects it, comes back to the shortcuts with Esc, and moves on; accepting from the
 * document page goes to the next item. The shortcuts are listed on the page; axe-core finds no
 * WCAG A/AA violation on the queue or on the document page with its item; a clerk is shown no
 * queue. A library of its own: three one-page scans in two boxes, read with one OCR worker; its
 * run report says what is left.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { HAS_CHROMIUM, accessibilityViolations, launchChromium, signedInByKeyboard } from '../helpers/browser.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { call } from '../helpers/http.js';
import { makePage } from '../helpers/make-page.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { signIn, startServer, USERS, type RunningServer, type TestUser } from '../helpers/server.js';

const ANA: TestUser = { name: 'ana', password: 'arquivista-da-revisao-7', role: 'archivist' };

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-review-web-'));
const library = path.join(work, 'library');
let server: RunningServer;
let cookie = '';
let runReport: any;

const scans: Record<string, string[][]> = {
  // No date: an ofício of box 3.
  'Obras/Caixa 3/oficio-vistoria.png': [['OFICIO', 'Nº', '12/1993'], ['Pedido', 'de', 'vistoria', 'da', 'obra'], ['Rua', 'das', 'Acacias', '120']],
  // Neither a date nor a type.
  'Obras/Caixa 3/anotacoes-obra.png': [['Anotacoes', 'sobre', 'a', 'obra'], ['Rua', 'das', 'Flores', '45'], ['Conferir', 'as', 'medidas']],
  // Signed twice, in two places: which date is the memo's is a person's call (box 4).
  'Obras/Caixa 4/memorando-datas.png': [['MEMORANDO', 'Nº', '7/1994'], ['Sao', 'Paulo,', '12', 'de', 'marco', 'de', '1994.'], ['Pedido', 'de', 'material', 'de', 'escritorio'], ['Santos,', '14', 'de', 'abril', 'de', '1994.']],
};

const api = async (pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => call(server.url, pathAndQuery, { ...options, cookie });
/** Which item is which: its document, page and reason (its values change as it is corrected). */
const keysOf = (items: Array<{ documentId: number; page: number | null; reason: string }>) => items.map((item) => `${item.documentId}:${item.page ?? ''}:${item.reason}`);
const queue = async (query = '') => (await api(`/api/review?limit=50${query}`)).json as { items: Array<{ documentId: number; page: number | null; reason: string; title: string }>; counts: { total: number } };

beforeAll(async () => {
  for (const [file, lines] of Object.entries(scans)) {
    mkdirSync(path.join(work, 'scans', path.dirname(file)), { recursive: true });
    const page = await makePage(lines, { width: 2480, height: 1400, dpi: 300, size: 56, left: 160, top: 200, lineGap: 190 });
    writeFileSync(path.join(work, 'scans', file), page.png);
  }
  const config = path.join(work, 'ingest.yaml');
  writeFileSync(config, JSON.stringify({ metadata: { pathTemplate: '{collection}/Caixa {box}' } }));
  const ingest = await runCli(['ingest', path.join(work, 'scans'), '--library', library, '--jobs', '1', '--config', config, '--json']);
  expect(ingest.code, ingest.stderr).toBe(0);
  runReport = JSON.parse(readFileSync(path.resolve(library, parseJsonOutput(ingest).report), 'utf8'));
  // These generated pages read too well for low-confidence: the memo's page is marked read poorly
  // (as the pipeline would record a carbon copy), and its items made again, as a conversion does.
  const db = new Database(path.join(library, 'catalog.sqlite'));
  db.prepare(`UPDATE pages SET confidence = 62.5 WHERE document_id = (SELECT id FROM documents WHERE relative_path LIKE '%memorando-datas.png')`).run();
  db.close();
  const catalog = Catalog.open(path.join(library, 'catalog.sqlite'));
  for (const id of catalog.convertedDocumentIds(0, 10)) catalog.review().refresh(id);
  catalog.close();
  server = await startServer({ library, folder: work, users: [ANA], serve: { requestsPerMinute: 100_000 } });
  cookie = await signIn(server.url, ANA);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the run report', () => {
  it('says how much the run leaves to review, per reason', () => {
    expect(runReport.review).toEqual({ total: 4, reasons: { 'low-confidence': 0, 'no-date': 2, 'no-type': 1, 'several-dates': 1, 'personal-data-unexpected': 0 } });
  });
});

describe.skipIf(!HAS_CHROMIUM)('reviewing the queue by keyboard', () => {
  let browser: Browser;
  const pageErrors: string[] = [];
  beforeAll(async () => void (browser = await launchChromium()));
  afterAll(() => browser?.close());
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  const signedIn = (who: { name: string; password: string }): Promise<Page> => signedInByKeyboard(browser, server.url, who, pageErrors);

  const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent?.trim() ?? '' }));
  /** Presses the key until the focus is on the element with this id. */
  async function keyTo(page: Page, id: string, key = 'Tab') {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press(key);
      if ((await focused(page)).id === id) return;
    }
    throw new Error(`${key} never reached #${id}`);
  }
  /** Presses Tab until the focus is on the element with this text. */
  async function tabToText(page: Page, text: string) {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      if ((await focused(page)).text === text) return;
    }
    throw new Error(`Tab never reached "${text}"`);
  }

  it('filters by collection and box, moves with j and k, accepts with a, and says its shortcuts', async () => {
    const page = await signedIn(ANA);
    await keyTo(page, 'review-link', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/revisao$/);
    await page.locator('#summary', { hasText: '5 itens para revisar' }).waitFor();
    expect(await focused(page)).toMatchObject({ id: 'review-title', text: 'Fila de revisão' });
    expect(await page.locator('#shortcut-list').textContent()).toContain('a: aceitar (a máquina leu certo)');

    // The collection, then its box 3, chosen from the keyboard.
    await keyTo(page, 'collection');
    await page.keyboard.type('Obras');
    await page.waitForURL(/collection=Obras/);
    await keyTo(page, 'box');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/box=3/);
    await page.locator('#summary', { hasText: '3 itens para revisar' }).waitFor();
    const listed = (await queue('&collection=Obras&box=3')).items;
    expect(listed.map((item) => item.reason).sort()).toEqual(['no-date', 'no-date', 'no-type']);

    // j and k move between the items; a accepts the one in focus, and the focus stays in its place.
    await keyTo(page, 'shortcuts-toggle');
    await page.keyboard.press('j');
    expect((await focused(page)).text).toBe(listed[0]!.title);
    await page.keyboard.press('j');
    expect((await focused(page)).text).toBe(listed[1]!.title);
    await page.keyboard.press('k');
    expect((await focused(page)).text).toBe(listed[0]!.title);
    await page.keyboard.press('a');
    await page.locator('#notice', { hasText: 'Aceito: saiu da fila.' }).waitFor();
    await page.locator('#summary', { hasText: '2 itens para revisar' }).waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe(listed[1]!.title);
    const after = (await queue('&collection=Obras&box=3')).items;
    expect(keysOf(after)).toEqual(keysOf(listed.slice(1)));
    const decisions = (await api(`/api/documents/${listed[0]!.documentId}/review`)).json.decisions;
    expect(decisions).toEqual([expect.objectContaining({ reason: listed[0]!.reason, action: 'accept', by: 'ana' })]);
    expect(await accessibilityViolations(page)).toEqual([]);
    mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'review-queue.png'), fullPage: true });

    // In Spanish and English too.
    await page.getByLabel('Idioma').selectOption('es');
    expect(await page.locator('#review-title').textContent()).toBe('Cola de revisión');
    await page.getByLabel('Idioma').selectOption('en');
    expect(await page.locator('#summary').textContent()).toBe('2 items to review');
    await page.getByLabel('Language').selectOption('pt');
    await page.context().close();
  });

  it('opens an item beside its page, goes to its field or its page’s text with e, corrects it, and moves on with Esc and j; a on the page accepts and goes to the next', async () => {
    const page = await signedIn(ANA);
    const listed = (await queue('&collection=Obras')).items;
    // Box 3's two left, then the memo of box 4: its dates, then its page read poorly.
    expect(listed.slice(2).map((item) => `${item.reason}${item.page ?? ''}`)).toEqual(['several-dates', 'low-confidence1']);
    await page.goto(`${server.url}/revisao?collection=Obras`);
    await page.locator('#summary', { hasText: '4 itens para revisar' }).waitFor();
    expect((await focused(page)).id).toBe('review-title');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.locator('#review-bar-title:focus').waitFor();
    await page.locator('#page[data-page="1"]').waitFor();
    const first = listed[0]!;
    expect(new URL(page.url()).pathname).toBe(`/view/${first.documentId}`);
    const reasonWords: Record<string, string> = { 'no-date': 'Sem data', 'no-type': 'Sem tipo', 'several-dates': 'Várias datas possíveis' };
    expect(await page.locator('#review-bar-about').textContent()).toMatch(new RegExp(`^${reasonWords[first.reason]}: `));
    expect(await page.locator('#review-shortcut-list').textContent()).toContain('e: corrigir (vai ao campo ou ao texto)');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'review-item.png'), fullPage: true });

    // e: to the field that settles it; saved with Enter, the item leaves the queue.
    await page.keyboard.press('e');
    const field = first.reason === 'no-type' ? 'edit-documentType' : 'edit-date';
    await expect.poll(async () => (await focused(page)).id).toBe(field);
    if (field === 'edit-date') {
      await page.keyboard.press('Control+A');
      await page.keyboard.type('1993-05-20');
      await page.keyboard.press('Enter');
    } else {
      // The type chosen by its first letters; Enter in the next field (collection) saves the form.
      await page.keyboard.type('Ofí');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    }
    await page.locator('#review-bar-about', { hasText: 'Resolvido: este item saiu da fila.' }).waitFor();
    expect(keysOf((await queue('&collection=Obras')).items)).toEqual(keysOf(listed.slice(1)));
    // Esc leaves the field; j goes to the next item, k back to the one before it.
    await page.keyboard.press('Escape');
    expect((await focused(page)).id).toBe('review-bar-title');
    await page.keyboard.press('j');
    const second = listed[1]!;
    await page.waitForURL((url) => url.searchParams.get('motivo') === second.reason && url.pathname === `/view/${second.documentId}`);
    await page.locator('#review-bar-title:focus').waitFor();
    await page.keyboard.press('j');
    const third = listed[2]!;
    await page.waitForURL((url) => url.searchParams.get('motivo') === third.reason && url.pathname === `/view/${third.documentId}`);
    await page.locator('#review-bar-title:focus').waitFor();
    await page.keyboard.press('k');
    await page.waitForURL((url) => url.searchParams.get('motivo') === second.reason && url.pathname === `/view/${second.documentId}`);
    await page.locator('#review-bar-title:focus').waitFor();

    // a: accepted, and on to the next item, which says so.
    await page.keyboard.press('a');
    await page.waitForURL((url) => url.searchParams.get('motivo') === third.reason && url.pathname === `/view/${third.documentId}`);
    await page.locator('#review-bar-status', { hasText: 'O item anterior foi aceito e saiu da fila.' }).waitFor();
    const fourth = listed[3]!;
    expect(keysOf((await queue('&collection=Obras')).items)).toEqual(keysOf([third, fourth]));

    // The page read poorly: e opens its text beside the image; a word corrected and saved settles it.
    await page.keyboard.press('j');
    await page.waitForURL((url) => url.searchParams.get('motivo') === 'low-confidence' && url.searchParams.get('page') === '1');
    await page.locator('#review-bar-title:focus').waitFor();
    expect(await page.locator('#review-bar-about').textContent()).toBe('Leitura pouco confiável: Página 1: a máquina leu com 63% de confiança. Confira o texto ao lado da imagem.');
    await page.keyboard.press('e');
    await expect.poll(async () => (await focused(page)).id).toBe('page-text');
    await expect.poll(() => page.locator('#page-text').inputValue()).toContain('MEMORANDO');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Conferido');
    await tabToText(page, 'Salvar texto');
    await page.keyboard.press('Enter');
    await page.locator('#review-bar-about', { hasText: 'Resolvido: este item saiu da fila.' }).waitFor();
    expect(keysOf((await queue('&collection=Obras')).items)).toEqual(keysOf([third]));

    // The document page shows the decision, and it can be undone from there.
    await page.goto(`${server.url}/view/${second.documentId}`);
    await page.locator('#review-decisions li').first().waitFor();
    await tabToText(page, `Desfazer (${reasonWords[second.reason]})`);
    await page.keyboard.press('Enter');
    await page.locator('#review-panel-status', { hasText: `Desfeito: ${reasonWords[second.reason]}.` }).waitFor();
    expect(keysOf((await queue('&collection=Obras')).items).sort()).toEqual(keysOf([second, third]).sort());
    await page.context().close();
  });

  it('shows a clerk no queue: no link to it, and the page says it is not theirs', async () => {
    const page = await signedIn(USERS.clerk);
    expect(await page.locator('#review-link').isHidden()).toBe(true);
    await page.goto(`${server.url}/revisao`);
    await page.locator('#problem', { hasText: 'Você não tem permissão para isto.' }).waitFor();
    expect(await page.locator('#items li').count()).toBe(0);
    await page.context().close();
  });
});
