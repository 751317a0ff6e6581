/**
 * The public portal's leak probe (issue 26, point 5): a library mixing public documents with a
 * restricted one, one of no public collection or type and one withheld by staff, each holding a
 * word no other has. Every way a citizen could learn of them is tried — search hits, totals,
 * facets and type lists, the newest acts, open data, the sitemap, document ids (catalog ids,
 * the withheld one's former public id, guesses), errors and their timing — and each must answer
 * exactly as for something that never existed. Served by `acervo serve --public` (the staff
 * server withholds the document through its API first).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { call } from '../helpers/http.js';
import { ACCESS, CPF, HIDDEN_TITLES, PORTAL_CONFIG, PUBLIC_TITLES, SECRETS, portalLibrary } from '../helpers/portal-library.js';
import { readPdf } from '../helpers/pdf-text.js';
import { signIn, startServer, USERS, type RunningServer } from '../helpers/server.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-portal-leaks-'));
let library = '';
let staff: RunningServer;
let portal: RunningServer;
/** Catalog ids of the non-public documents, and the withheld one's public id from before. */
const hiddenIds: number[] = [];
let formerPublicId = '';

/** Each probe from its own client address (believed from the proxy at 127.0.0.1), so the per-address limits stay out of the way. */
let address = 0;
const fromAnywhere = () => ({ 'x-forwarded-for': `198.51.${Math.floor(++address / 250) % 250}.${(address % 250) + 1}` });
const get = (pathAndQuery: string, headers: Record<string, string> = {}) => call(portal.url, pathAndQuery, { headers: { ...fromAnywhere(), ...headers } });
/** What would tell a non-public document: its number, its restricted collection, its own word (Obras holds a public decree, so its name shows). */
const HIDDEN_MARKS = ['99/1988', 'Nº 5/1987', '101/1991', 'Pessoal', ...Object.values(SECRETS)];
const expectNothingHidden = (text: string) => {
  for (const mark of HIDDEN_MARKS) expect(text, mark).not.toContain(mark);
};

beforeAll(async () => {
  library = await portalLibrary(work);
  staff = await startServer({ library, folder: work, access: ACCESS, portal: PORTAL_CONFIG, serve: { trustProxy: ['127.0.0.1'] } });
  const admin = await signIn(staff.url, USERS.admin);
  for (const word of Object.values(SECRETS)) {
    const found = await call(staff.url, `/api/search?q=${word}`, { cookie: admin });
    expect(found.json.hits, word).toHaveLength(1);
    hiddenIds.push(found.json.hits[0].documentId);
  }
  const withheldId = hiddenIds[2]!;
  const before = await call(staff.url, `/api/documents/${withheldId}/portal`, { cookie: admin });
  expect(before.json).toMatchObject({ public: true, withheld: false });
  formerPublicId = before.json.publicUrl.split('/').pop();
  // Seen on the portal before it is withheld: the probe below tests the withholding, not a document never public.
  expect((await call(staff.url, `/transparencia/d/${formerPublicId}`)).status).toBe(200);
  const clerk = await signIn(staff.url, USERS.clerk);
  expect((await call(staff.url, `/api/documents/${withheldId}/portal/withheld`, { method: 'PUT', cookie: clerk, origin: staff.url, body: {} })).status).toBe(403);
  const withheld = await call(staff.url, `/api/documents/${withheldId}/portal/withheld`, { method: 'PUT', cookie: admin, origin: staff.url, body: { reason: 'sob sigilo' } });
  expect(withheld.json).toMatchObject({ public: false, withheld: true, publicUrl: null });
  expect((await call(staff.url, `/transparencia/d/${formerPublicId}`)).status).toBe(404);
  const list = await call(staff.url, '/api/portal/withheld', { cookie: admin });
  expect(list.json.withheld).toEqual([expect.objectContaining({ documentId: withheldId, by: USERS.admin.name, reason: 'sob sigilo' })]);
  portal = await startServer({ library, folder: work, access: ACCESS, portal: { ...PORTAL_CONFIG, enabled: false }, serve: { trustProxy: ['127.0.0.1'] }, args: ['--public'], configName: 'public.yaml' });
}, 120_000);

afterAll(async () => {
  await Promise.all([staff?.stop(), portal?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('nothing of a non-public document shows', () => {
  it('the public server has no staff page and no staff API', async () => {
    for (const where of ['/api/search?q=lei', `/api/documents/${hiddenIds[0]}`, '/api/session', '/assets/app.js', '/api/portal/withheld']) {
      expect((await get(where)).status, where).toBe(404);
    }
    expect((await get('/api/session', { authorization: `Bearer ${portal.token}` })).status).toBe(404);
  });

  it('the home page, the newest acts and the type list show the public documents only', async () => {
    const home = await get('/transparencia');
    expect(home.status).toBe(200);
    for (const title of PUBLIC_TITLES.slice(0, 2)) expect(home.text).toContain(title.split(' ').pop());
    expectNothingHidden(home.text);
    // Ofício is no public type and no public document is one: it is not offered.
    expect(home.text).not.toMatch(/value="oficio"/);
    const all = await get('/transparencia/busca');
    expect(all.text).toContain('3 resultados');
    expectNothingHidden(all.text);
  });

  it('a search for a word only a non-public document holds answers as a search for a word in none', async () => {
    const nowhere = await get('/transparencia/busca?q=xilofonemo');
    expect(nowhere.text).toContain('Nenhum documento encontrado');
    for (const word of Object.values(SECRETS)) {
      const probe = await get(`/transparencia/busca?q=${word}`);
      expect(probe.status).toBe(200);
      expect(probe.text.replaceAll(word, 'xilofonemo')).toBe(nowhere.text);
    }
  });

  it('totals and type filters count public pages only', async () => {
    // pavimentação is in all six documents: three are public.
    const common = await get('/transparencia/busca?q=pavimenta%C3%A7%C3%A3o');
    expect(common.text).toContain('3 resultados');
    expectNothingHidden(common.text);
    const decrees = await get('/transparencia/busca?q=pavimenta%C3%A7%C3%A3o&tipo=decreto');
    expect(decrees.text).toContain('1 resultado.');
    const year = await get('/transparencia/busca?ano=1988');
    expect(year.text).toContain('Nenhum documento encontrado');
  });

  it('a personal number typed finds nothing (no oracle), and the public PDF holds none of it', async () => {
    const digits = CPF.replace(/\D/g, '');
    for (const typed of [CPF, digits]) {
      const found = await get(`/transparencia/busca?q=${encodeURIComponent(typed)}`);
      expect(found.text).toContain('Nenhum documento encontrado');
    }
    const list = (await get('/transparencia/dados.json')).json;
    const lei = list.records.find((record: { title: string }) => record.title.includes('102/1992'));
    const pdf = await call(portal.url, new URL(lei.pdf).pathname, { headers: fromAnywhere() });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(work, 'copy.pdf');
    const response = await fetch(lei.pdf, { headers: fromAnywhere() });
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = (await readPdf(file)).pages.map((page) => page.text).join('\n');
    expect(text).toContain('pavimentação');
    expect(text.replace(/\D/g, '')).not.toContain(digits.slice(0, 5));
    // Never the original: the library's own PDF differs.
    const original = readFileSync(path.join(library, 'documents', 'Leis', '1992', 'Caixa 1', 'lei-102.pdf'));
    expect(Buffer.compare(original, readFileSync(file))).not.toBe(0);
  });

  it('open data and the sitemap list the public documents only', async () => {
    const json = (await get('/transparencia/dados.json')).json;
    expect(json.total).toBe(3);
    expect(json.records.map((record: { title: string }) => record.title).sort()).toEqual(expect.arrayContaining([expect.stringContaining('100/1990'), expect.stringContaining('12/1987'), expect.stringContaining('102/1992')]));
    expect(JSON.stringify(json)).not.toContain(formerPublicId);
    const csv = (await get('/transparencia/dados.csv')).text;
    expect(csv.trim().split('\r\n')).toHaveLength(4);
    const sitemap = (await get('/transparencia/sitemap-1.xml')).text;
    expect(sitemap.match(/<loc>/g)).toHaveLength(4);
    for (const text of [JSON.stringify(json), csv, sitemap]) {
      expectNothingHidden(text);
      expect(text).not.toContain(formerPublicId);
    }
    // Public ids are random, not catalog ids: they count nothing.
    for (const record of json.records) expect(record.id).toMatch(/^[a-z2-9]{16}$/);
  });

  it('a non-public id, a withheld one, a catalog id and a guess answer the same 404', async () => {
    const nowhere = await get('/transparencia/d/abcdefghijkmnpqr');
    expect(nowhere.status).toBe(404);
    const probes = [formerPublicId, ...hiddenIds.map(String), '1', '2', '../../catalog.sqlite', 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz'];
    for (const id of probes) {
      for (const suffix of ['', '/documento.pdf', '/documento.pdf?baixar=1']) {
        const probe = await get(`/transparencia/d/${encodeURIComponent(id)}${suffix}`);
        expect(probe.status, id + suffix).toBe(404);
        expect(probe.text, id + suffix).toBe(nowhere.text);
        expect(probe.headers.get('etag')).toBe(nowhere.headers.get('etag'));
      }
    }
  });

  it('a withheld id and an id that never existed take alike long to refuse', async () => {
    // Interleaved, many of each; compared by rank (how often one is slower than the other), never against a clock.
    const a: number[] = [];
    const b: number[] = [];
    const time = async (id: string) => {
      const started = process.hrtime.bigint();
      const response = await get(`/transparencia/d/${id}`);
      expect(response.status).toBe(404);
      return Number(process.hrtime.bigint() - started);
    };
    for (let i = 0; i < 25; i++) await time('warmupwarmupwarm');
    for (let i = 0; i < 200; i++) {
      a.push(await time(formerPublicId));
      b.push(await time(`nonexistent${String(i).padStart(5, '0')}`));
    }
    let slower = 0;
    for (const x of a) for (const y of b) slower += x > y ? 1 : x === y ? 0.5 : 0;
    const share = slower / (a.length * b.length);
    // 0.5 when alike; a refusal that did more work for a document that exists would sit near 1.
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });

  it('a search for a word only a non-public document holds takes as long as one for a word in none', async () => {
    // A word excluded that no page holds makes each query new (none answered from the cache), the same for both.
    const time = async (word: string, i: number) => {
      const started = process.hrtime.bigint();
      const response = await get(`/transparencia/busca?q=${word}%20-nada${i}`);
      expect(response.text).toContain('Nenhum documento encontrado');
      return Number(process.hrtime.bigint() - started);
    };
    for (let i = 0; i < 10; i++) await time('aquecimento', i);
    const hidden: number[] = [];
    const nowhere: number[] = [];
    for (let i = 0; i < 120; i++) {
      hidden.push(await time(SECRETS.restricted, i));
      nowhere.push(await time('xilofonemo', i));
    }
    let slower = 0;
    for (const x of hidden) for (const y of nowhere) slower += x > y ? 1 : x === y ? 0.5 : 0;
    const share = slower / (hidden.length * nowhere.length);
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });

  it('bounded queries: too long, too deep or unknown parameters are refused', async () => {
    for (const query of [`q=${'a'.repeat(201)}`, 'pagina=26', 'pagina=0', 'ano=19', 'tipo=DROP%20TABLE', 'pageSize=1000', `numero=${'1'.repeat(41)}`]) {
      const refused = await get(`/transparencia/busca?${query}`);
      expect(refused.status, query).toBe(400);
      expectNothingHidden(refused.text);
    }
    expect((await get('/transparencia/dados.json?pagina=2')).status).toBe(404);
  });
});

describe('safe on the internet', () => {
  it('pages are cached with ETags and answered 304 when unchanged', async () => {
    const home = await get('/transparencia');
    expect(home.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const etag = home.headers.get('etag')!;
    expect((await get('/transparencia', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/transparencia/dados.json')).headers.get('etag')).toBeTruthy();
  });

  it('each client address has its own limit, counted from the proxy’s X-Forwarded-For', async () => {
    const one = { 'x-forwarded-for': '203.0.113.7' };
    const statuses: number[] = [];
    for (let i = 0; i <= PORTAL_CONFIG.requestsPerMinute; i++) statuses.push((await call(portal.url, '/transparencia/portal.css', { headers: one })).status);
    expect(statuses.slice(0, PORTAL_CONFIG.requestsPerMinute).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const refused = await call(portal.url, '/transparencia', { headers: one });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.text).toContain('Espere um minuto');
    expect((await call(portal.url, '/transparencia/portal.css', { headers: { 'x-forwarded-for': '203.0.113.8' } })).status).toBe(200);
  });
});

describe('a public document with a box staff drew', () => {
  it('is never found by the words of its pages (a hit would tell the covered name is in it), only listed', async () => {
    const admin = await signIn(staff.url, USERS.admin);
    const found = await call(staff.url, '/api/search?q=ilumina%C3%A7%C3%A3o', { cookie: admin });
    expect(found.json.hits).toHaveLength(1);
    const documentId: number = found.json.hits[0].documentId;
    // Found by its words while nothing is covered.
    const before = await get('/transparencia/busca?q=p%C3%BAblica');
    expect(before.text).toContain('100/1990');
    // An archivist covers a name on its page ("iluminação" stands for it: a word only this document has).
    const catalog = Catalog.open(path.join(library, 'catalog.sqlite'));
    try {
      catalog.redactionMarks().add(documentId, { page: 1, action: 'add', box: { x0: 0.05, y0: 0.05, x1: 0.95, y1: 0.3 }, label: 'nome', madeBy: 'bruno' });
    } finally {
      catalog.close();
    }
    const covered = await get('/transparencia/busca?q=ilumina%C3%A7%C3%A3o');
    expect(covered.status).toBe(200);
    expect(covered.text).not.toContain('100/1990');
    // Still a public document: listed among the newest acts and open data, under a neutral title (the next test).
    await expect.poll(async () => (await get('/transparencia/busca?ano=1990')).text, { timeout: 10_000 }).toContain('Lei de 10/03/1990');
    expect((await get('/transparencia/dados.csv')).text).toContain('Lei de 10/03/1990');
  });

  it('does not show its own title anywhere, which may hold what the box covers: a neutral title of its type and date instead', async () => {
    const NAME = ['Zoraide', 'Quintanilha'];
    const admin = await signIn(staff.url, USERS.admin);
    const documentId: number = (await call(staff.url, '/api/search?q=pens%C3%A3o', { cookie: admin })).json.hits[0].documentId;
    const record = (await call(staff.url, `/api/documents/${documentId}/record`, { cookie: admin })).json;
    const retitled = await call(staff.url, `/api/documents/${documentId}`, { method: 'PATCH', cookie: admin, origin: staff.url, body: { fields: { title: { value: `LEI Nº 102/1992 — pensão a ${NAME.join(' ')}`, basedOn: record.fields.title.version } } } });
    expect(retitled.status, retitled.text).toBe(200);
    // Shown while nothing is covered: the probe below can see it, were it left.
    await expect.poll(async () => (await get('/transparencia/dados.json')).text, { timeout: 10_000 }).toContain(NAME[1]);
    const drawn = await call(staff.url, `/api/documents/${documentId}/redaction/marks`, { method: 'POST', cookie: admin, origin: staff.url, body: { page: 1, action: 'add', x0: 0.05, y0: 0.05, x1: 0.95, y1: 0.2, label: 'nome' } });
    expect(drawn.status, drawn.text).toBeLessThan(300);
    await expect.poll(async () => (await get('/transparencia/dados.json')).text, { timeout: 10_000 }).not.toContain(NAME[1]);

    const json = (await get('/transparencia/dados.json')).json;
    const listed = json.records.find((entry: { title: string }) => entry.title === 'Lei de 05/05/1992');
    expect(listed).toBeTruthy();
    const page = new URL(listed.url).pathname;
    for (const server of [portal, staff]) {
      const read = (where: string, headers: Record<string, string> = {}) => call(server.url, where, { headers: { ...fromAnywhere(), ...headers } });
      const outputs = [
        ...['pt', 'es', 'en'].flatMap((lang) => [`/transparencia?lang=${lang}`, `${page}?lang=${lang}`, `/transparencia/busca?ano=1992&lang=${lang}`, `/transparencia/busca?tipo=lei&lang=${lang}`]),
        '/transparencia/busca?numero=102%2F1992',
        '/transparencia/dados.json',
        '/transparencia/dados.csv',
        '/transparencia/sitemap.xml',
        '/transparencia/sitemap-1.xml',
        `${page}/documento.pdf`,
      ];
      for (const where of outputs) {
        const answer = await read(where);
        expect(answer.status, where).toBeLessThan(400);
        for (const word of NAME) {
          expect(answer.text, `${where} ${word}`).not.toContain(word);
          expect(JSON.stringify([...answer.headers]), `${where} headers`).not.toContain(word);
        }
      }
      // Found by neither part of the name: the answer is a search for a word in none (the query itself echoed aside).
      const nowhere = (await read('/transparencia/busca?q=xilofonemo')).text;
      for (const word of NAME) expect((await read(`/transparencia/busca?q=${word}`)).text.replaceAll(word, 'xilofonemo')).toBe(nowhere);
      // Listed under its neutral title, in each language.
      expect((await read(`${page}?lang=pt`)).text).toContain('<h1>Lei de 05/05/1992</h1>');
      expect((await read(`${page}?lang=es`)).text).toContain('<h1>Ley del 05/05/1992</h1>');
      expect((await read(`${page}?lang=en`)).text).toContain('<h1>Law, 1992-05-05</h1>');
      expect((await read(`${page}?lang=pt`)).text).toMatch(/class="citation">Prefeitura Municipal de Exemplo\. Lei de 05\/05\/1992\./);
    }
    // The PDF itself: its name and metadata (compressed streams aside, read as the PDF says them).
    const file = path.join(work, 'covered.pdf');
    const response = await fetch(`${portal.url}${page}/documento.pdf?baixar=1`, { headers: fromAnywhere() });
    expect(response.headers.get('content-disposition')).toContain('Lei de 05_05_1992.pdf');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const copy = await readPdf(file);
    for (const word of NAME) expect(JSON.stringify(copy.info) + copy.metadata + copy.pages.map((p) => p.text).join('\n')).not.toContain(word);
  });
});

describe('a withholding on the staff server', () => {
  it('is in the separate public server’s very next answer, with no wait: the page 404s as for nothing, and lists and open data drop it', async () => {
    const admin = await signIn(staff.url, USERS.admin);
    const documentId: number = (await call(staff.url, '/api/search?q=ilumina%C3%A7%C3%A3o', { cookie: admin })).json.hits[0].documentId;
    const publicId: string = (await call(staff.url, `/api/documents/${documentId}/portal`, { cookie: admin })).json.publicUrl.split('/').pop();
    expect((await get(`/transparencia/d/${publicId}`)).status).toBe(200);
    const nowhere = await get('/transparencia/d/abcdefghijkmnpqr');
    const withheld = await call(staff.url, `/api/documents/${documentId}/portal/withheld`, { method: 'PUT', cookie: admin, origin: staff.url, body: {} });
    expect(withheld.json).toMatchObject({ withheld: true });
    // No polling: the first request after the withholding.
    const page = await get(`/transparencia/d/${publicId}`);
    expect(page.status).toBe(404);
    expect(page.text).toBe(nowhere.text);
    for (const where of ['/transparencia/dados.json', '/transparencia/dados.csv', '/transparencia/sitemap-1.xml', '/transparencia/busca?ano=1990', '/transparencia']) {
      expect((await get(where)).text, where).not.toContain(publicId);
    }
    await call(staff.url, `/api/documents/${documentId}/portal/withheld`, { method: 'DELETE', cookie: admin, origin: staff.url });
    expect((await get(`/transparencia/d/${publicId}`)).status).toBe(200);
  });
});
