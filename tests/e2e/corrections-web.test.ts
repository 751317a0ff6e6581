/**
 * Issue 25 on the document page, in a real Chromium: an archivist corrects a title and a word of
 * a page's text with the keyboard alone, sees both saved, and search finds the corrected word; a
 * second archivist's stale edit is told whose value it would overwrite, and may take it or save
 * over it; the history shows each change and Revert brings the machine's title back; a clerk sees
 * who corrected what but no form. axe-core finds no WCAG A/AA violation on the open forms.
 * A library of its own: one one-page scan, read with one OCR worker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HAS_CHROMIUM, accessibilityViolations, launchChromium } from '../helpers/browser.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { makePage } from '../helpers/make-page.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { signIn, startServer, USERS, type RunningServer, type TestUser } from '../helpers/server.js';

const ARCHIVISTS: Record<'bruno' | 'ana', TestUser> = {
  bruno: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  ana: { name: 'ana', password: 'arquivista-da-tarde-22', role: 'archivist' },
};
const NEW_TITLE = 'Ofício de vistoria Tapiraí';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-corrections-web-'));
const library = path.join(work, 'library');
let server: RunningServer;
let documentId = 0;
const cookies: Record<string, string> = {};

async function call(who: string, pathAndQuery: string, init: { method?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = { cookie: cookies[who]!, origin: server.url };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${pathAndQuery}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  return { status: response.status, json: (await response.json()) as any };
}
const recordOf = async () => (await call('bruno', `/api/documents/${documentId}/record`)).json;

beforeAll(async () => {
  const folder = path.join(work, 'scans', 'Obras', '1993');
  mkdirSync(folder, { recursive: true });
  const page = await makePage(
    [
      ['OFICIO', 'DA', 'SECRETARIA'],
      ['Pedido', 'de', 'vistoria', 'da', 'obra'],
      ['Rua', 'das', 'Acacias', '120'],
    ],
    { width: 2480, height: 1400, dpi: 300, size: 56, left: 160, top: 200, lineGap: 190 },
  );
  writeFileSync(path.join(folder, 'oficio-vistoria.png'), page.png);
  const ingest = await runCli(['ingest', path.join(work, 'scans'), '--library', library, '--jobs', '1', '--json'], { env: { ACERVO_CONFIG: '/dev/null' } });
  expect(ingest.code, ingest.stderr).toBe(0);
  documentId = readCatalog(library).documents[0]!.id;
  server = await startServer({ library, folder: work, users: Object.values(ARCHIVISTS), serve: { requestsPerMinute: 100_000 } });
  for (const user of [...Object.values(ARCHIVISTS), USERS.clerk]) cookies[user.name] = await signIn(server.url, user);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!HAS_CHROMIUM)('correcting a document on its page', () => {
  let browser: Browser;
  const pageErrors: string[] = [];
  beforeAll(async () => void (browser = await launchChromium()));
  afterAll(() => browser?.close());
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  async function open(who: TestUser | typeof USERS.clerk): Promise<Page> {
    const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(server.url);
    await page.getByLabel('Nome de usuário').fill(who.name);
    await page.getByLabel('Senha', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('searchbox').waitFor();
    await page.goto(`${server.url}/view/${documentId}`);
    await page.locator('#page[data-page="1"]').waitFor();
    await page.locator('#history-list li').first().waitFor();
    return page;
  }

  /** Presses Tab until the focus is on the element with this id or this text. */
  async function tabTo(page: Page, target: { id?: string; text?: string }) {
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent?.trim() ?? '' }));
      if ((target.id && at.id === target.id) || (target.text && at.text === target.text)) return;
    }
    throw new Error(`Tab never reached ${JSON.stringify(target)}`);
  }
  const focusVisible = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle !== 'none');

  it('lets an archivist correct the title and a word of the page by keyboard alone, and search finds the word at once', async () => {
    const machineTitle = (await recordOf()).fields.title.value as string | null;
    const machineShown = machineTitle === null ? '(vazio)' : `“${machineTitle}”`;
    const page = await open(ARCHIVISTS.bruno);
    expect(await page.locator('#provenance').textContent()).toBe('Nenhum campo corrigido: tudo como a máquina leu.');

    await page.locator('body').focus();
    await tabTo(page, { id: 'edit-record' });
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-title');
    expect(await page.getByRole('button', { name: 'Editar ficha' }).getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#edit-title-source').textContent()).toBe('Como a máquina leu.');
    // A date not as YYYY-MM-DD is refused on the page, said aloud, its field marked and focused.
    await tabTo(page, { id: 'edit-date' });
    const machineDate = await page.locator('#edit-date').inputValue();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('14/03/1993');
    await page.keyboard.press('Enter');
    expect(await page.locator('#record-problem').textContent()).toBe('Data: escreva como AAAA-MM-DD, por exemplo 1987-03-14.');
    expect(await page.locator('#edit-date').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-date');
    await page.keyboard.press('Control+A');
    if (machineDate) await page.keyboard.type(machineDate);
    else await page.keyboard.press('Delete');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-title');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(NEW_TITLE);
    await page.keyboard.press('Enter');
    await page.locator('#record-status', { hasText: 'Salvo. A busca já encontra a correção.' }).waitFor();
    await page.locator('#title', { hasText: NEW_TITLE }).waitFor();
    expect(await page.locator('#edit-title-source').textContent()).toMatch(new RegExp(`^Corrigido por bruno em .+\\. Lido pela máquina: ${machineShown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(await page.locator('#provenance').textContent()).toContain('Título: corrigido por bruno');
    // Only the title was sent: the other fields are still the machine's.
    const record = await recordOf();
    expect(Object.entries(record.fields).filter(([, entry]) => (entry as { by: string | null }).by !== null).map(([field]) => field)).toEqual(['title']);

    // The page's text, beside its image.
    await tabTo(page, { id: 'edit-text' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#page-text').inputValue()).toContain('vistoria');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-text');
    const [image, editor] = [(await page.locator('#page').boundingBox())!, (await page.locator('#page-text').boundingBox())!];
    expect(editor.x).toBeGreaterThan(image.x + image.width - 1);
    expect(await accessibilityViolations(page)).toEqual([]);
    const corrected = (await page.locator('#page-text').inputValue()).replace('vistoria', 'jabuticaba');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(corrected);
    await tabTo(page, { text: 'Salvar texto' });
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('#text-status', { hasText: 'Salvo. A busca já encontra a correção.' }).waitFor();
    expect(await page.locator('#text-provenance').textContent()).toMatch(/^Corrigido por bruno em /);
    await page.locator('#history-list li', { hasText: 'Texto da página 1, por bruno' }).waitFor();
    mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'corrections-edit.png'), fullPage: true });

    await page.goto(server.url);
    await page.getByRole('searchbox').focus();
    await page.keyboard.type('jabuticaba');
    await page.locator('.hit mark', { hasText: /^jabuticaba$/ }).first().waitFor();
    expect(await page.locator('.hit .title').first().textContent()).toContain(NEW_TITLE);
    await page.context().close();
  });

  it('tells a second archivist whose later value a stale edit would overwrite, and lets them take it or save theirs over it', async () => {
    const page = await open(ARCHIVISTS.ana);
    await page.getByRole('button', { name: 'Editar ficha' }).press('Enter');
    // Meanwhile Bruno, from his own session, files the document in box 12.
    const record = await recordOf();
    const first = await call('bruno', `/api/documents/${documentId}`, { method: 'PATCH', json: { fields: { box: { value: 'Caixa 12', basedOn: record.fields.box.version } } } });
    expect(first.status).toBe(200);
    await page.getByLabel('Caixa').fill('Caixa 7');
    await page.getByLabel('Caixa').press('Enter');
    await page.locator('#record-problem', { hasText: 'Outra pessoa mudou isto enquanto você editava. Nada foi salvo.' }).waitFor();
    expect(await page.locator('#record-conflicts li').textContent()).toMatch(/^Caixa: bruno mudou para “Caixa 12” em .+\.$/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Usar o valor atual');
    expect((await recordOf()).fields.box).toMatchObject({ value: 'Caixa 12', by: 'bruno' });
    // Knowing it, she saves hers over it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#record-status', { hasText: 'Salvo.' }).waitFor();
    expect((await recordOf()).fields.box).toMatchObject({ value: 'Caixa 7', by: 'ana' });
    expect(await page.locator('#record-conflicts').textContent()).toBe('');

    // The page's text too: Bruno saves it while she types; she takes his.
    const toggle = page.getByRole('button', { name: 'Editar texto da página' });
    await toggle.press('Enter');
    await expect.poll(() => page.locator('#page-text').inputValue()).toContain('jabuticaba');
    const seen = (await call('bruno', `/api/documents/${documentId}/pages/1/text`)).json;
    const his = `${seen.text}\nConferido`;
    expect((await call('bruno', `/api/documents/${documentId}/pages/1/text`, { method: 'PUT', json: { text: his, basedOn: seen.version } })).status).toBe(200);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' obra nova');
    await page.getByRole('button', { name: 'Salvar texto' }).press('Enter');
    await page.locator('#text-problem', { hasText: 'Outra pessoa mudou isto enquanto você editava. Nada foi salvo.' }).waitFor();
    expect(await page.locator('#text-conflicts li').textContent()).toMatch(/^Texto da página 1: bruno mudou para “[\s\S]*Conferido” em .+\.$/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Usar o valor atual');
    await page.keyboard.press('Enter');
    expect(await page.locator('#page-text').inputValue()).toBe(his);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-text');
    expect((await call('bruno', `/api/documents/${documentId}/pages/1/text`)).json).toMatchObject({ text: his, by: 'bruno' });

    // On a phone, the forms and the page's text fit the screen: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 800 });
    await toggle.press('Enter');
    await toggle.press('Enter');
    await expect.poll(() => page.locator('#page-text').inputValue()).toContain('jabuticaba');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.context().close();
  });

  it('lists every change in the history, and Revert brings the machine’s title back', async () => {
    const page = await open(ARCHIVISTS.bruno);
    const items = page.locator('#history-list li');
    expect(await items.count()).toBe(5);
    const title = items.filter({ hasText: 'Título, por bruno' });
    expect(await title.locator('.values').textContent()).toMatch(new RegExp(`→ “${NEW_TITLE}”$`));
    // Bruno's box change is no longer current: no button to revert it.
    expect(await items.filter({ hasText: 'Caixa, por bruno' }).getByRole('button').count()).toBe(0);
    const revert = page.getByRole('button', { name: 'Desfazer (Título)' });
    await revert.focus();
    await page.keyboard.press('Enter');
    await page.locator('#history-status', { hasText: /^Desfeito: Título voltou a / }).waitFor();
    const record = await recordOf();
    expect(record.fields.title).toMatchObject({ corrected: false, by: 'bruno' });
    const shownTitle = (await call('bruno', `/api/documents/${documentId}`)).json.title;
    expect(shownTitle).not.toBe(NEW_TITLE);
    await page.locator('#title', { hasText: shownTitle }).waitFor();
    // Once the history is read again, the focus is on its heading (the button went with its change).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('history-title');
    expect(await items.first().textContent()).toMatch(/^Título, por bruno/);
    expect(await page.getByRole('button', { name: 'Desfazer (Título)' }).count()).toBe(1);
    // In Spanish and English too.
    await page.getByLabel('Idioma').selectOption('es');
    expect(await page.locator('#history-title').textContent()).toBe('Historial de correcciones');
    await page.getByLabel('Idioma').selectOption('en');
    expect(await page.locator('#edit-record').textContent()).toBe('Edit record');
    expect(await page.locator('#provenance').textContent()).toContain('Box: corrected by ana');
    await page.context().close();
  });

  it('shows a clerk who corrected what, and no form or button to change it', async () => {
    const page = await open(USERS.clerk);
    expect(await page.locator('#provenance').textContent()).toContain('Caixa: corrigido por ana');
    expect(await page.locator('#history-list li').count()).toBe(6);
    for (const name of ['Editar ficha', 'Editar texto da página']) expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    expect(await page.locator('#history-list button').count()).toBe(0);
    expect(await page.locator('#record-form, #text-editor').evaluateAll((forms) => forms.every((form) => (form as HTMLElement).hidden))).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });
});
