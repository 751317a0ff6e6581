/**
 * Withholding a document from the public portal on the staff's document page (issue 26), in real
 * Chromium, by keyboard alone: an archivist sees the document's portal state, withholds it with a
 * reason, is told it is done, and the portal then answers its address exactly as an address that
 * never existed; publishing it again brings the same address back. In Spanish and English too; a
 * clerk is offered none of it (and the API refuses them). axe-core on the page with the section.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, accessibilityViolations, launchChromium, signedInByKeyboard } from '../helpers/browser.js';
import { call } from '../helpers/http.js';
import { ACCESS, PORTAL_CONFIG, portalLibrary } from '../helpers/portal-library.js';
import { signIn, startServer, USERS, type RunningServer } from '../helpers/server.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-portal-withhold-web-'));
const BRUNO = { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' } as const;
let server: RunningServer;
let browser: Browser;
let documentId = 0;
let publicId = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  const library = await portalLibrary(work);
  server = await startServer({ library, folder: work, access: ACCESS, portal: { ...PORTAL_CONFIG, requestsPerMinute: 1000 }, users: [BRUNO], serve: { requestsPerMinute: 100_000 } });
  const cookie = await signIn(server.url, BRUNO);
  const found = await call(server.url, '/api/search?q=ilumina%C3%A7%C3%A3o', { cookie });
  expect(found.json.hits).toHaveLength(1);
  documentId = found.json.hits[0].documentId;
  const state = await call(server.url, `/api/documents/${documentId}/portal`, { cookie });
  expect(state.json).toMatchObject({ public: true, withheld: false });
  publicId = state.json.publicUrl.split('/').pop();
  if (HAS_CHROMIUM) browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

const signedIn = (who: { name: string; password: string }): Promise<Page> => signedInByKeyboard(browser, server.url, who, pageErrors);

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
async function tabTo(page: Page, id: string) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedId(page)) === id) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

/** The portal's page for this public id, and for an id that never existed. */
const portalPage = (id: string) => call(server.url, `/transparencia/d/${id}`);

describe.skipIf(!HAS_CHROMIUM)('withholding from the portal on the document page', () => {
  it('by keyboard: withhold with a reason, told it is done, and the portal answers as for nothing; then publish again', async () => {
    const page = await signedIn(BRUNO);
    await page.goto(`${server.url}/view/${documentId}`);
    await page.locator('#portal-toggle:not([hidden])').waitFor();
    expect(await page.locator('#portal-state').textContent()).toMatch(/^Publicado/);
    expect(await page.locator('#portal-address').textContent()).toContain(`/transparencia/d/${publicId}`);
    expect(await page.locator('#portal-toggle').textContent()).toBe('Retirar do portal público');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await portalPage(publicId)).status).toBe(200);

    await tabTo(page, 'portal-reason');
    await page.keyboard.type('sob sigilo judicial');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('portal-toggle');
    await page.keyboard.press('Enter');
    await page.locator('#portal-status', { hasText: 'Feito: o documento foi retirado do portal público agora.' }).waitFor();
    expect(await focusedId(page)).toBe('portal-toggle');
    expect(await page.locator('#portal-toggle').textContent()).toBe('Publicar no portal');
    expect(await page.locator('#portal-state').textContent()).toMatch(/^Retirado do portal público/);
    expect(await page.locator('#portal-address').isHidden()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The portal at once: its address answers byte for byte as an address that never existed.
    const withheld = await portalPage(publicId);
    const nowhere = await portalPage('abcdefghijkmnpqr');
    expect(withheld.status).toBe(404);
    expect(withheld.text).toBe(nowhere.text);
    expect(withheld.headers.get('etag')).toBe(nowhere.headers.get('etag'));
    expect((await call(server.url, `/transparencia/d/${publicId}/documento.pdf`)).text).toBe(nowhere.text);
    expect((await call(server.url, '/transparencia/dados.json')).text).not.toContain(publicId);
    const cookie = await signIn(server.url, BRUNO);
    const list = await call(server.url, '/api/portal/withheld', { cookie });
    expect(list.json.withheld).toEqual([expect.objectContaining({ documentId, by: 'bruno', reason: 'sob sigilo judicial' })]);

    // In Spanish and English, the state and the button follow the switch.
    await page.getByLabel('Idioma').selectOption('es');
    expect(await page.locator('#portal-toggle').textContent()).toBe('Publicar en el portal');
    expect(await page.locator('#portal-status').textContent()).toBe('Hecho: el documento se retiró del portal público ahora.');
    await page.getByLabel('Idioma').selectOption('en');
    expect(await page.locator('#portal-state').textContent()).toMatch(/^Withheld from the public portal/);
    await page.getByLabel('Language').selectOption('pt');

    // Published again, by keyboard: the same permanent address opens it.
    await page.locator('#portal-toggle').focus();
    await page.keyboard.press('Space');
    await page.locator('#portal-status', { hasText: 'Feito: o documento voltou ao portal público.' }).waitFor();
    expect(await page.locator('#portal-toggle').textContent()).toBe('Retirar do portal público');
    expect((await portalPage(publicId)).status).toBe(200);
    // Read again from the server: the state shown is the server's.
    await page.reload();
    await page.locator('#portal-toggle:not([hidden])').waitFor();
    expect(await page.locator('#portal-state').textContent()).toMatch(/^Publicado/);
    await page.context().close();
  });

  it('a document of no public collection or type says so, and may be withheld ahead', async () => {
    const admin = await signIn(server.url, USERS.admin);
    const found = await call(server.url, '/api/search?q=ornitorrinco', { cookie: admin });
    const page = await signedIn(USERS.admin);
    await page.goto(`${server.url}/view/${found.json.hits[0].documentId}`);
    await page.locator('#portal-toggle:not([hidden])').waitFor();
    expect(await page.locator('#portal-state').textContent()).toMatch(/^Não aparece no portal público/);
    expect(await page.locator('#portal-address').isHidden()).toBe(true);
    await page.context().close();
  });

  it('a clerk is offered none of it, and the API refuses them', async () => {
    const page = await signedIn(USERS.clerk);
    await page.goto(`${server.url}/view/${documentId}`);
    await page.locator('#page[data-page="1"]').waitFor();
    expect(await page.locator('#portal').isHidden()).toBe(true);
    const cookie = await signIn(server.url, USERS.clerk);
    expect((await call(server.url, `/api/documents/${documentId}`, { cookie })).json.portal).toBeUndefined();
    expect((await call(server.url, `/api/documents/${documentId}/portal/withheld`, { method: 'PUT', cookie, origin: server.url, body: {} })).status).toBe(403);
    await page.context().close();
  });
});
