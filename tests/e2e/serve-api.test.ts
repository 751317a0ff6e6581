/**
 * `acervo serve`'s JSON API over a real HTTP server on loopback, on a copy of the samples library:
 * who may see what, what a search returns, and that no request reaches a file outside the catalog.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { call } from '../helpers/http.js';
import { signIn, startServer, USERS, type RunningServer } from '../helpers/server.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-serve-'));
const library = path.join(work, 'library');
let server: RunningServer;
let clerk: string;
let admin: string;

beforeAll(async () => {
  cpSync(inject('samplesLibrary'), library, { recursive: true });
  server = await startServer({ library, folder: work, serve: { signInsPerMinute: 10 } });
  clerk = await signIn(server.url, USERS.clerk);
  admin = await signIn(server.url, USERS.admin);
});
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A request to the server as a client sends it: the body as written, redirects not followed. */
function get(pathAndQuery: string, options: { cookie?: string; token?: string; method?: string; body?: string; type?: string } = {}) {
  const { body, ...rest } = options;
  return call(server.url, pathAndQuery, { ...rest, ...(body !== undefined ? { rawBody: body } : {}), redirect: 'manual' });
}

/** A request whose path goes out exactly as written (fetch would resolve the dots first). */
function rawGet(rawPath: string, cookie: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, path: rawPath, headers: { cookie } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const documentIdOf = (relativePath: string) => readCatalog(library).documents.find((d) => d.relative_path === relativePath)!.id;

describe('acervo serve: access', () => {
  it('serves the page itself to anyone (it only asks to sign in), and nothing else', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="pt-BR">');
    for (const url of ['/api/search?q=alvara', `/api/documents/${documentIdOf('Obras/1987/alvara-construcao-412.png')}`, `/api/documents/${documentIdOf('Obras/1987/alvara-construcao-412.png')}/pdf`, '/api/status', '/api/session']) {
      const response = await get(url);
      expect(response.status, url).toBe(401);
      expect(response.json.error.code).toBe('SIGN_IN_REQUIRED');
    }
  });

  it('signs in with the right password only, and the session cookie is HttpOnly and SameSite=Strict', async () => {
    for (const attempt of [{ name: USERS.clerk.name, password: 'errada' }, { name: 'ninguem', password: USERS.clerk.password }, {}]) {
      const response = await get('/api/session', { method: 'POST', body: JSON.stringify(attempt) });
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('BAD_CREDENTIALS');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    const response = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: USERS.clerk.name, password: USERS.clerk.password }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'maria', role: 'clerk', personalData: false });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await get('/api/session', { cookie: cookie.split(';')[0] })).json).toEqual({ name: 'maria', role: 'clerk', personalData: false });
  });

  it('refuses a forged or altered session cookie (it holds only a random id the server knows)', async () => {
    const [name, value] = clerk.split('=') as [string, string];
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const altered = `${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;
    const madeUp = Buffer.alloc(32, 7).toString('base64url');
    // The signed cookies of earlier versions, role and all, open nothing either.
    const oldStyle = `${Buffer.from(JSON.stringify({ name: 'joao.ti', role: 'admin', pd: true, exp: Date.now() + 3600_000 })).toString('base64url')}.AAAA`;
    for (const forged of [altered, madeUp, oldStyle]) {
      expect((await get('/api/status', { cookie: `${name}=${forged}` })).status, forged).toBe(401);
      expect((await get('/api/search?q=alvara', { cookie: `${name}=${forged}` })).status, forged).toBe(401);
    }
    expect((await get('/api/search?q=alvara', { cookie: clerk })).status).toBe(200);
  });

  it('lets a clerk search and read, but not see the status or rebuild the index', async () => {
    expect((await get('/api/search?q=alvara', { cookie: clerk })).status).toBe(200);
    for (const [method, url] of [['GET', '/api/status'], ['POST', '/api/reindex']]) {
      const response = await get(url!, { cookie: clerk, method });
      expect(response.status, url).toBe(403);
      expect(response.json.error.code).toBe('FORBIDDEN');
    }
  });

  it('lets an admin see the status and rebuild the index, and a script do so with its API token', async () => {
    const status = await get('/api/status', { cookie: admin });
    expect(status.status).toBe(200);
    expect(status.json.index).toMatchObject({ backend: 'embedded', reachable: true, pending: 0 });
    expect(status.json.catalog.done).toBe(readCatalog(library).documents.length);
    const rebuild = await get('/api/reindex', { token: server.token, method: 'POST' });
    expect(rebuild.status).toBe(202);
    let after = await get('/api/status', { token: server.token });
    for (let i = 0; i < 50 && after.json.rebuilding; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await get('/api/status', { token: server.token });
    }
    expect(after.json.lastRebuild).toMatchObject({ documents: status.json.catalog.done });
    expect((await get('/api/status', { token: 'acv_not-a-real-token-at-all-xxxxxxxxx' })).status).toBe(401);
  });

  it('signs out', async () => {
    const cookie = await signIn(server.url, USERS.clerk);
    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.headers.get('set-cookie')).toMatch(/acervo_session=;/);
  });
});

describe('acervo serve: search and documents', () => {
  it('returns page-level hits with title, collection, year, type, page, highlighted snippet and where to open them', async () => {
    const result = (await get('/api/search?q=alvara', { cookie: clerk })).json;
    expect(result.total).toBeGreaterThanOrEqual(1);
    const hit = result.hits.find((h: { title: string }) => h.title.startsWith('ALVARÁ'));
    expect(hit).toMatchObject({ page: 1, collection: 'Obras', year: 1987, documentType: 'alvara' });
    expect(hit.snippet).toMatch(/<mark>ALVARÁ<\/mark>/);
    expect(hit.viewUrl).toBe(`/view/${hit.documentId}?page=1`);
    // Clerks see where to open a record, never a path on the server's disks.
    expect(JSON.stringify(result)).not.toContain(library);
    expect(result.facets.collection.length).toBeGreaterThan(0);
  });

  it('ignores accents and case, filters by collection, type and years, and counts per facet', async () => {
    const plain = (await get('/api/search?q=CERTIDAO', { cookie: clerk })).json;
    expect(plain.hits.some((h: { title: string }) => h.title.startsWith('CERTIDÃO'))).toBe(true);
    const obras = (await get('/api/search?q=municipal&collection=Obras', { cookie: clerk })).json;
    expect(obras.total).toBeGreaterThan(0);
    expect(obras.hits.every((h: { collection: string }) => h.collection === 'Obras')).toBe(true);
    const types = (await get('/api/search?q=municipal&type=decreto&type=alvara', { cookie: clerk })).json;
    expect(new Set(types.hits.map((h: { documentType: string }) => h.documentType))).toEqual(new Set(['decreto', 'alvara']));
    const eighties = (await get('/api/search?q=municipal&yearFrom=1980&yearTo=1989', { cookie: clerk })).json;
    expect(eighties.hits.every((h: { year: number }) => h.year >= 1980 && h.year <= 1989)).toBe(true);
    const facetTotal = eighties.facets.year.reduce((n: number, f: { count: number }) => n + f.count, 0);
    expect(facetTotal).toBe(eighties.total);
  });

  it('masks people’s CPF numbers for a clerk, and shows them to an admin (LGPD)', async () => {
    const asClerk = (await get('/api/search?q=318.472.605-35', { cookie: clerk })).json;
    const asAdmin = (await get('/api/search?q=318.472.605-35', { cookie: admin })).json;
    expect(asClerk.hits[0].title).toMatch(/^CERTIDÃO DE TEMPO DE SERVIÇO/);
    expect(asClerk.hits[0].personalData).toBe(true);
    // The number typed whole is shown where it stands (the clerk typed it); any other stays masked.
    expect(asClerk.hits[0].snippet).toContain('<mark>318.472.605-35</mark>');
    const other = (await get('/api/search?q=certidão tempo de serviço', { cookie: clerk })).json;
    const certidao = other.hits.find((hit: { documentId: number }) => hit.documentId === asClerk.hits[0].documentId);
    expect(JSON.stringify(other.hits)).not.toMatch(/318\.?472\.?605-?35/);
    expect((await get(`/api/documents/${certidao.documentId}?q=matrícula`, { cookie: clerk })).json.hits.map((hit: { snippet: string }) => hit.snippet).join(' ')).toContain('***.***.***-**');
    expect(asAdmin.hits[0].snippet).toContain('318.472.605-35');
    const id = asClerk.hits[0].documentId;
    const clerkView = (await get(`/api/documents/${id}?q=CPF`, { cookie: clerk })).json;
    expect(clerkView.taxNumbers).toBe(1);
    expect(JSON.stringify(clerkView)).not.toMatch(/318\.?472\.?605-?35/);
    expect((await get(`/api/documents/${id}`, { cookie: admin })).json.taxNumbers).toEqual([{ kind: 'cpf', value: '31847260535', page: 1 }]);
  });

  it('shows a document’s identifiers, every date and its own date', async () => {
    const view = (await get(`/api/documents/${documentIdOf('Obras/1987/alvara-construcao-412.png')}`, { cookie: clerk })).json;
    expect(view).toMatchObject({ documentType: 'alvara', date: '1987-03-12' });
    expect(view.identifiers.map((id: { kind: string; value: string }) => `${id.kind} ${id.value}`)).toEqual(['alvara 412/1987', 'processo 1873/1987', 'lei 1120/1979']);
    expect(view.dates.filter((d: { main: boolean }) => d.main).map((d: { date: string }) => d.date)).toEqual(['1987-03-12']);
    expect(view.dates.map((d: { date: string }) => d.date)).toContain('1979-12-05');
  });

  it('pages through results', async () => {
    const first = (await get('/api/search?q=municipal&pageSize=3&page=1', { cookie: clerk })).json;
    const second = (await get('/api/search?q=municipal&pageSize=3&page=2', { cookie: clerk })).json;
    expect(first.hits).toHaveLength(3);
    expect(second.page).toBe(2);
    const key = (h: { documentId: number; page: number }) => `${h.documentId}/${h.page}`;
    expect(second.hits.map(key).some((k: string) => first.hits.map(key).includes(k))).toBe(false);
  });

  it('answers an empty search with nothing, and bad parameters with a 400', async () => {
    expect((await get('/api/search?q=', { cookie: clerk })).json).toMatchObject({ total: 0, hits: [] });
    for (const query of ['q=x&pageSize=1000', 'q=x&page=0', 'q=x&yearFrom=19', 'q=x&sort=random', 'q=x&other=1']) {
      const response = await get(`/api/search?${query}`, { cookie: clerk });
      expect(response.status, query).toBe(400);
      expect(response.json.error.code).toBe('BAD_REQUEST');
    }
  });

  it('answers a search with nothing to search for with the reason, never an error; says what it left out', async () => {
    for (const [q, reason] of [['"', 'no-words'], ['^ *', 'no-words'], ['-alvara', 'only-exclusions']] as const) {
      const response = await get(`/api/search?q=${encodeURIComponent(q)}`, { cookie: clerk });
      expect(response.status, q).toBe(200);
      expect(response.json, q).toMatchObject({ total: 0, hits: [], refused: reason });
    }
    const many = Array.from({ length: 40 }, (_, i) => `palavra${i}`).join(' ');
    expect((await get(`/api/search?q=${encodeURIComponent(many)}`, { cookie: clerk })).json.refused).toBe('too-many-words');
    const stray = (await get(`/api/search?q=${encodeURIComponent('alvara ^ (')}`, { cookie: clerk })).json;
    expect(stray.total).toBeGreaterThan(0);
    expect(stray.ignored).toEqual(['^', '(']);
    expect((await get('/api/search?q=alvara', { cookie: clerk })).json.ignored).toBeUndefined();
    const id = documentIdOf('Gabinete/1990/decreto-345.tif');
    const view = await get(`/api/documents/${id}?q=${encodeURIComponent('"')}`, { cookie: clerk });
    expect(view.status).toBe(200);
    expect(view.json.hits).toEqual([]);
  });

  it("lists a document's metadata and the pages that match", async () => {
    const id = documentIdOf('Gabinete/1990/decreto-345.tif');
    const view = (await get(`/api/documents/${id}?q=atraso`, { cookie: clerk })).json;
    expect(view).toMatchObject({ documentId: id, documentType: 'decreto', collection: 'Gabinete', year: 1990, pages: 3, file: 'Gabinete/1990/decreto-345.tif', pdfUrl: `/api/documents/${id}/pdf` });
    expect(view.hits.map((h: { page: number }) => h.page)).toEqual([2]);
    expect(view.hits[0].snippet).toMatch(/<mark>atraso<\/mark>/);
  });

  it('serves the searchable PDF inline, or as a download', async () => {
    const id = documentIdOf('Gabinete/1990/decreto-345.tif');
    const inline = await fetch(`${server.url}/api/documents/${id}/pdf`, { headers: { cookie: clerk } });
    expect(inline.status).toBe(200);
    expect(inline.headers.get('content-type')).toBe('application/pdf');
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; filename="decreto-345.pdf"/);
    const bytes = Buffer.from(await inline.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // No personal number in it: the file itself, even for a clerk (one that holds some is a masked copy: personal-data.test.ts).
    expect(bytes.equals(readFileSync(path.join(library, 'documents', 'Gabinete/1990/decreto-345.pdf')))).toBe(true);
    const download = await fetch(`${server.url}/api/documents/${id}/pdf?download=1`, { headers: { cookie: clerk } });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; /);
  });
});

describe('acervo serve: only what the catalog holds', () => {
  it('never reaches another file through the path: .., encoded dots and slashes, absolute paths, odd ids', async () => {
    for (const url of [
      '/api/documents/../../../etc/passwd/pdf',
      '/api/documents/..%2f..%2f..%2fetc%2fpasswd/pdf',
      '/api/documents/%2e%2e/%2e%2e/etc/passwd',
      '/api/documents/%2e%2e%2f%2e%2e%2fcatalog.sqlite/pdf',
      '/api/documents//etc/passwd/pdf',
      '/api/documents/%2Fetc%2Fpasswd/pdf',
      '/api/documents/1%00/pdf',
      '/api/documents/-1/pdf',
      '/api/documents/01/pdf',
      '/api/documents/999999/pdf',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/..%2f..%2fcatalog.sqlite',
      '/assets/pdfjs/../../package.json',
    ]) {
      const response = await get(url, { cookie: clerk });
      expect([400, 404], url).toContain(response.status);
      expect(response.text, url).not.toMatch(/root:|SQLite format|"name": ?"acervo"/);
    }
  });

  it('refuses raw paths with .. that a browser would have tidied away', async () => {
    for (const raw of ['/api/documents/../../catalog.sqlite', '/assets/../../../../etc/passwd', '/view/../../package.json', '/api/documents/1/../../../etc/passwd']) {
      const { status, body } = await rawGet(raw, clerk);
      expect([400, 404], raw).toContain(status);
      expect(body, raw).not.toMatch(/root:|SQLite format|"name": ?"acervo"/);
    }
  });

  it('does not follow a symbolic link out of the documents folder', async () => {
    const relative = 'Obras/1987/alvara-construcao-412.pdf';
    const file = path.join(library, 'documents', relative);
    unlinkSync(file);
    symlinkSync(path.join(library, 'catalog.sqlite'), file);
    const response = await get(`/api/documents/${documentIdOf('Obras/1987/alvara-construcao-412.png')}/pdf`, { cookie: clerk });
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('SQLite format');
  });
});

describe('acervo serve: a careful server', () => {
  it('sends security headers, and no caching of API answers', async () => {
    const page = await get('/');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect((await get('/api/search?q=alvara', { cookie: clerk })).headers.get('cache-control')).toBe('no-store');
  });

  it('answers errors as JSON with a code, never a stack trace', async () => {
    const malformed = await get('/api/session', { method: 'POST', body: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('BAD_REQUEST');
    const unknown = await get('/api/nothing-here', { cookie: clerk });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: { code: 'NOT_FOUND', message: 'Nothing here.' } });
    for (const response of [malformed, unknown]) expect(response.text).not.toMatch(/\bat .*\.(js|ts):\d+|node_modules/);
  });

  it('refuses a request body larger than a clerk ever sends', async () => {
    const response = await get('/api/session', { method: 'POST', body: JSON.stringify({ name: 'x', password: 'y'.repeat(64 * 1024) }) });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('TOO_LARGE');
  });

  it('limits sign-in attempts per minute', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await get('/api/session', { method: 'POST', body: JSON.stringify({ name: 'maria', password: `tentativa-${i}` }) })).status);
    expect(codes).toContain(429);
    const limited = await get('/api/session', { method: 'POST', body: JSON.stringify({ name: 'maria', password: 'x' }) });
    expect(limited.json.error.code).toBe('TOO_MANY_REQUESTS');
  });
});
