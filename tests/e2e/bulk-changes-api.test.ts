/**
 * Bulk changes over a real HTTP server (issue 25, points 5 and 6): an archivist previews a box and
 * moves it to another collection and series in one operation that search follows at once; clerks
 * may do none of it; a change made on a stale preview is refused, listing the fields another
 * archivist changed since, and goes through once previewed again; a selection that changed is told;
 * restricted collections are out of reach (never selected, never a target, changes touching them
 * not shown); personal numbers show no digit and documents holding one in a field to set are left
 * out for an archivist without the permission; reverting puts back what is still current and says
 * what a later edit superseded; a change of over a thousand documents must be confirmed and is
 * indexed after the answer. The access log records each preview, change and revert, never values.
 * A library of born-digital PDFs (no OCR), and a thousand more documents recorded in its catalog.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../core/catalog/catalog.js';
import { readCatalog } from '../helpers/catalog.js';
import { call } from '../helpers/http.js';
import { signIn, startServer, USERS, type RunningServer, type TestUser } from '../helpers/server.js';
import { textLibrary } from '../helpers/text-library.js';

const ARCHIVISTS: Record<'bruno' | 'ana', TestUser> = {
  bruno: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  ana: { name: 'ana', password: 'arquivista-com-lgpd-22', role: 'archivist', personalData: true },
};
const CPF = '390.533.447-05';
const CPF_DIGITS = CPF.replace(/\D/g, '');
const MANY = 1_200;

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-bulk-api-'));
let library: string;
let server: RunningServer;
const cookies: Record<string, string> = {};
const api = (user: string, pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => call(server.url, pathAndQuery, { ...options, cookie: cookies[user] });
const preview = (user: string, body: unknown) => api(user, '/api/bulk-changes/preview', { method: 'POST', body });
const apply = (user: string, body: unknown) => api(user, '/api/bulk-changes', { method: 'POST', body });
const idOf = (name: string) => readCatalog(library).documents.find((d) => d.relative_path.endsWith(name))!.id;
const record = async (id: number) => (await api('ana', `/api/documents/${id}/record`)).json.fields;
const searchIds = async (query: string) => [...new Set((await api('ana', `/api/search?${query}&pageSize=100`)).json.hits.map((hit: { documentId: number }) => hit.documentId))].sort();
/** Every run of 5 digits of the protected number, across separators and masks. */
const leaks = (text: string) => [0, 1, 2, 3, 4, 5, 6].map((i) => CPF_DIGITS.slice(i, i + 5)).filter((run) => text.replace(/[^0-9]/g, '').includes(run));

function accessEntries(action: string): Array<{ user: string; query: string | null; detail: any }> {
  const db = new Database(path.join(library, 'access-log.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT user, query, detail FROM access_entries WHERE action = ? ORDER BY id').all(action) as Array<{ user: string; query: string | null; detail: string }>).map((row) => ({ ...row, detail: JSON.parse(row.detail) }));
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const alvara = (n: number) => ({ path: `Obras/1987/Caixa 12/alvara-${n}.pdf`, lines: [`ALVARA DE CONSTRUCAO N. ${n}`, 'Prefeitura Municipal. Vistoria da obra concluida.'] });
  library = await textLibrary(work, [
    alvara(1), alvara(2), alvara(3), alvara(4),
    { path: 'Obras/1988/Caixa 13/oficio-5.pdf', lines: ['OFICIO N. 5', 'Pedido de vistoria da obra.'] },
    { path: 'Gabinete/1990/Caixa 12/decreto-6.pdf', lines: ['DECRETO N. 6', 'Dispoe sobre a vistoria de obras.'] },
    { path: 'Pessoal/1991/Caixa 1/certidao-7.pdf', lines: ['CERTIDAO DE TEMPO DE SERVICO', `Servidor CPF ${CPF}. Vistoria medica.`] },
  ]);
  // A thousand and more documents of one box, recorded as a conversion records them (their PDFs are never opened here).
  const catalog = Catalog.open(path.join(library, 'catalog.sqlite'));
  try {
    for (let i = 1; i <= MANY; i++) {
      const metadata = { title: `Protocolo geral ${i}`, documentType: 'protocolo', collection: 'Arquivo Geral', year: 1979, date: null, language: 'pt', personalData: false, notes: null, dates: [], identifiers: [], taxNumbers: [], box: '1', series: null };
      const page = { pageNo: 1, pdfPageNo: 1, text: `Protocolo geral numero ${i} arquivado`, confidence: 90, textSource: 'ocr' as const, widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null };
      const document = { partNo: 1, sourcePages: null, separator: null, tempFile: '', metadata, pages: [page], outputSha256: `s${i}`, outputBytes: 1, pdfConformance: null, pdfConformanceNote: null };
      catalog.recordConverted({ sourcePath: `/arquivo/protocolo-${i}.tif`, relativePath: `Arquivo Geral/protocolo-${i}.tif`, mediaType: 'image/tiff', sha256: String(i).padStart(64, '0'), sizeBytes: 1, settings: '{}', documents: [{ outputPath: `documents/protocolo-${i}.pdf`, document }] });
    }
    // One more, in a box of its own: no title read, and its folder named for a person (the file's path stands for its title).
    const untitled = { partNo: 1, sourcePages: null, separator: null, tempFile: '', outputSha256: 'u', outputBytes: 1, pdfConformance: null, pdfConformanceNote: null,
      metadata: { title: null, documentType: null, collection: 'Arquivo Geral', year: null, date: null, language: 'pt', personalData: false, notes: null, dates: [], identifiers: [], taxNumbers: [], box: '2', series: null },
      pages: [{ pageNo: 1, pdfPageNo: 1, text: 'Requerimento sem titulo', confidence: 90, textSource: 'ocr' as const, widthPt: 595, heightPt: 842, dpi: 300, dpiAssumed: false, corrections: null }] };
    catalog.recordConverted({ sourcePath: '/arquivo/req.tif', relativePath: `Requerentes ${CPF}/req.tif`, mediaType: 'image/tiff', sha256: 'f'.repeat(64), sizeBytes: 1, settings: '{}', documents: [{ outputPath: 'documents/req.pdf', document: untitled }] });
  } finally {
    catalog.close();
  }
  server = await startServer({
    library,
    folder: work,
    users: Object.values(ARCHIVISTS),
    serve: { requestsPerMinute: 100_000 },
    access: { restrictedCollections: [{ collection: 'Pessoal', roles: ['admin'], users: ['ana'] }] },
  });
  for (const [key, user] of Object.entries({ ...ARCHIVISTS, clerk: USERS.clerk, admin: USERS.admin })) cookies[key] = await signIn(server.url, user);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const box12 = { box: { collection: 'Obras', box: '12' } };

describe('bulk changes over the API', () => {
  let first: any;

  it('is for archivists and admins only: a clerk may not list, preview, change or revert, and without a session nothing at all', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/bulk-changes/boxes', undefined],
      ['GET', '/api/bulk-changes', undefined],
      ['POST', '/api/bulk-changes/preview', { selection: box12, set: { series: 'x' } }],
      ['POST', '/api/bulk-changes', { selection: box12, set: { series: 'x' }, version: '1.1.0123456789abcdef' }],
      ['POST', '/api/bulk-changes/1/revert', {}],
    ] as const) {
      const refused = await api('clerk', url, { method, body });
      expect(refused.status, url).toBe(403);
      expect(refused.json.error.code).toBe('FORBIDDEN');
      expect((await call(server.url, url, { method, body })).json.error.code).toBe('SIGN_IN_REQUIRED');
    }
    for (const body of [{ selection: box12, set: {} }, { selection: box12, set: { color: 'azul' } }, { selection: {}, set: { series: 'x' } }, { selection: box12, set: { series: `Requerente ${CPF}` } }, { selection: { search: { q: '' } }, set: { series: 'x' } }]) {
      const refused = await preview('bruno', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.error.code).toBe('INVALID_BULK_CHANGE');
    }
  });

  it('lists the boxes a user may see, the restricted collection’s only to those allowed', async () => {
    const boxes = (user: string) => api(user, '/api/bulk-changes/boxes').then((answer) => answer.json.boxes.map((entry: any) => `${entry.collection}/${entry.box}:${entry.documents}`));
    expect(await boxes('bruno')).toEqual(['Arquivo Geral/1:1200', 'Arquivo Geral/2:1', 'Gabinete/12:1', 'Obras/12:4', 'Obras/13:1']);
    expect(await boxes('ana')).toContain('Pessoal/1:1');
  });

  it('previews a box without changing anything, then moves it to another collection and series in one change that search follows at once', async () => {
    const ids = [1, 2, 3, 4].map((n) => idOf(`alvara-${n}.pdf`));
    const set = { collection: 'Obras Públicas', series: 'Licenças de obra', documentType: 'alvara' };
    const seen = await preview('bruno', { selection: box12, set });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json).toMatchObject({
      documents: 4,
      changing: 4,
      fields: { collection: { to: 'Obras Públicas', changing: 4, from: [{ value: 'Obras', documents: 4 }] }, series: { changing: 4, from: [{ value: null, documents: 4 }] }, documentType: { changing: 0, unchanged: 4 } },
      leftOut: { personalData: 0 },
      confirmationRequired: false,
    });
    expect(seen.json.sample.map((entry: any) => entry.documentId).sort()).toEqual([...ids].sort());
    expect(seen.json.sample[0].changes).toEqual({ collection: { from: 'Obras', to: 'Obras Públicas' }, series: { from: null, to: 'Licenças de obra' } });
    expect((await record(ids[0]!)).collection).toMatchObject({ value: 'Obras', corrected: false });

    const done = await apply('bruno', { selection: box12, set, version: seen.json.version });
    expect(done.status, done.text).toBe(200);
    first = done.json.change;
    expect(done.json).toMatchObject({ corrections: 8, indexed: true, pendingIndex: 0 });
    expect(first).toMatchObject({ by: 'bruno', selection: { kind: 'box', collection: 'Obras', box: '12' }, set, documents: 4, changed: 4, corrections: 8, current: 8 });
    expect((await record(ids[0]!)).collection).toMatchObject({ value: 'Obras Públicas', machineValue: 'Obras', corrected: true, by: 'bruno' });
    // Each document's own history shows the change, tied to the bulk change.
    const history = (await api('clerk', `/api/documents/${ids[0]}/history`)).json.changes;
    expect(history.map((change: any) => [change.field, change.bulkChange])).toEqual([['series', first.id], ['collection', first.id]]);
    expect(await searchIds('q=vistoria&collection=Obras+P%C3%BAblicas')).toEqual([...ids].sort());
    expect(await searchIds('q=vistoria&collection=Obras')).toEqual([idOf('oficio-5.pdf')]);
    expect((await api('bruno', '/api/bulk-changes')).json.changes.map((change: any) => change.id)).toEqual([first.id]);
  });

  it('refuses a change on a stale preview, listing what another archivist changed since, and applies it once previewed again', async () => {
    const selection = { search: { q: 'vistoria', collection: ['Obras Públicas'], type: [], yearFrom: null, yearTo: null } };
    const seen = await preview('bruno', { selection, set: { box: '12-A' } });
    expect(seen.json).toMatchObject({ documents: 4, changing: 4 });
    // Meanwhile Ana files one of them in another box.
    const target = idOf('alvara-2.pdf');
    expect((await api('ana', `/api/documents/${target}`, { method: 'PATCH', body: { fields: { box: { value: '14', basedOn: null } } } })).status).toBe(200);
    const late = await apply('bruno', { selection, set: { box: '12-A' }, version: seen.json.version });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'EDIT_CONFLICT', total: 1, conflicts: [{ documentId: target, field: 'box', value: '14', by: 'ana', title: 'ALVARA DE CONSTRUCAO N. 2' }] });
    expect((await record(idOf('alvara-1.pdf'))).box.value).toBe('12');
    // Previewed again, he has seen her box: his change wins, over hers too.
    const again = await preview('bruno', { selection, set: { box: '12-A' } });
    expect(again.json.fields.box.from).toEqual([{ value: '12', documents: 3 }, { value: '14', documents: 1 }]);
    const done = await apply('bruno', { selection, set: { box: '12-A' }, version: again.json.version });
    expect(done.status, done.text).toBe(200);
    expect((await record(target)).box).toMatchObject({ value: '12-A', by: 'bruno' });
  });

  it('tells when the selection itself changed since the preview', async () => {
    const selection = { box: { collection: 'Gabinete', box: '12' } };
    const seen = await preview('bruno', { selection, set: { series: 'Atos do prefeito' } });
    expect(seen.json.documents).toBe(1);
    const oficio = idOf('oficio-5.pdf');
    expect((await api('ana', `/api/documents/${oficio}`, { method: 'PATCH', body: { fields: { collection: { value: 'Gabinete', basedOn: null }, box: { value: '12', basedOn: null } } } })).status).toBe(200);
    const late = await apply('bruno', { selection, set: { series: 'Atos do prefeito' }, version: seen.json.version });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'SELECTION_CHANGED', previewed: 1, documents: 2 });
    expect((await record(oficio)).series.value).toBeNull();
  });

  it('keeps restricted collections out of reach: never selected, never a target, and changes touching them not shown', async () => {
    const certidao = idOf('certidao-7.pdf');
    const picked = await preview('bruno', { selection: { documents: [certidao] }, set: { series: 'x' } });
    expect(picked.status).toBe(404);
    expect((await preview('bruno', { selection: { box: { collection: 'Pessoal', box: '1' } }, set: { series: 'x' } })).json.documents).toBe(0);
    const everything = await preview('bruno', { selection: { search: { q: 'vistoria', collection: [], type: [], yearFrom: null, yearTo: null } }, set: { series: 'x' } });
    expect(everything.json.documents).toBe(6);
    const into = await preview('bruno', { selection: box12, set: { collection: 'Pessoal' } });
    expect(into.status).toBe(403);
    expect(into.json.error.code).toBe('COLLECTION_RESTRICTED');
    // Ana may: her change of the certidão is hers and the admin's to see, not Bruno's.
    const hers = await preview('ana', { selection: { search: { q: 'vistoria medica', collection: [], type: [], yearFrom: null, yearTo: null } }, set: { series: 'Assentamentos' } });
    expect(hers.json.documents).toBe(1);
    const done = await apply('ana', { selection: { search: { q: 'vistoria medica', collection: [], type: [], yearFrom: null, yearTo: null } }, set: { series: 'Assentamentos' }, version: hers.json.version });
    expect(done.status, done.text).toBe(200);
    expect((await api('bruno', `/api/bulk-changes/${done.json.change.id}`)).status).toBe(404);
    expect((await api('bruno', `/api/bulk-changes/${done.json.change.id}/revert`, { method: 'POST', body: {} })).status).toBe(404);
    expect((await api('bruno', '/api/bulk-changes')).json.changes.map((change: any) => change.id)).not.toContain(done.json.change.id);
    expect((await api('admin', '/api/bulk-changes')).json.changes.map((change: any) => change.id)).toContain(done.json.change.id);
  });

  it('shows no digit of a person’s number, and leaves out for an archivist without the permission a document whose field holds one', async () => {
    const decreto = idOf('decreto-6.pdf');
    expect((await api('ana', `/api/documents/${decreto}`, { method: 'PATCH', body: { fields: { series: { value: `Requerente CPF ${CPF}`, basedOn: null } } } })).status).toBe(200);
    const selection = { box: { collection: 'Gabinete', box: '12' } };
    const his = await preview('bruno', { selection, set: { series: 'Atos' } });
    expect(his.json).toMatchObject({ documents: 1, leftOut: { personalData: 1 } });
    const hers = await preview('ana', { selection, set: { series: 'Atos' } });
    expect(hers.json).toMatchObject({ documents: 2, leftOut: { personalData: 0 } });
    expect(leaks(JSON.stringify(hers.json)).length).toBeGreaterThan(0);
    const done = await apply('bruno', { selection, set: { series: 'Atos' }, version: his.json.version });
    expect(done.json.change).toMatchObject({ changed: 1 });
    expect((await record(decreto)).series.value).toBe(`Requerente CPF ${CPF}`);
    for (const answer of [his, done, await api('bruno', '/api/bulk-changes'), await api('bruno', `/api/bulk-changes/${done.json.change.id}`)]) expect(leaks(answer.text)).toEqual([]);
    // A document with no title is shown by its file's path, masked as a title would be.
    const untitled = { box: { collection: 'Arquivo Geral', box: '2' } };
    expect(leaks((await preview('ana', { selection: untitled, set: { series: 'Requerimentos' } })).text).length).toBeGreaterThan(0);
    const masked = await preview('bruno', { selection: untitled, set: { series: 'Requerimentos' } });
    expect(masked.json.sample).toEqual([expect.objectContaining({ title: expect.stringMatching(/^Requerentes .*\/req\.tif$/) })]);
    expect(leaks(masked.text)).toEqual([]);
  });

  it('reverts a change: what is still current goes back, what a later edit superseded stays and is named', async () => {
    const alvara3 = idOf('alvara-3.pdf');
    expect((await api('ana', `/api/documents/${alvara3}`, { method: 'PATCH', body: { fields: { series: { value: 'Habite-se', basedOn: (await record(alvara3)).series.version } } } })).status).toBe(200);
    expect((await api('bruno', `/api/bulk-changes/${first.id}`)).json).toMatchObject({ change: { current: 7 }, supersededTotal: 1, superseded: [{ documentId: alvara3, field: 'series', value: 'Habite-se', by: 'ana' }] });
    const reverted = await api('bruno', `/api/bulk-changes/${first.id}/revert`, { method: 'POST', body: {} });
    expect(reverted.status, reverted.text).toBe(200);
    expect(reverted.json).toMatchObject({ reverted: 7, skipped: 0, indexed: true, supersededTotal: 1, superseded: [{ documentId: alvara3, field: 'series', value: 'Habite-se', by: 'ana' }] });
    expect(reverted.json.change).toMatchObject({ by: 'bruno', selection: { kind: 'revert', of: first.id }, reverts: first.id, changed: 4 });
    expect(await record(alvara3)).toMatchObject({ collection: { value: 'Obras', corrected: false }, series: { value: 'Habite-se', by: 'ana' }, box: { value: '12-A' } });
    expect((await record(idOf('alvara-1.pdf'))).series).toMatchObject({ value: null, corrected: false, by: 'bruno' });
    expect((await api('bruno', `/api/bulk-changes/${first.id}`)).json.change).toMatchObject({ current: 0, revertedBy: reverted.json.change.id, revertUrl: null });
    expect(await searchIds('q=vistoria&collection=Obras+P%C3%BAblicas')).toEqual([]);
    expect((await searchIds('q=vistoria&collection=Obras')).length).toBe(4);
  });

  it('asks for a confirmation past a thousand documents, and indexes a big change after its answer', async () => {
    const selection = { box: { collection: 'Arquivo Geral', box: '1' } };
    const seen = await preview('bruno', { selection, set: { collection: 'Protocolo' } });
    expect(seen.json).toMatchObject({ documents: MANY, changing: MANY, confirmationRequired: true });
    const unconfirmed = await apply('bruno', { selection, set: { collection: 'Protocolo' }, version: seen.json.version });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.json.error.code).toBe('CONFIRMATION_REQUIRED');
    const done = await apply('bruno', { selection, set: { collection: 'Protocolo' }, version: seen.json.version, confirmed: true });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ indexed: false, change: { changed: MANY } });
    // The answer came first; the index follows (GET says how many still wait).
    for (let waited = 0; (await api('bruno', `/api/bulk-changes/${done.json.change.id}`)).json.pendingIndex > 0; waited++) {
      if (waited > 600) throw new Error('the index never took the change');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await api('clerk', '/api/search?q=protocolo+arquivado&collection=Protocolo')).json.total).toBe(MANY);
  });

  it('records each preview, change and revert in the access log: fields and counts, never the values', async () => {
    const edits = accessEntries('bulk.edit');
    expect(edits.map((entry) => [entry.user, entry.detail.selection, entry.detail.outcome ?? 'saved'])).toEqual([
      ['bruno', 'box', 'saved'],
      ['bruno', 'search', 'conflict'],
      ['bruno', 'search', 'saved'],
      ['bruno', 'box', 'selection-changed'],
      ['ana', 'search', 'saved'],
      ['bruno', 'box', 'saved'],
      ['bruno', 'box', 'saved'],
    ]);
    expect(edits[0]!.detail).toMatchObject({ fields: ['collection', 'series', 'documentType'], documents: 4, changed: 4, corrections: 8, bulkChange: first.id });
    expect(edits[1]!.query).toBe('vistoria');
    expect(accessEntries('bulk.revert').map((entry) => [entry.user, entry.detail.reverts, entry.detail.reverted])).toEqual([['bruno', first.id, 7]]);
    expect(accessEntries('bulk.preview').length).toBeGreaterThan(8);
    const logged = JSON.stringify([...edits, ...accessEntries('bulk.revert'), ...accessEntries('bulk.preview')]);
    expect(logged).not.toMatch(/Públicas|Licenças|Atos|Assentamentos|12-A|Protocolo/);
  });
});
