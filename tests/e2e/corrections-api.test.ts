/**
 * Issue 25 over a real HTTP server: archivists correct a document's fields and a page's text, and
 * clerks may not; the correction is searchable at once; two archivists editing the same field — the
 * later one wins only if it saw the earlier one, otherwise it is told; every change has a history
 * that can be reverted, and the access log records each (never the values). A user without the
 * personal-data permission finds no digit of a person's number through any of it. Then a small
 * library of its own: a rescan re-ingested and `acervo reindex` undo nothing a person set, and the
 * rescan's new PDF carries the corrected metadata.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { call } from '../helpers/http.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/paths.js';
import { signIn, startServer, USERS, type RunningServer, type TestUser } from '../helpers/server.js';

const ARCHIVISTS: Record<'bruno' | 'ana', TestUser> = {
  // An archivist as the config makes one: personal numbers masked.
  bruno: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  ana: { name: 'ana', password: 'arquivista-com-lgpd-22', role: 'archivist', personalData: true },
};
/** The person's number on the samples' certidão (Pessoal), written 318.472.605-35. */
const CPF_DIGITS = '31847260535';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-corrections-'));
const library = path.join(work, 'library');
let server: RunningServer;
const cookies: Record<string, string> = {};

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const api = (user: keyof typeof cookies, pathAndQuery: string, options: { method?: string; body?: unknown; origin?: string } = {}) => call(server.url, pathAndQuery, { ...options, cookie: cookies[user] });

/** Every run of 5 digits of the protected number, read across separators and masks. */
const leaks = (text: string) => {
  const found: string[] = [];
  for (const run of text.match(/[0-9][0-9 .,\-/\n*]*/g) ?? []) {
    const digits = run.replace(/[^0-9]/g, '');
    for (let i = 0; i + 5 <= CPF_DIGITS.length; i += 1) if (digits.includes(CPF_DIGITS.slice(i, i + 5))) found.push(CPF_DIGITS.slice(i, i + 5));
  }
  return found;
};

const idOf = (relativePath: string) => readCatalog(library).documents.find((d) => d.relative_path === relativePath)!.id;

function accessEntries(libraryFolder: string, action: string): Array<{ user: string; documentId: number; detail: any; outcome: string }> {
  const db = new Database(path.join(libraryFolder, 'access-log.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT user, document_id AS documentId, detail, outcome FROM access_entries WHERE action = ? ORDER BY id').all(action) as Array<{ user: string; documentId: number; detail: string; outcome: string }>).map((row) => ({ ...row, detail: JSON.parse(row.detail) }));
  } finally {
    db.close();
  }
}

describe('corrections over the API', () => {
  let alvara: number;
  let certidao: number;

  beforeAll(async () => {
    cpSync(inject('samplesLibrary'), library, { recursive: true });
    server = await startServer({ library, folder: work, users: Object.values(ARCHIVISTS) });
    cookies.clerk = await signIn(server.url, USERS.clerk);
    cookies.admin = await signIn(server.url, USERS.admin);
    cookies.bruno = await signIn(server.url, ARCHIVISTS.bruno);
    cookies.ana = await signIn(server.url, ARCHIVISTS.ana);
    alvara = idOf('Obras/1987/alvara-construcao-412.png');
    certidao = idOf('Pessoal/1991/certidao-tempo-servico-88.png');
  });

  it('lets a clerk read the record and history but change nothing; without a session, nothing at all', async () => {
    expect((await api('clerk', `/api/documents/${alvara}/record`)).status).toBe(200);
    expect((await api('clerk', `/api/documents/${alvara}/history`)).json).toEqual({ documentId: alvara, changes: [] });
    for (const [method, url, body] of [
      ['PATCH', `/api/documents/${alvara}`, { fields: { title: { value: 'Alvará', basedOn: null } } }],
      ['PUT', `/api/documents/${alvara}/pages/1/text`, { text: 'texto', basedOn: null }],
      ['POST', '/api/corrections/1/revert', {}],
    ] as const) {
      const refused = await api('clerk', url, { method, body });
      expect(refused.status, url).toBe(403);
      expect(refused.json.error.code).toBe('FORBIDDEN');
      expect((await call(server.url, url, { method, body })).json.error.code).toBe('SIGN_IN_REQUIRED');
    }
    expect((await api('clerk', `/api/documents/${alvara}/history`)).json.changes).toEqual([]);
  });

  it('refuses an edit from another site, and a bad value with a coded one-line error', async () => {
    const foreign = await api('bruno', `/api/documents/${alvara}`, { method: 'PATCH', origin: 'https://outro-site.example', body: { fields: { box: { value: '99', basedOn: null } } } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('BAD_ORIGIN');
    for (const body of [
      { fields: { date: { value: '1987-02-30', basedOn: null } } },
      { fields: { year: { value: 87, basedOn: null } } },
      { fields: { color: { value: 'azul', basedOn: null } } },
      { fields: { title: { value: '   ', basedOn: null } } },
      { fields: { title: { value: 'Sem versão' } } },
      { fields: { identifiers: { value: [{ kind: 'cpf', value: '390.533.447-05' }], basedOn: null } } },
      { fields: {} },
    ]) {
      const refused = await api('bruno', `/api/documents/${alvara}`, { method: 'PATCH', body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json.error.code).toBe('INVALID_CORRECTION');
      expect(refused.json.error.message).not.toMatch(/\n/);
    }
    expect((await api('bruno', `/api/documents/${alvara}/pages/9/text`, { method: 'PUT', body: { text: 'x', basedOn: null } })).status).toBe(404);
    expect((await api('bruno', '/api/documents/999999', { method: 'PATCH', body: { fields: { box: { value: '1', basedOn: null } } } })).status).toBe(404);
    expect((await api('bruno', `/api/documents/${alvara}/history`)).json.changes).toEqual([]);
  });

  it('saves an archivist’s correction at once: the record shows who set it beside the machine value, and search finds it', async () => {
    const before = (await api('bruno', `/api/documents/${alvara}/record`)).json;
    expect(before.fields.title).toMatchObject({ corrected: false, version: null, by: null });
    const machineTitle = before.fields.title.value;
    const saved = await api('bruno', `/api/documents/${alvara}`, {
      method: 'PATCH',
      body: { fields: { title: { value: 'Alvará de construção Tapiraí nº 412', basedOn: null }, box: { value: before.fields.box.value, basedOn: null } } },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json).toMatchObject({ unchanged: ['box'], indexed: true });
    expect(saved.json.saved).toEqual([expect.objectContaining({ field: 'title', value: 'Alvará de construção Tapiraí nº 412', before: machineTitle, machineValue: machineTitle, by: 'bruno' })]);
    expect(saved.json.record.fields.title).toMatchObject({ value: 'Alvará de construção Tapiraí nº 412', machineValue: machineTitle, corrected: true, by: 'bruno', version: saved.json.saved[0].id });
    expect((await api('clerk', `/api/documents/${alvara}`)).json.title).toBe('Alvará de construção Tapiraí nº 412');
    const found = (await api('clerk', '/api/search?q=tapirai')).json;
    expect(found.hits.map((hit: { documentId: number }) => hit.documentId)).toEqual([alvara]);
    expect(found.hits[0].title).toBe('Alvará de construção Tapiraí nº 412');
  });

  it('saves a page’s corrected text, searchable at once, with the machine’s reading kept beside it', async () => {
    const page = (await api('bruno', `/api/documents/${alvara}/pages/1/text`)).json;
    expect(page).toMatchObject({ page: 1, corrected: false, version: null });
    expect(page.text).toBe(page.machineText);
    const text = `${page.text}\nVistoria: ornitorrinco`;
    const saved = await api('bruno', `/api/documents/${alvara}/pages/1/text`, { method: 'PUT', body: { text, basedOn: null } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json.indexed).toBe(true);
    const after = (await api('clerk', `/api/documents/${alvara}/pages/1/text`)).json;
    expect(after).toMatchObject({ text, machineText: page.text, corrected: true, by: 'bruno' });
    const found = (await api('clerk', '/api/search?q=ornitorrinco')).json;
    expect(found.hits).toEqual([expect.objectContaining({ documentId: alvara, page: 1, snippet: expect.stringContaining('<mark>ornitorrinco</mark>') })]);
    expect((await api('clerk', `/api/documents/${alvara}/record`)).json.pages).toEqual([expect.objectContaining({ page: 1, corrected: true, by: 'bruno' })]);
  });

  it('tells the later of two archivists who did not see the earlier edit, and lets them win once they have', async () => {
    const seen = (await api('ana', `/api/documents/${alvara}/record`)).json.fields;
    // Both open the record; Bruno saves first.
    const first = await api('bruno', `/api/documents/${alvara}`, { method: 'PATCH', body: { fields: { series: { value: 'Licenças de obra', basedOn: seen.series.version } } } });
    expect(first.status).toBe(200);
    const late = await api('ana', `/api/documents/${alvara}`, {
      method: 'PATCH',
      body: { fields: { notes: { value: 'Conferido com o livro de registro', basedOn: seen.notes.version }, series: { value: 'Alvarás', basedOn: seen.series.version } } },
    });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'EDIT_CONFLICT', conflicts: [{ field: 'series', value: 'Licenças de obra', by: 'bruno', version: first.json.saved[0].id }] });
    // Nothing of her edit was saved, not even the field no one else touched.
    expect((await api('ana', `/api/documents/${alvara}/record`)).json.fields).toMatchObject({ notes: { value: seen.notes.value, corrected: false }, series: { value: 'Licenças de obra' } });
    const again = await api('ana', `/api/documents/${alvara}`, {
      method: 'PATCH',
      body: { fields: { notes: { value: 'Conferido com o livro de registro', basedOn: seen.notes.version }, series: { value: 'Alvarás', basedOn: late.json.error.conflicts[0].version } } },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.json.record.fields.series).toMatchObject({ value: 'Alvarás', by: 'ana' });
  });

  it('keeps a history of every change that can be reverted, and the access log records each edit without its values', async () => {
    const history = (await api('clerk', `/api/documents/${alvara}/history`)).json.changes;
    expect(history.map((change: { field: string; by: string }) => `${change.field}:${change.by}`)).toEqual(['notes:ana', 'series:ana', 'series:bruno', 'text:bruno', 'title:bruno']);
    const title = history.find((change: { field: string }) => change.field === 'title');
    const reverted = await api('ana', `/api/corrections/${title.id}/revert`, { method: 'POST', body: {} });
    expect(reverted.status, reverted.text).toBe(200);
    expect(reverted.json.saved).toMatchObject({ field: 'title', action: 'machine', reverts: title.id, before: 'Alvará de construção Tapiraí nº 412', by: 'ana' });
    expect(reverted.json.record.fields.title).toMatchObject({ value: title.machineValue, corrected: false, by: 'ana' });
    expect((await api('clerk', '/api/search?q=tapirai')).json.total).toBe(0);
    // Bruno's series change is no longer current: reverting it would undo Ana's unseen.
    const brunoSeries = history.find((change: { field: string; by: string }) => change.field === 'series' && change.by === 'bruno');
    const stale = await api('bruno', `/api/corrections/${brunoSeries.id}/revert`, { method: 'POST', body: {} });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'EDIT_CONFLICT', conflicts: [{ field: 'series', value: 'Alvarás', by: 'ana' }] });
    expect((await api('bruno', '/api/corrections/987654/revert', { method: 'POST', body: {} })).status).toBe(404);

    const edits = accessEntries(library, 'document.edit');
    expect(edits.filter((entry) => entry.documentId === alvara).map((entry) => [entry.user, entry.detail.fields, entry.detail.outcome ?? 'saved'])).toEqual([
      ['bruno', ['title'], 'saved'],
      ['bruno', ['text'], 'saved'],
      ['bruno', ['series'], 'saved'],
      ['ana', ['series', 'notes'], 'conflict'],
      ['ana', ['series', 'notes'], 'saved'],
    ]);
    expect(accessEntries(library, 'document.revert').map((entry) => [entry.user, entry.detail.reverts, entry.detail.outcome ?? 'saved'])).toEqual([
      ['ana', title.id, 'saved'],
      ['bruno', brunoSeries.id, 'conflict'],
    ]);
    const logged = JSON.stringify([...edits, ...accessEntries(library, 'document.revert')]);
    expect(logged).not.toMatch(/Tapira|ornitorrinco|Alvarás|Licenças|Conferido/);
  });

  it('never shows a person’s number to an archivist without the permission, and will not let them save the mask over it', async () => {
    const masked = [
      await api('bruno', `/api/documents/${certidao}/pages/1/text`),
      await api('bruno', `/api/documents/${certidao}/record`),
    ];
    for (const answer of masked) {
      expect(answer.status).toBe(200);
      expect(leaks(answer.text)).toEqual([]);
    }
    const unmasked = (await api('ana', `/api/documents/${certidao}/pages/1/text`)).json;
    expect(leaks(unmasked.text).length).toBeGreaterThan(0);
    const maskedText = masked[0]!.json.text as string;
    const refused = await api('bruno', `/api/documents/${certidao}/pages/1/text`, { method: 'PUT', body: { text: `${maskedText} corrigido`, basedOn: null } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('PERSONAL_DATA_REQUIRED');
    // Ana may: her corrected text keeps the number, and Bruno sees it masked in the page, the history and search.
    const saved = await api('ana', `/api/documents/${certidao}/pages/1/text`, { method: 'PUT', body: { text: `${unmasked.text}\nAverbação: jacarandá`, basedOn: null } });
    expect(saved.status, saved.text).toBe(200);
    expect(leaks(saved.text).length).toBeGreaterThan(0);
    for (const url of [`/api/documents/${certidao}/pages/1/text`, `/api/documents/${certidao}/history`, `/api/documents/${certidao}/record`, '/api/search?q=jacaranda', `/api/search?q=jacaranda+${CPF_DIGITS.slice(0, 5)}`, `/api/documents/${certidao}?q=jacaranda`]) {
      for (const user of ['bruno', 'clerk']) {
        const answer = await api(user, url);
        expect(answer.status, `${user} ${url}`).toBe(200);
        // (A search answers with the query as typed: five digits the user typed are no leak.)
        expect(leaks(JSON.stringify({ ...answer.json, query: null })), `${user} ${url}`).toEqual([]);
      }
    }
    expect((await api('bruno', '/api/search?q=jacaranda')).json.hits).toEqual([expect.objectContaining({ documentId: certidao, personalData: true })]);
    // Nor may he revert her change: the page holds a number he cannot see.
    const revert = await api('bruno', `/api/corrections/${saved.json.saved[0].id}/revert`, { method: 'POST', body: {} });
    expect(revert.status).toBe(403);
    expect(revert.json.error.code).toBe('PERSONAL_DATA_REQUIRED');
    // Typing a number into a field of another document shows it masked to him too.
    const typed = await api('bruno', `/api/documents/${alvara}`, { method: 'PATCH', body: { fields: { notes: { value: `Requerente CPF 318.472.605-35`, basedOn: null } } } });
    expect(typed.status).toBe(409); // Ana set the notes: he did not see her version.
    const current = typed.json.error.conflicts[0].version;
    const retyped = await api('bruno', `/api/documents/${alvara}`, { method: 'PATCH', body: { fields: { notes: { value: `Requerente CPF 318.472.605-35`, basedOn: current } } } });
    expect(retyped.status).toBe(200);
    expect(leaks(retyped.text)).toEqual([]);
    expect(leaks((await api('clerk', `/api/documents/${alvara}`)).text)).toEqual([]);
  });
});

describe('a re-ingest and a reindex never undo a correction', () => {
  const small = path.join(work, 'small');
  const inbox = path.join(small, 'inbox');
  const smallLibrary = path.join(small, 'library');
  const memo = path.join(inbox, 'Protocolo', '1995', 'memorando.jpg');
  let smallServer: RunningServer;
  let cookie: string;
  let id: number;
  const ingest = async () => {
    const run = await runCli(['ingest', inbox, '--library', smallLibrary, '--jobs', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    return parseJsonOutput(run);
  };
  const search = async (query: string) => parseJsonOutput(await runCli(['search', query, '--library', smallLibrary, '--json']));
  const call2 = (pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => call(smallServer.url, pathAndQuery, { ...options, cookie });

  beforeAll(async () => {
    mkdirSync(path.dirname(memo), { recursive: true });
    copyFileSync(path.join(SAMPLES_DIR, 'Protocolo/1995/memorando-88.jpg'), memo);
    id = (await ingest()).documents[0].documentId;
    smallServer = await startServer({ library: smallLibrary, folder: small, users: [ARCHIVISTS.ana] });
    cookie = await signIn(smallServer.url, ARCHIVISTS.ana);
  });
  afterAll(async () => {
    await smallServer?.stop();
  });

  it('keeps every field and page a person set through a rescanned original and a rebuilt index', async () => {
    const page = (await call2(`/api/documents/${id}/pages/1/text`)).json;
    expect((await call2(`/api/documents/${id}`, { method: 'PATCH', body: { fields: { title: { value: 'Memorando Guaratinguetá nº 88', basedOn: null }, box: { value: 'Caixa 7', basedOn: null } } } })).status).toBe(200);
    expect((await call2(`/api/documents/${id}/pages/1/text`, { method: 'PUT', body: { text: `${page.text}\nDespacho: ornitorrinco`, basedOn: null } })).status).toBe(200);
    const history = (await call2(`/api/documents/${id}/history`)).json.changes;
    expect(history).toHaveLength(3);

    // A rescan of the same paper: other bytes, read again from scratch.
    await sharp(path.join(SAMPLES_DIR, 'Protocolo/1995/memorando-88.jpg')).jpeg({ quality: 80 }).toFile(`${memo}.new`);
    rmSync(memo);
    copyFileSync(`${memo}.new`, memo);
    rmSync(`${memo}.new`);
    const again = await ingest();
    expect(again.documents[0]).toMatchObject({ status: 'indexed', documentId: id });
    const row = readCatalog(smallLibrary).documents.find((d) => d.id === id)!;
    expect(row.title).not.toBe('Memorando Guaratinguetá nº 88');
    // The new PDF was written with what the person set.
    const pdf = await PDFDocument.load(readFileSync(again.documents[0].pdf), { updateMetadata: false });
    expect(pdf.getTitle()).toBe('Memorando Guaratinguetá nº 88');
    expect(pdf.getKeywords()).toMatch(/box Caixa 7/);

    const record = (await call2(`/api/documents/${id}/record`)).json;
    expect(record.fields.title).toMatchObject({ value: 'Memorando Guaratinguetá nº 88', machineValue: row.title, corrected: true, by: 'ana' });
    expect(record.fields.box).toMatchObject({ value: 'Caixa 7', corrected: true });
    expect((await call2(`/api/documents/${id}/pages/1/text`)).json.text).toMatch(/Despacho: ornitorrinco$/);
    expect((await call2(`/api/documents/${id}/history`)).json.changes).toEqual(history);
    for (const query of ['guaratingueta', 'ornitorrinco']) expect((await search(query)).hits.map((hit: { documentId: number }) => hit.documentId), query).toEqual([id]);

    const reindex = await runCli(['reindex', '--library', smallLibrary, '--json']);
    expect(reindex.code, reindex.stderr).toBe(0);
    for (const query of ['guaratingueta', 'ornitorrinco']) expect((await search(query)).hits.map((hit: { documentId: number }) => hit.documentId), query).toEqual([id]);
    expect((await search('guaratingueta')).hits[0].title).toBe('Memorando Guaratinguetá nº 88');
  });
});
