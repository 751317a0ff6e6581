/**
 * Issue 25's review queue over a real HTTP server and the built CLI: archivists list it by
 * collection, box and reason, a page at a time, and accept or fix items; clerks get none of it; a
 * restricted collection's items and counts exist only for those who may see it; personal-data
 * items only for those who may see the numbers, and no answer — list, counts, errors, access log —
 * holds a digit of a person's number for the others. `acervo review --json` and `acervo status`
 * say the same. The library is recorded through the catalog as a conversion would record it (no
 * OCR: the confidences and dates are the test's to choose); the queue's rules on real SQLite are
 * tests/unit/review-queue.test.ts, the page in a real browser review-web.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import type { ConvertedDocument, DocumentMetadata } from '../../core/model.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { call } from '../helpers/http.js';
import { signIn, startServer, USERS, type RunningServer, type TestUser } from '../helpers/server.js';

const ARCHIVISTS: Record<'bruno' | 'ana', TestUser> = {
  // Without the personal-data permission (an archivist's default), and with it.
  bruno: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  ana: { name: 'ana', password: 'arquivista-com-lgpd-22', role: 'archivist', personalData: true },
};
const CPF = '318.472.605-35';
const CPF_DIGITS = '31847260535';
const ACCESS = { restrictedCollections: [{ collection: 'Gabinete', roles: ['admin'] }], personalDataCollections: ['pessoal'] };

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-review-api-'));
const library = path.join(work, 'library');
const configFile = path.join(work, 'cli.yaml');
let server: RunningServer;
const cookies: Record<string, string> = {};
const ids: Record<string, number> = {};

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const api = (user: string, pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => call(server.url, pathAndQuery, { ...options, cookie: cookies[user] });

/** Every run of 5 digits of the number, read across separators and masks. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const run of text.match(/[0-9][0-9 .,\-/\n*]*/g) ?? []) {
    const digits = run.replace(/[^0-9]/g, '');
    for (let i = 0; i + 5 <= CPF_DIGITS.length; i += 1) if (digits.includes(CPF_DIGITS.slice(i, i + 5))) found.push(CPF_DIGITS.slice(i, i + 5));
  }
  return found;
}

function document(name: string, pages: Array<{ text: string; confidence: number }>, over: Partial<DocumentMetadata>): void {
  const converted: ConvertedDocument = {
    partNo: 1,
    sourcePages: null,
    separator: null,
    tempFile: '',
    pages: pages.map((page, i) => ({ pageNo: i + 1, pdfPageNo: i + 1, text: page.text, confidence: page.confidence, textSource: 'ocr', widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null })),
    metadata: {
      title: name, documentType: 'oficio', collection: 'Obras', year: 1987, date: '1987-03-02', language: 'pt', personalData: false, notes: null,
      dates: [{ iso: '1987-03-02', text: '2 de março de 1987', page: 1, main: true }], identifiers: [], taxNumbers: [], box: '12', series: null, ...over,
    },
    outputSha256: 'ab',
    outputBytes: 1000,
    pdfConformance: null,
    pdfConformanceNote: null,
  };
  const catalog = Catalog.open(path.join(library, 'catalog.sqlite'));
  try {
    const source = `/arquivo/${name}.tif`;
    ids[name] = catalog.recordConverted({ sourcePath: source, relativePath: `${name}.tif`, mediaType: 'image/tiff', sha256: `sha-${name}`, sizeBytes: 1, settings: '{}', documents: [{ outputPath: `documents/${name}.pdf`, document: converted }] }).ids[0]!;
  } finally {
    catalog.close();
  }
}

const noDate = { date: null, dates: [] };
const personal = { personalData: true, taxNumbers: [{ kind: 'cpf', value: CPF_DIGITS, page: 1, personal: true }] };

beforeAll(async () => {
  mkdirSync(path.join(library, 'documents'), { recursive: true });
  document('alvara-412', [{ text: 'ALVARÁ', confidence: 95 }, { text: 'p4gina mal lida', confidence: 61.24 }], { documentType: 'alvara' });
  document('requerimento-88', [{ text: 'requerimento', confidence: 93 }], { ...noDate, documentType: 'requerimento' });
  document('anotacoes', [{ text: 'anotações', confidence: 93 }], { documentType: null, box: '13' });
  document('memorando-rivais', [{ text: 'memorando', confidence: 93 }], {
    documentType: 'memorando',
    dates: [
      { iso: '1993-03-12', text: '12 de março de 1993', page: 1, main: false, rival: true },
      { iso: '1993-04-14', text: '14 de abril de 1993', page: 1, main: true },
    ],
  });
  document('gabinete-reservado', [{ text: 'reservado', confidence: 93 }], { ...noDate, collection: 'Gabinete', box: '1' });
  // A person's number in the title and the text, in a collection that does not expect it, and without a date.
  document('protocolo-requerente', [{ text: `Requerente CPF ${CPF}`, confidence: 93 }], { ...noDate, ...personal, title: `Requerimento de Fulano, CPF ${CPF}`, collection: 'Protocolo', box: '2' });
  document('certidao-pessoal', [{ text: `Certidão, CPF ${CPF}`, confidence: 93 }], { ...noDate, ...personal, title: 'Certidão de tempo de serviço', collection: 'Pessoal', box: '5' });
  writeFileSync(configFile, JSON.stringify({ library, access: ACCESS }));
  server = await startServer({ library, folder: work, users: Object.values(ARCHIVISTS), config: { access: ACCESS } });
  for (const [key, user] of [['clerk', USERS.clerk], ['admin', USERS.admin], ['bruno', ARCHIVISTS.bruno], ['ana', ARCHIVISTS.ana]] as const) cookies[key] = await signIn(server.url, user);
});

const items = async (user: string, query = '') => (await api(user, `/api/review?limit=200${query}`)).json.items as Array<{ documentId: number; page: number | null; reason: string; collection: string | null; title: string; cursor: string }>;
const keys = (list: Array<{ documentId: number; page: number | null; reason: string }>) => list.map((item) => `${Object.keys(ids).find((name) => ids[name] === item.documentId)}:${item.reason}${item.page ? `@${item.page}` : ''}`);

function accessEntries(action: string): Array<{ user: string; documentId: number | null; detail: any; outcome: string }> {
  const db = new Database(path.join(library, 'access-log.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT user, document_id AS documentId, detail, outcome FROM access_entries WHERE action = ? ORDER BY id').all(action) as Array<{ user: string; documentId: number | null; detail: string; outcome: string }>).map((row) => ({ ...row, detail: JSON.parse(row.detail) }));
  } finally {
    db.close();
  }
}

describe('the review queue over the API', () => {
  it('is archive staff’s: a clerk gets none of it, and no one without a session', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/review', undefined],
      ['GET', `/api/documents/${ids['alvara-412']}/review`, undefined],
      ['POST', '/api/review/accept', { documentId: ids['requerimento-88'], page: null, reason: 'no-date' }],
      ['POST', '/api/review/decisions/1/revert', {}],
    ] as const) {
      const refused = await api('clerk', url, { method, body });
      expect(refused.status, url).toBe(403);
      expect(refused.json.error.code).toBe('FORBIDDEN');
      expect((await call(server.url, url, { method, body })).json.error.code).toBe('SIGN_IN_REQUIRED');
    }
  });

  it('lists each archivist what they may see, in the queue’s order, with counts that match', async () => {
    // Box by box (Obras 12, Obras 13, Pessoal 5, Protocolo 2), each document's items together.
    expect(keys(await items('bruno'))).toEqual([
      'alvara-412:low-confidence@2',
      'requerimento-88:no-date',
      'memorando-rivais:several-dates',
      'anotacoes:no-type',
      'certidao-pessoal:no-date',
      'protocolo-requerente:no-date',
    ]);
    // Ana may see the numbers: the unexpected one is hers to review too (Pessoal expects them).
    expect(keys(await items('ana'))).toContain('protocolo-requerente:personal-data-unexpected');
    expect(keys(await items('ana'))).not.toContain('certidao-pessoal:personal-data-unexpected');
    // The admin may see the restricted collection.
    expect(keys(await items('admin'))).toContain('gabinete-reservado:no-date');
    const bruno = (await api('bruno', '/api/review')).json;
    expect(bruno.counts).toEqual({ total: 6, reasons: { 'low-confidence': 1, 'no-date': 3, 'no-type': 1, 'several-dates': 1, 'personal-data-unexpected': 0 } });
    expect(bruno.collections.map((entry: { collection: string }) => entry.collection)).toEqual(['Obras', 'Pessoal', 'Protocolo']);
    expect((await api('admin', '/api/review')).json.counts.total).toBe(8);
    const alvara = bruno.items.find((item: { reason: string }) => item.reason === 'low-confidence');
    expect(alvara).toMatchObject({ page: 2, confidence: 61.2, collection: 'Obras', box: '12', title: 'alvara-412', viewUrl: `/view/${ids['alvara-412']}?page=2` });
    expect(bruno.items.find((item: { reason: string }) => item.reason === 'several-dates').dates).toEqual([
      { date: '1993-03-12', main: false, page: 1 },
      { date: '1993-04-14', main: true, page: 1 },
    ]);
  });

  it('filters by collection, box and reason, and pages forward and back by cursor', async () => {
    const obras = (await api('bruno', '/api/review?collection=Obras&box=12')).json;
    expect(keys(obras.items)).toEqual(['alvara-412:low-confidence@2', 'requerimento-88:no-date', 'memorando-rivais:several-dates']);
    expect(obras.counts.total).toBe(3);
    expect(obras.boxes).toEqual([{ box: '12', items: 3 }, { box: '13', items: 1 }]);
    expect(keys(await items('bruno', '&reason=no-date'))).toEqual(['requerimento-88:no-date', 'certidao-pessoal:no-date', 'protocolo-requerente:no-date']);
    const whole = await items('bruno');
    const walked = [];
    let page = (await api('bruno', '/api/review?limit=2')).json;
    walked.push(...page.items);
    while (page.next) {
      page = (await api('bruno', `/api/review?limit=2&after=${page.next}`)).json;
      walked.push(...page.items);
    }
    expect(keys(walked)).toEqual(keys(whole));
    const before = (await api('bruno', `/api/review?limit=2&before=${page.items[0].cursor}`)).json;
    expect(keys(before.items)).toEqual(keys(whole.slice(2, 4)));
    // A restricted collection asked by name is empty, as one that does not exist; nothing says it is there.
    const hidden = (await api('bruno', '/api/review?collection=Gabinete')).json;
    expect(hidden).toMatchObject({ items: [], counts: { total: 0 } });
    for (const query of ['box=12', 'reason=misread', 'after=!!', 'limit=0', 'colour=azul']) {
      const refused = await api('bruno', `/api/review?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.json.error.code).toBe('INVALID_REVIEW');
    }
  });

  it('never shows a digit of a person’s number to an archivist without the permission, anywhere in the queue', async () => {
    const answers = [await api('bruno', '/api/review'), await api('bruno', '/api/review?collection=Protocolo'), await api('bruno', `/api/documents/${ids['protocolo-requerente']}/review`)];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(leaks(answer.text)).toEqual([]);
    }
    expect(answers[1]!.json.items[0].title).toMatch(/^Requerimento de Fulano, CPF \*/);
    // He may not accept what he cannot check.
    const refused = await api('bruno', '/api/review/accept', { method: 'POST', body: { documentId: ids['protocolo-requerente'], page: null, reason: 'personal-data-unexpected' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('PERSONAL_DATA_REQUIRED');
    expect(leaks(refused.text)).toEqual([]);
    // Ana sees the title as written.
    expect((await items('ana', '&collection=Protocolo')).map((item) => item.title)).toContain(`Requerimento de Fulano, CPF ${CPF}`);
  });

  it('takes an accepted item out at once, tells a second archivist it is gone, and brings it back when undone', async () => {
    const requerimento = ids['requerimento-88']!;
    const accepted = await api('bruno', '/api/review/accept', { method: 'POST', body: { documentId: requerimento, page: null, reason: 'no-date' } });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.json.saved).toMatchObject({ reason: 'no-date', action: 'accept', by: 'bruno', revertUrl: `/api/review/decisions/${accepted.json.saved.id}/revert` });
    expect(accepted.json.review).toMatchObject({ documentId: requerimento, items: [] });
    expect(keys(await items('bruno'))).not.toContain('requerimento-88:no-date');
    expect((await api('bruno', '/api/review')).json.counts.reasons['no-date']).toBe(2);
    const late = await api('ana', '/api/review/accept', { method: 'POST', body: { documentId: requerimento, page: null, reason: 'no-date' } });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('REVIEW_GONE');
    // A page's item names its page (of the PDF); a page not in the document is not found.
    expect((await api('ana', '/api/review/accept', { method: 'POST', body: { documentId: ids['alvara-412'], page: null, reason: 'low-confidence' } })).status).toBe(400);
    expect((await api('ana', '/api/review/accept', { method: 'POST', body: { documentId: ids['alvara-412'], page: 9, reason: 'low-confidence' } })).status).toBe(404);
    const page = await api('ana', '/api/review/accept', { method: 'POST', body: { documentId: ids['alvara-412'], page: 2, reason: 'low-confidence' } });
    expect(page.status, page.text).toBe(200);
    // A restricted document is not found for him, whatever he sends.
    expect((await api('bruno', '/api/review/accept', { method: 'POST', body: { documentId: ids['gabinete-reservado'], page: null, reason: 'no-date' } })).status).toBe(404);

    const undone = await api('ana', accepted.json.saved.revertUrl, { method: 'POST', body: {} });
    expect(undone.status, undone.text).toBe(200);
    expect(undone.json.saved).toMatchObject({ action: 'reopen', reverts: accepted.json.saved.id, by: 'ana' });
    expect(keys(await items('bruno'))).toContain('requerimento-88:no-date');
    const stale = await api('bruno', accepted.json.saved.revertUrl, { method: 'POST', body: {} });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('EDIT_CONFLICT');
    const history = (await api('bruno', `/api/documents/${requerimento}/review`)).json;
    expect(history.decisions.map((decision: { action: string; by: string }) => `${decision.action}:${decision.by}`)).toEqual(['reopen:ana', 'accept:bruno']);
    expect(history.items.map((item: { reason: string }) => item.reason)).toEqual(['no-date']);
  });

  it('takes an item out when an archivist corrects the field instead', async () => {
    const record = (await api('bruno', `/api/documents/${ids['anotacoes']}/record`)).json;
    const fixed = await api('bruno', `/api/documents/${ids['anotacoes']}`, { method: 'PATCH', body: { fields: { documentType: { value: 'oficio', basedOn: record.fields.documentType.version } } } });
    expect(fixed.status, fixed.text).toBe(200);
    expect(keys(await items('bruno'))).not.toContain('anotacoes:no-type');
    expect((await api('bruno', `/api/documents/${ids['anotacoes']}/review`)).json.items).toEqual([]);
  });

  it('records each listing, accept and undo in the access log, with which items but never a title or a number', async () => {
    const listings = accessEntries('review.list');
    expect(listings.length).toBeGreaterThan(5);
    expect(listings.find((entry) => entry.user === 'bruno')!.detail).toMatchObject({ filters: { collection: null, box: null, reason: null }, personalData: 'masked', items: expect.arrayContaining([[ids['alvara-412'], 2, 'low-confidence']]) });
    expect(accessEntries('review.accept').map((entry) => [entry.user, entry.documentId, entry.detail.reason, entry.detail.outcome ?? 'saved'])).toEqual([
      ['bruno', ids['requerimento-88'], 'no-date', 'saved'],
      ['ana', ids['requerimento-88'], 'no-date', 'gone'],
      ['ana', ids['alvara-412'], 'low-confidence', 'saved'],
    ]);
    expect(accessEntries('review.revert').map((entry) => [entry.user, entry.detail.outcome ?? 'saved'])).toEqual([['ana', 'saved'], ['bruno', 'conflict']]);
    const logged = JSON.stringify([...listings, ...accessEntries('review.accept'), ...accessEntries('review.revert')]);
    expect(leaks(logged)).toEqual([]);
    expect(logged).not.toMatch(/Fulano|Requerimento de/);
  });
});

describe('acervo review and acervo status', () => {
  it('lists the queue for scripts, masked and without restricted collections unless asked, a page at a time', async () => {
    const run = await runCli(['review', '--config', configFile, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const listing = parseJsonOutput(run);
    expect(listing).toMatchObject({ library, filters: { collection: null, box: null, reason: null }, personalData: 'masked', next: null });
    // Everything but Gabinete's, and the unexpected personal data too (it says no digit).
    expect(keys(listing.items)).toEqual(['requerimento-88:no-date', 'memorando-rivais:several-dates', 'certidao-pessoal:no-date', 'protocolo-requerente:no-date', 'protocolo-requerente:personal-data-unexpected']);
    expect(listing.counts).toEqual({ total: 5, reasons: { 'low-confidence': 0, 'no-date': 3, 'no-type': 0, 'several-dates': 1, 'personal-data-unexpected': 1 } });
    expect(leaks(run.stdout)).toEqual([]);
    const first = parseJsonOutput(await runCli(['review', '--config', configFile, '--json', '--limit', '2', '--reason', 'no-date', '--include-restricted']));
    expect(keys(first.items)).toEqual(['gabinete-reservado:no-date', 'requerimento-88:no-date']);
    const rest = parseJsonOutput(await runCli(['review', '--config', configFile, '--json', '--limit', '2', '--reason', 'no-date', '--include-restricted', '--after', first.next]));
    expect(keys(rest.items)).toEqual(['certidao-pessoal:no-date', 'protocolo-requerente:no-date']);
    const shown = await runCli(['review', '--config', configFile, '--collection', 'Protocolo', '--show-personal-data']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Requerimento de Fulano, CPF ${CPF}`);
    expect(shown.stdout).toMatch(/^Review in Protocolo: 2 item\(s\) to review: 1 document\(s\) without a date, 1 with personal data where none is expected/);
    const usage = await runCli(['review', '--config', configFile, '--box', '12']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/give --collection too/);
    expect(accessEntries('cli.review').map((entry) => [entry.detail.personalData, entry.detail.includeRestricted])).toEqual([
      ['masked', false],
      ['masked', true],
      ['masked', true],
      ['shown', false],
    ]);
  });

  it('says in status how much is left to review, per reason, in text and JSON', async () => {
    const json = parseJsonOutput(await runCli(['status', '--config', configFile, '--json']));
    expect(json.review).toEqual({ total: 6, reasons: { 'low-confidence': 0, 'no-date': 4, 'no-type': 0, 'several-dates': 1, 'personal-data-unexpected': 1 } });
    // The admin's status on the web says the same.
    expect((await api('admin', '/api/status')).json.review).toEqual(json.review);
    const text = await runCli(['status', '--config', configFile]);
    expect(text.stdout).toContain('Review:   6 item(s) to review: 4 document(s) without a date, 1 with several candidate dates, 1 with personal data where none is expected (acervo review, or the Revisão page)');
  });
});
