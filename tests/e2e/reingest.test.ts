/**
 * Running the same ingest again does no OCR for unchanged inputs; a changed input is processed
 * again and replaces its earlier version in the catalog, the PDF and the index.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput, runCli } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/paths.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-reingest-'));
const inbox = path.join(work, 'inbox');
const library = path.join(work, 'library');
const memo = path.join(inbox, 'Protocolo', 'memorando.jpg');
const changing = path.join(inbox, 'Protocolo', 'oficio.jpg');

const ingest = async () => {
  const run = await runCli(['ingest', inbox, '--library', library, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return parseJsonOutput(run);
};
const search = async (query: string) => parseJsonOutput(await runCli(['search', query, '--library', library, '--json']));

let first: any;
beforeAll(async () => {
  mkdirSync(path.dirname(memo), { recursive: true });
  copyFileSync(path.join(SAMPLES_DIR, 'Protocolo/1995/memorando-88.jpg'), memo);
  copyFileSync(path.join(SAMPLES_DIR, 'Saude/2001/certidao-negativa.pdf'), changing);
  first = await ingest();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ingesting the same folder again', () => {
  it('skips unchanged inputs without converting them again', async () => {
    const pdfTimes = first.documents.map((d: { pdf: string }) => statSync(d.pdf).mtimeMs);
    const again = await ingest();
    expect(again.documents.map((d: { status: string }) => d.status)).toEqual(['skipped', 'skipped']);
    expect(again.documents.map((d: { documentId: number }) => d.documentId)).toEqual(first.documents.map((d: { documentId: number }) => d.documentId));
    expect(again.totals).toMatchObject({ indexed: 0, skipped: 2, failed: 0, pages: 0 });
    expect(again.documents.map((d: { pdf: string }) => statSync(d.pdf).mtimeMs)).toEqual(pdfTimes);
  });

  it('processes a changed input again and replaces its earlier version everywhere', async () => {
    expect((await search('certidao negativa')).total).toBe(1);
    const before = first.documents.find((d: { source: string }) => d.source === changing);
    // The same file name now holds another document: a Spanish resolution.
    copyFileSync(path.join(SAMPLES_DIR, 'Municipalidad/1978/resolucion-27.png'), changing);

    const again = await ingest();
    const changed = again.documents.find((d: { source: string }) => d.source === changing);
    const unchanged = again.documents.find((d: { source: string }) => d.source === memo);
    expect(changed).toMatchObject({ status: 'indexed', documentId: before.documentId, pdf: before.pdf, pages: 1 });
    expect(unchanged.status).toBe('skipped');

    const { documents, pages } = readCatalog(library);
    expect(documents).toHaveLength(2);
    const row = documents.find((d) => d.source_path === changing)!;
    expect(row.media_type).toBe('image/png');
    expect(pages.filter((p) => p.document_id === row.id).map((p) => p.text).join(' ')).toMatch(/RESOLUCI[OÓ]N/);

    expect((await search('certidao negativa')).total).toBe(0);
    const found = await search('resolucion');
    expect(found.total).toBe(1);
    expect(found.hits[0]).toMatchObject({ documentId: before.documentId, pdf: before.pdf });
  });
});
