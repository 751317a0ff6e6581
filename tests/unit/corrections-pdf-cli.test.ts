/**
 * Corrections into the PDFs through the built CLI (issue 25): `acervo apply-corrections` on a
 * library with a corrected document (its JSON, exit codes, a second run with nothing to do), and
 * `acervo serve`: the PDF downloaded right after an archivist saves a page's text says it, the
 * library's PDF is then written with it in the background, and `acervo verify` finds nothing wrong.
 * A small library of its own, ingested with the scripted OCR engine (no Tesseract).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { HAS_PDFTOTEXT, pdftotext } from '../helpers/pdf-text.js';
import { signIn, startServer, type RunningServer } from '../helpers/server.js';
import { libraryWith, type TestLibrary } from './corrections-library.js';
import { useBatchFolder } from './pipeline-fixtures.js';

useBatchFolder();

const MACHINE = 'Processo nº 1B73/87\nRequerente Joao Slva';
const CORRECTED = 'Processo nº 1873/87\nRequerente João da Silva';
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
const ARCHIVIST = { name: 'ana', password: 'arquivista-do-acervo-22', role: 'archivist', personalData: true };

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-corrections-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let lib: TestLibrary | null = null;
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
  lib?.close();
  lib = null;
});

describe('corrections into the PDFs, from the command line and the web', () => {
  it.skipIf(!HAS_PDFTOTEXT)('acervo apply-corrections writes the waiting PDFs, says so in JSON, and then has nothing to do', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([{ field: 'text', pageNo: 1, value: CORRECTED }]);
    const run = await runCli(['apply-corrections', '--library', lib.library.root, '--json']);
    expect(run.code).toBe(0);
    const report = parseJsonOutput(run);
    expect(report).toMatchObject({ rewritten: 1, refused: 0, failed: 0, remaining: 0, stoppedBy: 'completed' });
    expect(report.documents[0]).toMatchObject({ documentId: lib.documentId, outcome: 'rewritten', pages: [{ pdfPage: 1, placement: 'words' }] });
    expect(flat(pdftotext(lib.pdf))).toBe(flat(CORRECTED));
    const again = await runCli(['apply-corrections', '--library', lib.library.root, '--json']);
    expect(again.code).toBe(0);
    expect(parseJsonOutput(again)).toMatchObject({ rewritten: 0, remaining: 0, documents: [] });
    const verify = await runCli(['verify', '--library', lib.library.root, '--json']);
    expect(verify.code).toBe(0);
  });

  it.skipIf(!HAS_PDFTOTEXT)('acervo serve: the PDF says a saved page text at once, and the library file is written with it after the answer', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    server = await startServer({ library: lib.library.root, folder, users: [ARCHIVIST] });
    const cookie = await signIn(server.url, ARCHIVIST);
    const api = (pathAndQuery: string, options: { method?: string; body?: unknown } = {}) => call(server!.url, pathAndQuery, { ...options, cookie });
    const saved = await api(`/api/documents/${lib.documentId}/pages/1/text`, { method: 'PUT', body: { text: CORRECTED, basedOn: null } });
    expect(saved.status).toBe(200);

    // Downloaded at once: as corrected, whether or not the library's file is written yet.
    const response = await fetch(`${server.url}/api/documents/${lib.documentId}/pdf?download=1`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const downloaded = path.join(folder, 'downloaded.pdf');
    writeFileSync(downloaded, Buffer.from(await response.arrayBuffer()));
    expect(flat(pdftotext(downloaded))).toBe(flat(CORRECTED));

    // The library's file is written in the background: the record says when it no longer waits.
    let record = await api(`/api/documents/${lib.documentId}/record`);
    for (let tries = 0; record.json.pdfWaiting && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      record = await api(`/api/documents/${lib.documentId}/record`);
    }
    expect(record.json.pdfWaiting).toBe(false);
    expect(flat(pdftotext(lib.pdf))).toBe(flat(CORRECTED));
    expect(server.stderr()).toContain('"event":"pdf.rewritten"');
    const verify = await runCli(['verify', '--library', lib.library.root, '--json']);
    expect(verify.code).toBe(0);
  });
});
