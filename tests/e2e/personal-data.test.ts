/**
 * Issue 20, tried as a hostile clerk would: a library holding people's numbers in titles, file and
 * folder names, page text and PDFs, and restricted collections; a clerk without the personal-data
 * permission probes every channel over HTTP (search hits, facets, the document API, the PDF and its
 * metadata, errors) and the index itself with a thousand guesses, and finds no digit of any number
 * they did not type. The privileged see everything, and the access log holds every request.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../web/auth.js';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { makePage, type PlacedWord } from '../helpers/make-page.js';
import { CLI } from '../helpers/paths.js';
import { HAS_PDFTOTEXT, pdftotext } from '../helpers/pdf-text.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-lgpd-'));
const library = path.join(work, 'library');
const env = { ACERVO_CONFIG: '/dev/null' };

/** The people's numbers in the library, as digits: none may leak to the clerk. */
const PROTECTED = {
  requerente: '39053344705', // in the page text, written 390.533.447-05
  conjuge: '11144477735', // written with spaces
  testemunha: '32165498791', // written with commas
  pasta: '52998224725', // in the folder (collection) name
  arquivo: '74185296355', // in the file name
  rg: '278135946', // labelled RG
  amostra: '31847260535', // the samples' certidão (restricted collection Pessoal)
};

const USERS = {
  clerk: { name: 'maria', password: 'balcão-de-atendimento-1', role: 'clerk' },
  archivist: { name: 'bruno', password: 'arquivista-do-acervo-1', role: 'archivist' },
  admin: { name: 'joao.ti', password: 'administrador-do-arquivo', role: 'admin' },
};

/** Where the requerimento's words are inked, in pixels of its 2480×1400 page. */
let requerimentoInk: PlacedWord[] = [];
let url = '';
let server: ChildProcess;
let serverLog = '';
const cookies: Record<string, string> = {};

/** Digits in any of the forms a number may be written in, as ASCII. */
const DIGIT_ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0xff10];
const asciiDigits = (text: string) =>
  text.replace(/\p{Nd}/gu, (digit) => {
    const code = digit.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code < z + 10);
    return zero === undefined ? digit : String(code - zero);
  });

/**
 * Every run of 5 digits of a protected number found in the text: digits are read across what may
 * sit inside a written number (separators, spaces, line breaks, invisible characters, masks), never
 * across letters or JSON's quotes, so unrelated numbers side by side are not taken for one.
 */
function leaks(text: string, numbers: readonly string[] = Object.values(PROTECTED)): string[] {
  const found: string[] = [];
  for (const run of asciiDigits(text).match(/[0-9][0-9 .,\-/\n\r\t*\u00ad\u200b-\u200d\u2060\ufeff]*/g) ?? []) {
    const digits = run.replace(/[^0-9]/g, '');
    for (const number of numbers) for (let i = 0; i + 5 <= number.length; i += 1) if (digits.includes(number.slice(i, i + 5))) found.push(number.slice(i, i + 5));
  }
  return found;
}

/**
 * What a script digging in a PDF finds: every stream inflated, then every string in it (hex
 * strings read as UTF-16BE, the text layer's encoding; literal strings) and every XMP packet, each
 * checked on its own (a content stream's coordinates, side by side, are not a number).
 */
function pdfLeaks(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const bodies = [raw];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index! + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      bodies.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not Flate
    }
  }
  const found: string[] = [];
  for (const body of bodies) {
    for (const hex of body.matchAll(/<([0-9A-Fa-f\s]{4,})>/g)) {
      const bytes = Buffer.from(hex[1]!.replace(/\s/g, ''), 'hex');
      if (bytes.length % 2 === 0) found.push(...leaks(bytes.swap16().toString('utf16le')));
      found.push(...leaks(bytes.toString('latin1')));
    }
    for (const literal of body.matchAll(/\(((?:\\.|[^()\\])*)\)/g)) found.push(...leaks(literal[1]!));
    for (const xmp of body.matchAll(/<x:xmpmeta[\s\S]*?<\/x:xmpmeta>/g)) found.push(...leaks(xmp[0]));
  }
  return found;
}

async function request(pathAndQuery: string, user: keyof typeof USERS | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (user) headers.set('cookie', cookies[user]!);
  const response = await fetch(`${url}${pathAndQuery}`, { ...init, headers });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, body, text: body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) };
}

beforeAll(async () => {
  cpSync(inject('samplesLibrary'), library, { recursive: true });
  // A scanned requerimento in a folder named for a person, its file named for another.
  const folder = path.join(work, 'scans', `Requerentes 529.982.247-25`, '1993');
  mkdirSync(folder, { recursive: true });
  const page = await makePage(
    [
      ['REQUERIMENTO', 'DE', 'LICENÇA'],
      ['Requerente:', 'José', 'Pereira,', 'CPF', '390.533.447-05'],
      ['Cônjuge:', 'Ana', 'Pereira,', 'CPF', '111', '444', '777', '35'],
      ['Testemunha:', 'Rui', 'Lopes,', 'CPF', '321,654,987-91'],
      ['Identidade:', 'RG', '27.813.594-6', 'SSP/SP'],
      ['Protocolo', 'nº', '4.512/1993', 'da', 'Secretaria', 'de', 'Obras'],
    ],
    { width: 2480, height: 1400, dpi: 300, size: 56, left: 160, top: 200, lineGap: 170 },
  );
  writeFileSync(path.join(folder, 'requerimento 741.852.963-55.png'), page.png);
  requerimentoInk = page.words;
  // A born-digital PDF whose metadata carries a number too.
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([595, 842]).drawText('Declaracao de residencia. Declarante CPF 390.533.447-05, protocolo 4.513/1993.', { x: 50, y: 700, size: 11, font });
  pdf.setTitle('Declaracao 390.533.447-05');
  pdf.setSubject('CPF 111.444.777-35');
  writeFileSync(path.join(folder, 'declaracao.pdf'), await pdf.save());
  const ingest = await runCli(['ingest', path.join(work, 'scans'), '--library', library, '--json'], { env });
  expect(ingest.code, ingest.stderr).toBe(0);

  const users = await Promise.all(Object.values(USERS).map(async (user) => ({ name: user.name, role: user.role, passwordHash: await hashPassword(user.password) })));
  const config = path.join(work, 'acervo.yaml');
  writeFileSync(
    config,
    JSON.stringify({
      library,
      serve: { port: 0, users, requestsPerMinute: 100_000 },
      access: { restrictedCollections: [{ collection: 'Pessoal', roles: ['admin'] }] },
    }),
  );
  server = spawn(process.execPath, [CLI, 'serve', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`acervo serve did not start:\n${serverLog}`)), 60_000);
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      serverLog += chunk;
      const found = /"event":"web.listening","url":"([^"]+)"/.exec(serverLog);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    server.on('exit', (code) => reject(new Error(`acervo serve exited with ${code}:\n${serverLog}`)));
  });
  for (const [role, user] of Object.entries(USERS)) {
    const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ name: user.name, password: user.password }) });
    expect(response.status, await response.clone().text()).toBe(200);
    cookies[role] = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

const documents = () => readCatalog(library).documents.filter((d) => d.status === 'done');
const requerimento = () => documents().find((d) => d.relative_path.includes('requerimento 741'))!;

describe('personal data, for a clerk without the permission', () => {
  it('reads the numbers it must protect (the test can fail: the admin sees them)', async () => {
    const text = readCatalog(library).pages.filter((p) => p.document_id === requerimento().id).map((p) => p.text).join('\n');
    expect(leaks(text, [PROTECTED.requerente, PROTECTED.conjuge, PROTECTED.testemunha, PROTECTED.rg])).not.toEqual([]);
    const admin = await request(`/api/documents/${requerimento().id}`, 'admin');
    expect(leaks(admin.text).length).toBeGreaterThan(0);
  });

  it('finds no digit of them in any search answer: hits, titles, snippets, facets, collections', async () => {
    const queries = ['requerimento', 'requerente', 'CPF', 'cônjuge', 'testemunha', 'identidade', 'RG', 'declaração', 'protocolo', 'requerentes', 'Pereira', 'licença', '1993', 'SSP'];
    for (const q of queries) {
      for (const sort of ['relevance', 'title', 'date-desc']) {
        const answer = await request(`/api/search?q=${encodeURIComponent(q)}&sort=${sort}&pageSize=100`, 'clerk');
        expect(answer.status, q).toBe(200);
        expect(leaks(answer.text), `${q} ${answer.text.slice(0, 400)}`).toEqual([]);
      }
    }
    const some = (await request('/api/search?q=requerimento', 'clerk')).json();
    expect(some.hits.length).toBeGreaterThan(0);
    expect(some.facets.collection.some((f: { value: string }) => f.value.startsWith('Requerentes ***.***.***-**'))).toBe(true);
  });

  it('cannot learn the first digits of a masked number by guessing them: a thousand searches find nothing of it', async () => {
    const id = requerimento().id;
    const seen = new Set<string>();
    for (let n = 0; n < 1000; n += 1) {
      const guess = `${String(n).padStart(3, '0')} 533 447`;
      const answer = (await request(`/api/search?q=${encodeURIComponent(guess)}&pageSize=100`, 'clerk')).json();
      for (const hit of answer.hits) expect(hit.documentId, guess).not.toBe(id);
      seen.add(JSON.stringify({ total: answer.total, facets: answer.facets }));
    }
    // Every guess gets the same answer: the right one stands out in nothing.
    expect(seen.size).toBe(1);
  });

  it('finds a citizen by the whole CPF typed at the counter, in any form, and sees only that number', async () => {
    for (const typed of ['390.533.447-05', '39053344705', '390 533 447 05', '390-533-447-05']) {
      const answer = (await request(`/api/search?q=${encodeURIComponent(typed)}`, 'clerk')).json();
      expect(answer.hits.map((hit: { documentId: number }) => hit.documentId), typed).toContain(requerimento().id);
      const others = Object.values(PROTECTED).filter((number) => number !== PROTECTED.requerente);
      expect(leaks(JSON.stringify(answer.hits), others), typed).toEqual([]);
    }
  });

  it('sees every document masked: title, file, collection, identifiers, dates, tax numbers only counted', async () => {
    for (const document of documents()) {
      const answer = await request(`/api/documents/${document.id}?q=CPF`, 'clerk');
      if (document.collection === 'Pessoal') {
        expect(answer.status).toBe(404);
        continue;
      }
      expect(answer.status).toBe(200);
      expect(leaks(answer.text), answer.text.slice(0, 300)).toEqual([]);
    }
    expect((await request(`/api/documents/${requerimento().id}`, 'clerk')).json().taxNumbers).toBeGreaterThanOrEqual(3);
  });

  it('downloads PDFs whose text layer and metadata hold no digit of them (what pdftotext and a byte search see)', async () => {
    for (const document of documents().filter((d) => d.collection !== 'Pessoal' && (d.relative_path.includes('Requerentes') || d.personal_data === 1))) {
      for (const variant of ['', '?download=1']) {
        const answer = await request(`/api/documents/${document.id}/pdf${variant}`, 'clerk');
        expect(answer.status).toBe(200);
        expect(answer.body.subarray(0, 5).toString()).toBe('%PDF-');
        expect(pdfLeaks(answer.body), document.relative_path).toEqual([]);
        if (HAS_PDFTOTEXT) {
          const file = path.join(work, `clerk-${document.id}.pdf`);
          writeFileSync(file, answer.body);
          expect(leaks(pdftotext(file)), document.relative_path).toEqual([]);
        }
      }
    }
    const admin = await request(`/api/documents/${requerimento().id}/pdf`, 'admin');
    expect(pdfLeaks(admin.body).length).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_PDFTOTEXT)('shows a clerk the scan with every digit of the numbers burned black, and the admin the scan as it is', async () => {
    const numbers = requerimentoInk.filter((word) => /\d/.test(word.text) && !/4\.512\/1993/.test(word.text));
    expect(numbers.map((word) => word.text)).toEqual(['390.533.447-05', '111', '444', '777', '35', '321,654,987-91', '27.813.594-6']);
    const brightest = async (user: 'clerk' | 'admin', word: PlacedWord) => {
      const file = path.join(work, `render-${user}`);
      writeFileSync(`${file}.pdf`, (await request(`/api/documents/${requerimento().id}/pdf`, user)).body);
      execFileSync('pdftoppm', ['-r', '100', '-gray', '-png', '-singlefile', `${file}.pdf`, file]);
      const { data, info } = await sharp(`${file}.png`).greyscale().raw().toBuffer({ resolveWithObject: true });
      let max = 0;
      for (let y = Math.ceil((word.y0 / 1400) * info.height) + 1; y < Math.floor((word.y1 / 1400) * info.height) - 1; y++) {
        for (let x = Math.ceil((word.x0 / 2480) * info.width) + 1; x < Math.floor((word.x1 / 2480) * info.width) - 1; x++) max = Math.max(max, data[y * info.width + x]!);
      }
      return max;
    };
    for (const word of numbers) {
      expect(await brightest('clerk', word), word.text).toBeLessThanOrEqual(8);
      expect(await brightest('admin', word), word.text).toBeGreaterThan(200);
    }
    // The protocol number is no one's: it stays on the clerk's page.
    expect(await brightest('clerk', requerimentoInk.find((word) => word.text === '4.512/1993')!)).toBeGreaterThan(200);
  });
});

describe('restricted collections', () => {
  const pessoal = () => documents().find((d) => d.collection === 'Pessoal')!;

  it('do not exist for a clerk: not in hits, totals, facets, documents, PDFs or errors', async () => {
    const answer = (await request('/api/search?q=certidão%20tempo%20serviço', 'clerk')).json();
    expect(answer.hits.map((hit: { collection: string }) => hit.collection)).not.toContain('Pessoal');
    expect(answer.facets?.collection?.map((f: { value: string }) => f.value) ?? []).not.toContain('Pessoal');
    const asked = (await request('/api/search?q=certidão&collection=Pessoal', 'clerk')).json();
    expect(asked.total).toBe(0);
    const missing = await request('/api/documents/999999', 'clerk');
    const hidden = await request(`/api/documents/${pessoal().id}`, 'clerk');
    expect([hidden.status, hidden.text]).toEqual([missing.status, missing.text]);
    const hiddenPdf = await request(`/api/documents/${pessoal().id}/pdf`, 'clerk');
    const missingPdf = await request('/api/documents/999999/pdf', 'clerk');
    expect([hiddenPdf.status, hiddenPdf.text]).toEqual([missingPdf.status, missingPdf.text]);
    expect((await request(`/api/documents/${pessoal().id}`, 'archivist')).status).toBe(404);
  });

  it('are there, unmasked, for the role the config names', async () => {
    const answer = (await request('/api/search?q=certidão%20tempo%20serviço', 'admin')).json();
    expect(answer.hits.map((hit: { collection: string }) => hit.collection)).toContain('Pessoal');
    const document = await request(`/api/documents/${pessoal().id}`, 'admin');
    expect(document.status).toBe(200);
    expect(leaks(document.text, [PROTECTED.amostra]).length).toBeGreaterThan(0);
  });
});

describe('the CLI and the access log', () => {
  it('acervo search masks unless --show-personal-data is given, and says how to see them', async () => {
    const masked = await runCli(['search', 'requerente', '--library', library, '--json'], { env });
    expect(masked.code, masked.stderr).toBe(0);
    expect(parseJsonOutput(masked).personalData).toBe('masked');
    expect(leaks(masked.stdout)).toEqual([]);
    const human = await runCli(['search', 'requerente', '--library', library], { env });
    expect(human.stdout).toMatch(/--show-personal-data/);
    const shown = await runCli(['search', 'requerente', '--library', library, '--json', '--show-personal-data'], { env });
    expect(leaks(shown.stdout).length).toBeGreaterThan(0);
  });

  it('records every search, document view, PDF download and sign-in, with who, when, from where and what', async () => {
    await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ name: 'maria', password: 'errada-errada' }) });
    const log = await runCli(['access-log', '--library', library, '--user', 'maria', '--format', 'json', '--limit', '100000'], { env });
    expect(log.code, log.stderr).toBe(0);
    const entries = JSON.parse(log.stdout) as Array<{ action: string; user: string; ip: string; at: string; documentId: number | null; query: string | null }>;
    const count = (action: string) => entries.filter((e) => e.action === action).length;
    expect(count('search')).toBeGreaterThanOrEqual(1000);
    expect(count('document.view')).toBeGreaterThan(0);
    expect(count('pdf.download')).toBeGreaterThan(0);
    expect(count('pdf.view')).toBeGreaterThan(0);
    expect(count('sign-in')).toBe(1);
    expect(entries.every((e) => e.user === 'maria' && e.ip && e.at)).toBe(true);
    expect(entries.some((e) => e.action === 'search' && e.query === '390.533.447-05')).toBe(true);
    const failed = JSON.parse((await runCli(['access-log', '--library', library, '--action', 'sign-in.failed', '--format', 'json'], { env })).stdout);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    const cli = JSON.parse((await runCli(['access-log', '--library', library, '--action', 'cli.search', '--format', 'json'], { env })).stdout);
    expect(cli.some((e: { detail: { personalData: string } }) => e.detail.personalData === 'shown')).toBe(true);
  });
});
