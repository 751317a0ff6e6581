/**
 * Issue 21 on the web: an archivist reviews the boxes of a redacted copy ("cópia tarjada") over a
 * scanned requerimento holding a CPF, removes and restores the proposed box, draws one over a
 * name, and downloads the copy, in which neither the CPF's digits nor the name are left, while
 * the rest of the page still is. Clerks may not; restricted collections stay hidden; bad marks are
 * refused; the access log holds every step. The last part does it all in a real Chromium.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { HAS_CHROMIUM, accessibilityViolations, launchChromium } from '../helpers/browser.js';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../web/auth.js';
import { readCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { makePage, type PlacedWord } from '../helpers/make-page.js';
import { CLI, REPO_ROOT } from '../helpers/paths.js';
import { HAS_PDFTOTEXT, pdftotext } from '../helpers/pdf-text.js';

const HAS_PDFTOPPM = HAS_PDFTOTEXT && existsSync('/usr/bin/pdftoppm');

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-redaction-web-'));
const library = path.join(work, 'library');
const env = { ACERVO_CONFIG: '/dev/null' };
const CPF = '39053344705';
const PAGE = { width: 2480, height: 1400 };

const USERS = {
  clerk: { name: 'maria', password: 'balcão-de-atendimento-1', role: 'clerk' },
  archivist: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  admin: { name: 'joao.ti', password: 'administrador-do-arquivo', role: 'admin' },
} as const;
type Who = keyof typeof USERS;

let url = '';
let server: ChildProcess;
let serverLog = '';
const cookies: Partial<Record<Who, string>> = {};
let words: PlacedWord[] = [];
let requerimento = 0;
let ficha = 0;

/** Every run of 5 digits of the CPF in the text, read across separators and spaces. */
const cpfPieces = (text: string) => {
  const digits = (text.match(/[0-9][0-9 .\-/\n]*/g) ?? []).map((run) => run.replace(/[^0-9]/g, '')).join(' ');
  return [0, 1, 2, 3, 4, 5, 6].map((i) => CPF.slice(i, i + 5)).filter((piece) => digits.includes(piece));
};

async function call(pathAndQuery: string, who: Who | null, init: { method?: string; json?: unknown; body?: string; origin?: string } = {}) {
  const headers: Record<string, string> = { origin: init.origin ?? url };
  if (who) headers.cookie = cookies[who]!;
  const body = init.body ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${pathAndQuery}`, { method: init.method ?? 'GET', headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  // JSON, or a PDF, or nothing.
  const json: any = (response.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : null;
  return { status: response.status, headers: response.headers, bytes, text, json };
}

const reviewOf = async (id: number, who: Who = 'archivist') => {
  const answer = await call(`/api/documents/${id}/redaction`, who);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as { documentId: number; pages: Array<{ page: number; width: number; height: number; boxes: any[] }> };
};
const marksOf = (id: number) => `/api/documents/${id}/redaction/marks`;
const addMark = (id: number, mark: Record<string, unknown>, who: Who = 'archivist') => call(marksOf(id), who, { method: 'POST', json: mark });
/** A word's ink box as fractions of the page, with a margin of `pad` pixels. */
const boxOfWord = (text: string, pad = 12) => {
  const word = words.find((w) => w.text === text)!;
  return { x0: (word.x0 - pad) / PAGE.width, y0: (word.y0 - pad) / PAGE.height, x1: (word.x1 + pad) / PAGE.width, y1: (word.y1 + pad) / PAGE.height };
};

/** The first page of a PDF as grey pixels, and the mean grey of a box (fractions) of it: 0 black, 255 white. */
async function meanGrey(pdf: Buffer, box: { x0: number; y0: number; x1: number; y1: number }): Promise<number> {
  const file = path.join(work, `render-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', '-gray', '-png', file, file]);
  const png = readFileSync(`${file}-1.png`);
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  let count = 0;
  for (let y = Math.ceil(box.y0 * info.height); y < Math.floor(box.y1 * info.height); y++) {
    for (let x = Math.ceil(box.x0 * info.width); x < Math.floor(box.x1 * info.width); x++) {
      sum += data[y * info.width + x]!;
      count++;
    }
  }
  return sum / count;
}

beforeAll(async () => {
  const obras = path.join(work, 'scans', 'Obras', '1993');
  const saude = path.join(work, 'scans', 'Saude', '1990');
  for (const folder of [obras, saude]) mkdirSync(folder, { recursive: true });
  const page = await makePage(
    [
      ['REQUERIMENTO', 'DE', 'CERTIDÃO'],
      ['Requerente:', 'José', 'Pereira', 'Silva'],
      ['CPF:', '390.533.447-05'],
      ['Endereço:', 'Rua', 'das', 'Acácias', '120'],
      ['Secretaria', 'Municipal', 'de', 'Obras'],
    ],
    { ...PAGE, dpi: 300, size: 56, left: 160, top: 200, lineGap: 190 },
  );
  words = page.words;
  writeFileSync(path.join(obras, 'requerimento-certidao.png'), page.png);
  const other = await makePage([['FICHA', 'MÉDICA'], ['Paciente:', 'Ana', 'Lopes']], { width: 1240, height: 700, dpi: 150, size: 36, left: 80, top: 100, lineGap: 90 });
  writeFileSync(path.join(saude, 'ficha-medica.png'), other.png);
  const ingest = await runCli(['ingest', path.join(work, 'scans'), '--library', library, '--json'], { env });
  expect(ingest.code, ingest.stderr).toBe(0);
  const documents = readCatalog(library).documents;
  requerimento = documents.find((d) => d.relative_path.includes('requerimento-certidao'))!.id;
  ficha = documents.find((d) => d.relative_path.includes('ficha-medica'))!.id;
  expect(documents.find((d) => d.id === ficha)!.collection).toBe('Saude');

  const users = await Promise.all(Object.values(USERS).map(async (user) => ({ name: user.name, role: user.role, passwordHash: await hashPassword(user.password) })));
  const config = path.join(work, 'acervo.yaml');
  writeFileSync(config, JSON.stringify({ library, serve: { port: 0, users, requestsPerMinute: 100_000 }, access: { restrictedCollections: [{ collection: 'Saude', roles: ['admin'] }] } }));
  server = spawn(process.execPath, [CLI, 'serve', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`acervo serve did not start:\n${serverLog}`)), 180_000);
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      const found = /"event":"web.listening","url":"([^"]+)"/.exec((serverLog += chunk));
      if (found) resolve(found[1]!);
      if (found) clearTimeout(timer);
    });
    server.on('exit', (code) => reject(new Error(`acervo serve exited with ${code}:\n${serverLog}`)));
  });
  for (const who of Object.keys(USERS) as Who[]) {
    const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ name: USERS[who].name, password: USERS[who].password }) });
    expect(response.status, await response.clone().text()).toBe(200);
    cookies[who] = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
}, 600_000);

afterAll(async () => {
  if (server && server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve).kill('SIGTERM'));
  rmSync(work, { recursive: true, force: true });
});

describe('redacted copies over the API', () => {
  it('are for archivists: a clerk is refused every route, and is not told of them', async () => {
    const base = `/api/documents/${requerimento}`;
    const mark = { page: 1, action: 'add', x0: 0.1, y0: 0.1, x1: 0.2, y1: 0.2 };
    for (const [method, route, json] of [['GET', `${base}/redaction`], ['POST', marksOf(requerimento), mark], ['DELETE', `${marksOf(requerimento)}/1`], ['GET', `${base}/redacted.pdf?download=1`]] as const) {
      const clerk = await call(route, 'clerk', { method, json });
      expect([clerk.status, clerk.json?.error?.code], `${method} ${route}`).toEqual([403, 'FORBIDDEN']);
      expect((await call(route, null, { method, json })).status, `${method} ${route}`).toBe(401);
    }
    expect((await call(base, 'clerk')).json.redaction).toBeUndefined();
    const urls = { reviewUrl: `${base}/redaction`, marksUrl: `${base}/redaction/marks`, copyUrl: `${base}/redacted.pdf`, downloadUrl: `${base}/redacted.pdf?download=1` };
    expect((await call(base, 'archivist')).json.redaction).toEqual(urls);
  });

  it('answer a restricted collection’s document exactly as one that does not exist', async () => {
    expect((await reviewOf(ficha, 'admin')).pages).toHaveLength(1);
    const mark = { page: 1, action: 'add', x0: 0.1, y0: 0.1, x1: 0.3, y1: 0.3 };
    for (const [method, suffix, json] of [['GET', '/redaction'], ['POST', '/redaction/marks', mark], ['DELETE', '/redaction/marks/1'], ['GET', '/redacted.pdf']] as const) {
      const hidden = await call(`/api/documents/${ficha}${suffix}`, 'archivist', { method, json });
      const missing = await call(`/api/documents/999999${suffix}`, 'archivist', { method, json });
      expect([hidden.status, hidden.text], `${method} ${suffix}`).toEqual([404, missing.text]);
      expect(missing.json.error.code).toBe('NOT_FOUND');
    }
  });

  it('review the page: one box proposed over the CPF, covered, where the CPF is', async () => {
    const review = await reviewOf(requerimento);
    expect(review.documentId).toBe(requerimento);
    expect(review.pages.map((p) => p.page)).toEqual([1]);
    expect(review.pages[0]!.width / review.pages[0]!.height).toBeCloseTo(PAGE.width / PAGE.height, 2);
    const [box, ...others] = review.pages[0]!.boxes;
    expect(others).toEqual([]);
    expect(box).toMatchObject({ source: 'proposed', kind: 'cpf', covered: true, markId: null, label: null });
    const number = boxOfWord('390.533.447-05', 0);
    expect(box.x0).toBeLessThanOrEqual(number.x0 + 0.005);
    expect(box.x1).toBeGreaterThanOrEqual(number.x1 - 0.005);
    expect(box.y0).toBeLessThanOrEqual(number.y0 + 0.005);
    expect(box.y1).toBeGreaterThanOrEqual(number.y1 - 0.005);
    // Not the label before it, nor the next line.
    expect(box.x0).toBeGreaterThan(boxOfWord('CPF:', 0).x0);
    expect(box.y1).toBeLessThan(boxOfWord('Endereço:', 0).y0);
  });

  it('remove a proposed box with a mark at its place, and restore it by deleting the mark', async () => {
    const [proposed] = (await reviewOf(requerimento)).pages[0]!.boxes;
    const { x0, y0, x1, y1 } = proposed;
    const dismissed = await addMark(requerimento, { page: 1, action: 'dismiss', x0, y0, x1, y1 });
    expect(dismissed.status, dismissed.text).toBe(201);
    let restored: Awaited<ReturnType<typeof call>> | null = null;
    try {
      expect(dismissed.json).toMatchObject({ page: 1, action: 'dismiss', madeBy: 'bruno', label: null });
      expect((await reviewOf(requerimento)).pages[0]!.boxes[0]).toMatchObject({ source: 'proposed', kind: 'cpf', covered: false, markId: dismissed.json.id });
      // Removed, the number is not burned: the copy of someone who may see personal data holds it,
      // the archivist's (who may not) has it masked in the text layer, as every PDF they get.
      for (const [who, leaks] of HAS_PDFTOTEXT ? ([['admin', true], ['archivist', false]] as const) : []) {
        const copy = await call(`/api/documents/${requerimento}/redacted.pdf`, who);
        expect(copy.status).toBe(200);
        writeFileSync(path.join(work, `dismissed-${who}.pdf`), copy.bytes);
        expect(cpfPieces(pdftotext(path.join(work, `dismissed-${who}.pdf`))).length > 0, who).toBe(leaks);
      }
    } finally {
      restored = await call(`${marksOf(requerimento)}/${dismissed.json.id}`, 'archivist', { method: 'DELETE' });
    }
    expect([restored.status, restored.text]).toEqual([204, '']);
    const box = (await reviewOf(requerimento)).pages[0]!.boxes[0];
    expect(box).toMatchObject({ covered: true, markId: null });
    expect((await call(`${marksOf(requerimento)}/${dismissed.json.id}`, 'archivist', { method: 'DELETE' })).status).toBe(404);
    expect((await call(`${marksOf(requerimento)}/abc`, 'archivist', { method: 'DELETE' })).status).toBe(404);
  });

  it('delete only a mark of that very document', async () => {
    const other = await addMark(ficha, { page: 1, action: 'add', x0: 0.1, y0: 0.1, x1: 0.3, y1: 0.3 }, 'admin');
    expect(other.status).toBe(201);
    const wrong = await call(`${marksOf(requerimento)}/${other.json.id}`, 'archivist', { method: 'DELETE' });
    expect([wrong.status, wrong.json.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await reviewOf(ficha, 'admin')).pages[0]!.boxes.filter((b) => b.source === 'drawn').map((b) => b.markId)).toEqual([other.json.id]);
  });

  it('draw a box, labelled in the archivist’s words (a number typed there is masked)', async () => {
    const drawn = await addMark(requerimento, { page: 1, action: 'add', ...boxOfWord('Silva'), label: '  nome do requerente 390.533.447-05 ' });
    expect(drawn.status, drawn.text).toBe(201);
    expect(drawn.json).toMatchObject({ page: 1, action: 'add', madeBy: 'bruno', label: 'nome do requerente ***.***.***-**' });
    const boxes = (await reviewOf(requerimento)).pages[0]!.boxes;
    expect(boxes.map((b) => [b.source, b.covered])).toEqual([
      ['proposed', true],
      ['drawn', true],
    ]);
    expect(boxes[1]).toMatchObject({ markId: drawn.json.id, label: 'nome do requerente ***.***.***-**', kind: null });
    expect(boxes[1].x0).toBeCloseTo(boxOfWord('Silva').x0, 6);
  });

  it('refuse a bad mark with a one-line reason, and keep nothing of it', async () => {
    const before = JSON.stringify((await reviewOf(requerimento)).pages);
    const good = { page: 1, action: 'add', x0: 0.5, y0: 0.5, x1: 0.6, y1: 0.6 };
    const bad: Array<[string, unknown]> = [
      ['page 0', { ...good, page: 0 }], ['page past the end', { ...good, page: 2 }], ['page not whole', { ...good, page: 1.5 }],
      ['empty box', { ...good, x1: 0.5 }], ['box off the page', { ...good, x0: 1.2, x1: 1.5 }], ['NaN as text', { ...good, x0: 'NaN' }],
      ['null corner', { ...good, y1: null }], ['missing corner', { page: 1, action: 'add', x0: 0.1, y0: 0.1, x1: 0.2 }], ['unknown action', { ...good, action: 'erase' }],
      ['extra field', { ...good, colour: 'black' }], ['label too long', { ...good, label: 'x'.repeat(201) }], ['not an object', [good]],
    ];
    for (const [what, json] of bad) {
      const answer = await addMark(requerimento, json as Record<string, unknown>);
      expect([answer.status, answer.json?.error?.code], what).toEqual([400, 'INVALID_MARK']);
      expect(answer.json.error.message, what).not.toMatch(/\n/);
    }
    for (const [what, body] of [['NaN', JSON.stringify(good).replace('0.5', 'NaN')], ['infinity', JSON.stringify(good).replace('0.5', '1e999')], ['not JSON', '{page: 1']]) {
      const answer = await call(marksOf(requerimento), 'archivist', { method: 'POST', body });
      expect(answer.status, what).toBe(400);
      expect(['BAD_REQUEST', 'INVALID_MARK'], what).toContain(answer.json.error.code);
    }
    // A page from another site is refused before anything is read.
    for (const [method, route] of [['POST', marksOf(requerimento)], ['DELETE', `${marksOf(requerimento)}/1`]]) {
      const foreign = await call(route!, 'archivist', { method, json: method === 'POST' ? good : undefined, origin: 'https://outro-site.example' });
      expect([foreign.status, foreign.json.error.code], method).toEqual([403, 'BAD_ORIGIN']);
    }
    expect(JSON.stringify((await reviewOf(requerimento)).pages)).toBe(before);
  });

  it.skipIf(!HAS_PDFTOTEXT)('make the copy: no digit of the CPF and no covered name in it, the rest of the page still there', async () => {
    const original = await call(`/api/documents/${requerimento}/pdf`, 'admin');
    writeFileSync(path.join(work, 'original.pdf'), original.bytes);
    const originalText = pdftotext(path.join(work, 'original.pdf'));
    // The test can fail: the original holds both.
    expect(cpfPieces(originalText).length).toBeGreaterThan(0);
    expect(originalText).toMatch(/Silva/);

    for (const who of ['archivist', 'admin'] as const) {
      const copy = await call(`/api/documents/${requerimento}/redacted.pdf?download=1`, who);
      expect(copy.status, copy.text.slice(0, 300)).toBe(200);
      expect(copy.headers.get('content-type')).toBe('application/pdf');
      expect(copy.headers.get('content-disposition')).toMatch(/^attachment; filename="requerimento-certidao \(tarjada\)\.pdf"/);
      expect(copy.headers.get('cache-control')).toMatch(/no-store/);
      expect(copy.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const file = path.join(work, `copy-${who}.pdf`);
      writeFileSync(file, copy.bytes);
      const text = pdftotext(file);
      expect(cpfPieces(text), who).toEqual([]);
      expect(text).not.toMatch(/Silva/);
      for (const word of ['REQUERIMENTO', 'Requerente', 'Pereira', 'Secretaria', 'Obras']) expect(text, who).toContain(word);
    }
    expect((await call(`/api/documents/${requerimento}/redacted.pdf`, 'archivist')).headers.get('content-disposition')).toMatch(/^inline;/);

    if (HAS_PDFTOPPM) {
      // The boxes are burned into the pixels: black where the CPF and the name were, ink and paper before.
      const copy = readFileSync(path.join(work, 'copy-archivist.pdf'));
      const [cpfBox, nameBox] = (await reviewOf(requerimento)).pages[0]!.boxes;
      for (const box of [cpfBox, nameBox]) {
        expect(await meanGrey(original.bytes, box)).toBeGreaterThan(120);
        expect(await meanGrey(copy, box)).toBeLessThan(30);
      }
      // Elsewhere the page is still paper.
      expect(await meanGrey(copy, { x0: 0.05, y0: 0.9, x1: 0.95, y1: 0.98 })).toBeGreaterThan(200);
    }
  });

  it('are in the access log: every review, mark and copy, by whom, with no coordinates', async () => {
    const log = await runCli(['access-log', '--library', library, '--format', 'json', '--limit', '100000'], { env });
    expect(log.code, log.stderr).toBe(0);
    const entries = JSON.parse(log.stdout) as Array<{ action: string; user: string | null; role: string | null; documentId: number | null; outcome: string; detail: any }>;
    const by = (action: string, user = 'bruno') => entries.filter((e) => e.action === action && e.user === user && e.documentId === requerimento);
    expect(by('redaction.review').length).toBeGreaterThan(3);
    const marks = by('redaction.mark').map((e) => e.detail.action).sort();
    expect(marks).toEqual(['add', 'dismiss', 'remove']);
    expect(by('redaction.mark').every((e) => e.detail.page === 1 && e.role === 'archivist')).toBe(true);
    const copies = by('redaction.copy');
    expect(copies.length).toBeGreaterThanOrEqual(1);
    expect(copies.find((e) => e.detail.boxes === 2)?.detail).toMatchObject({ boxes: 2, pages: 1, burnedPages: 1 });
    for (const entry of entries.filter((e) => e.action.startsWith('redaction.'))) expect(JSON.stringify(entry.detail)).not.toMatch(/"[xy][01]"|390|Silva/);
    // The clerk's attempts are recorded as refusals.
    expect(entries.some((e) => e.action === 'denied' && e.user === 'maria' && String(e.detail.path).includes('/redaction'))).toBe(true);
  });
});

describe.skipIf(!HAS_CHROMIUM)('the review in Chromium', () => {
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => void (browser = await launchChromium()));
  afterAll(() => browser?.close());
  // Scripts of the page must not fail.
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  async function signedIn(who: Who): Promise<Page> {
    const context = await browser.newContext({ locale: 'pt-BR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(url);
    await page.getByLabel('Nome de usuário').fill(USERS[who].name);
    await page.getByLabel('Senha', { exact: true }).fill(USERS[who].password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('searchbox').waitFor();
    await page.goto(`${url}/view/${requerimento}`);
    await page.locator('#page[data-page="1"]').waitFor();
    return page;
  }

  /** Waits until `read` gives what `ok` wants; the last value otherwise, for the assertion to show. */
  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    let value = await read();
    for (let i = 0; i < 100 && !ok(value); i++) value = await new Promise((resolve) => setTimeout(resolve, 100)).then(read);
    return value;
  }
  const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? null);

  it('lets an archivist remove and restore the proposed box by keyboard, draw one with the mouse, and download the copy', async () => {
    // From the proposed box alone: the marks of the API tests go.
    for (const page of (await reviewOf(requerimento)).pages) for (const box of page.boxes) if (box.markId !== null) await call(`${marksOf(requerimento)}/${box.markId}`, 'archivist', { method: 'DELETE' });
    const page = await signedIn('archivist');
    await page.getByRole('heading', { name: 'Cópia tarjada' }).waitFor();
    const copyLink = page.getByRole('link', { name: 'Baixar cópia tarjada' });
    expect(await copyLink.getAttribute('href')).toBe(`/api/documents/${requerimento}/redacted.pdf?download=1`);
    expect(await page.locator('#redaction-layer').isVisible()).toBe(false);

    const toggle = page.getByRole('button', { name: 'Revisar tarjas' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const proposed = page.getByRole('button', { name: 'Tarja proposta: CPF. Remover' });
    await proposed.waitFor();
    expect(await until(() => page.locator('#redaction-count').textContent(), (text) => text === '1 tarja nesta página, 1 no documento')).toBe('1 tarja nesta página, 1 no documento');
    // Drawn over the CPF on the page as shown, whatever its size on the screen.
    const [area, shown, cpf] = [(await page.locator('#canvas').boundingBox())!, (await proposed.boundingBox())!, boxOfWord('390.533.447-05', 0)];
    const onScreen = { x0: area.x + cpf.x0 * area.width, y0: area.y + cpf.y0 * area.height, x1: area.x + cpf.x1 * area.width, y1: area.y + cpf.y1 * area.height };
    expect([shown.x <= onScreen.x0 + 1, shown.y <= onScreen.y0 + 1, shown.x + shown.width >= onScreen.x1 - 1, shown.y + shown.height >= onScreen.y1 - 1]).toEqual([true, true, true, true]);
    expect(await proposed.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe('rgb(0, 0, 0)');

    // By keyboard: Tab from the toggle to the box, Enter removes it; Enter again restores it.
    await toggle.focus();
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focusedLabel(page)) === 'Tarja proposta: CPF. Remover';
    }
    expect(reached).toBe(true);
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    const removed = page.getByRole('button', { name: 'Tarja removida: CPF. Restaurar' });
    await removed.waitFor();
    expect(await removed.evaluate((button) => [getComputedStyle(button).backgroundColor, getComputedStyle(button).borderTopStyle])).toEqual(['rgba(0, 0, 0, 0)', 'dashed']);
    expect(await until(() => focusedLabel(page), (label) => label === 'Tarja removida: CPF. Restaurar')).toBe('Tarja removida: CPF. Restaurar');
    expect(await page.locator('#redaction-count').textContent()).toBe('0 tarjas nesta página, 0 no documento');
    expect((await reviewOf(requerimento)).pages[0]!.boxes[0]).toMatchObject({ kind: 'cpf', covered: false });
    await page.keyboard.press('Enter');
    await proposed.waitFor();
    expect((await reviewOf(requerimento)).pages[0]!.boxes[0]).toMatchObject({ kind: 'cpf', covered: true, markId: null });

    // With the mouse: a box over the signature's place, labelled.
    await page.getByLabel('O que cobre: nome, assinatura, carimbo, foto').fill('assinatura');
    // The page's foot in view: the mouse can only draw where the screen shows (panels above the
    // page, such as the review panel archive staff see, push it down).
    await page.locator('#redaction-layer').evaluate((element) => element.scrollIntoView({ block: 'end' }));
    const layer = (await page.locator('#redaction-layer').boundingBox())!;
    await page.mouse.move(layer.x + layer.width * 0.6, layer.y + layer.height * 0.82);
    await page.mouse.down();
    await page.mouse.move(layer.x + layer.width * 0.7, layer.y + layer.height * 0.86, { steps: 4 });
    await page.mouse.move(layer.x + layer.width * 0.8, layer.y + layer.height * 0.9, { steps: 4 });
    await page.mouse.up();
    await page.getByRole('button', { name: 'Tarja desenhada: assinatura. Apagar' }).waitFor();
    expect(await page.locator('#redaction-count').textContent()).toBe('2 tarjas nesta página, 2 no documento');
    mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-artifacts', 'redaction-review.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    const drawn = (await reviewOf(requerimento)).pages[0]!.boxes.find((box) => box.source === 'drawn')!;
    expect(drawn).toMatchObject({ covered: true, label: 'assinatura' });
    for (const [actual, expected] of [[drawn.x0, 0.6], [drawn.y0, 0.82], [drawn.x1, 0.8], [drawn.y1, 0.9]] as const) expect(Math.abs(actual - expected)).toBeLessThan(0.01);

    // The link gives the copy as reviewed.
    const copy = await page.evaluate(async (href) => {
      const response = await fetch(href);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, type: response.headers.get('content-type'), head: new TextDecoder('latin1').decode(bytes.subarray(0, 5)) };
    }, (await copyLink.getAttribute('href'))!);
    expect(copy).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
    const log = JSON.parse((await runCli(['access-log', '--library', library, '--action', 'redaction.copy', '--user', 'bruno', '--format', 'json'], { env })).stdout);
    expect(log[0].detail).toMatchObject({ boxes: 2, pages: 1, burnedPages: 1 });

    // Clicking the drawn box deletes it; review off, the text can be selected again.
    await page.getByRole('button', { name: 'Tarja desenhada: assinatura. Apagar' }).click();
    await until(() => page.locator('.redaction-box.drawn').count(), (count) => count === 0);
    expect(await page.locator('#redaction-count').textContent()).toBe('1 tarja nesta página, 1 no documento');
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('#redaction-layer').isVisible()).toBe(false);
    const word = page.locator('#text-layer span', { hasText: 'Secretaria' }).first();
    const where = (await word.boundingBox())!;
    const topmost = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('#text-layer') !== null, [where.x + where.width / 2, where.y + where.height / 2]);
    expect(topmost).toBe(true);
    // In English too.
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('button', { name: 'Review redactions' }).click();
    await page.getByRole('button', { name: 'Proposed box: CPF. Remove' }).waitFor();
    expect([await page.locator('#redaction-count').textContent(), await page.locator('#redacted-download').textContent()]).toEqual(['1 box on this page, 1 in the document', 'Download redacted copy']);
    await page.context().close();
  });

  it('shows a clerk nothing of it', async () => {
    const page = await signedIn('clerk');
    await page.locator('#metadata dt').first().waitFor();
    expect(await page.locator('#redaction').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Revisar tarjas' }).count()).toBe(0);
    await page.context().close();
  });
});
