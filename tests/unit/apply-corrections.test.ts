/**
 * Staff's corrections written into a library's PDF (issue 25, point 1), on a real library: a
 * real ingest (scripted OCR), a real SQLite catalog, the real PDF read back with poppler's
 * pdftotext and pdf.js, fixity checked with the real verify. The corrected word is found where
 * the misread one was; the record is in the Info and XMP; the PDF waits in the catalog until it
 * is rewritten (found through an index); fixity passes after a rewrite, during one cut short
 * after its rename, and still reports real damage; a stopped rewrite leaves the old PDF; a
 * re-ingest of a rescanned original keeps the corrections in its new PDF.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyLibrary } from '../../core/fixity/verify-library.js';
import { applyCorrections } from '../../core/pipeline/apply-corrections.js';
import { rewritePdf } from '../../core/pdf/pdf-rewrite.js';
import { HAS_PDFTOTEXT, pdftotext, pdftotextWords, readPdf } from '../helpers/pdf-text.js';
import { checkPdfa } from '../helpers/pdfa-rules.js';
import { libraryWith, type TestLibrary } from './corrections-library.js';
import { useBatchFolder, writeBatch } from './pipeline-fixtures.js';

useBatchFolder();

const MACHINE = 'ALVARÁ DE CONSTRUÇÃO\nRequerente Joao Slva\nProcesso nº 1B73/87 de março';
const CORRECTED = 'ALVARÁ DE CONSTRUÇÃO\nRequerente João da Silva\nProcesso nº 1873/87 de março';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
const deps = (lib: TestLibrary, signal?: AbortSignal) => ({ library: lib.library, catalog: lib.catalog, producer: 'Acervo test', runId: 'test', ...(signal ? { signal } : {}) });
const verify = (lib: TestLibrary) => verifyLibrary(lib.library, lib.catalog, { originals: true, restart: true, throttle: null });

let lib: TestLibrary | null = null;
afterEach(() => {
  lib?.close();
  lib = null;
});

describe('corrections written into the PDF', () => {
  it.skipIf(!HAS_PDFTOTEXT)('puts the corrected word where the misread word was, and the corrected record in the Info and XMP', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    const before = pdftotextWords(lib.pdf, 1);
    lib.correct([
      { field: 'text', pageNo: 1, value: CORRECTED },
      { field: 'title', value: 'Alvará de construção nº 412' },
      { field: 'notes', value: 'Conferido com o livro de registro' },
      { field: 'identifiers', value: [{ kind: 'processo', value: '1873/1987', page: 1 }] },
    ]);
    // Saved and searchable at once (the catalog, the index's outbox); the PDF waits.
    expect(lib.catalog.pdfRewrites().pendingCount()).toBe(1);
    expect(flat(pdftotext(lib.pdf))).toBe(flat(MACHINE));

    const outcome = await applyCorrections(deps(lib));
    expect(outcome.documents).toHaveLength(1);
    expect(outcome.documents[0]).toMatchObject({ outcome: 'rewritten', pages: [{ pdfPage: 1, placement: 'words' }], error: null });
    expect(outcome.remaining).toBe(0);

    expect(flat(pdftotext(lib.pdf))).toBe(flat(CORRECTED));
    const after = pdftotextWords(lib.pdf, 1);
    const at = (words: typeof after, text: string) => words.find((word) => word.text === text)!;
    for (const [misread, corrected] of [['1B73/87', '1873/87'], ['Joao', 'João']] as const) {
      expect(Math.abs(at(after, corrected).xMin - at(before, misread).xMin)).toBeLessThan(0.1);
      expect(Math.abs(at(after, corrected).xMax - at(before, misread).xMax)).toBeLessThan(0.1);
      expect(Math.abs(at(after, corrected).yMin - at(before, misread).yMin)).toBeLessThan(0.1);
    }
    const { info, metadata } = await readPdf(lib.pdf);
    expect(info.Title).toBe('Alvará de construção nº 412');
    expect((info.Custom as Record<string, unknown>).AcervoNotes).toBe('Conferido com o livro de registro');
    expect(metadata).toContain('<dc:identifier>processo 1873/1987</dc:identifier>');
    expect((await checkPdfa(lib.pdf, 2)).problems).toEqual([]);

    // The catalog records the new checksum, the rewrite and which correction the PDF says.
    const document = lib.catalog.fixityRecord(lib.documentId)!;
    expect(document.outputSha256).toBe(sha256(lib.pdf));
    const [rewrite] = lib.catalog.pdfRewrites().history(lib.documentId);
    expect(rewrite).toMatchObject({ outcome: 'written', toSha256: sha256(lib.pdf), runId: 'test' });
    expect(rewrite!.fromSha256).not.toBe(rewrite!.toSha256);
    // The catalog keeps the machine's reading beside the correction.
    expect(lib.catalog.corrections().value(lib.documentId, 'text', 1, false)).toBe(MACHINE);
  });

  it('passes fixity after a rewrite, and a second run finds nothing to do', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([{ field: 'text', pageNo: 1, value: CORRECTED }]);
    await applyCorrections(deps(lib));
    const written = sha256(lib.pdf);
    const check = await verify(lib);
    expect(check.findings).toEqual([]);
    expect(check.totals).toMatchObject({ ok: 2, changed: 0, missing: 0 });
    const again = await applyCorrections(deps(lib));
    expect(again.documents).toEqual([]);
    expect(sha256(lib.pdf)).toBe(written);
  });

  it('finds the PDFs that wait through an index of the waiting ones, not by reading the library', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.close();
    const db = new Database(lib.library.catalogFile, { readonly: true });
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM documents WHERE corrections_seq > pdf_corrections_seq AND id > 0 AND output_path IS NOT NULL AND output_sha256 IS NOT NULL ORDER BY id LIMIT 100`).all() as Array<{ detail: string }>;
      expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING (COVERING )?INDEX documents_pdf_pending/);
    } finally {
      db.close();
    }
    lib = null;
  });

  it("makes a bulk change's documents wait, and writes their PDFs with it", async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    const bulk = lib.catalog.bulkChanges();
    const ids = [lib.documentId];
    const result = bulk.apply({ ids, values: { box: '99' }, author: 'bruno', selection: { kind: 'documents', ids }, seenUpTo: bulk.seenUpTo(), collections: [] });
    expect('change' in result && result.corrections).toBe(1);
    expect(lib.catalog.pdfRewrites().pendingCount()).toBe(1);
    await applyCorrections(deps(lib));
    expect((await readPdf(lib.pdf)).info.Keywords).toContain('box 99');
    expect(lib.catalog.pdfRewrites().pendingCount()).toBe(0);
  });

  it('leaves the old PDF as it was when stopped, and writes it at the next run', async () => {
    lib = await libraryWith(['text', 'text'], { 1: MACHINE, 2: 'Folha 2 do processo' });
    const original = readFileSync(lib.pdf);
    lib.correct([{ field: 'text', pageNo: 2, value: 'Folha 2 do processo nº 1873/87' }]);
    const stop = new AbortController();
    stop.abort();
    const stopped = await applyCorrections(deps(lib, stop.signal));
    expect(stopped).toMatchObject({ stopped: true, remaining: 1, documents: [] });
    expect(readFileSync(lib.pdf).equals(original)).toBe(true);
    expect((await verify(lib)).findings).toEqual([]);
    const resumed = await applyCorrections(deps(lib));
    expect(resumed.documents[0]).toMatchObject({ outcome: 'rewritten' });
    expect((await readPdf(lib.pdf)).pages[1]!.text).toContain('1873/87');
  });

  it('knows a rewrite cut short between its rename and the catalog for its own, and settles it; damage is still damage', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([{ field: 'text', pageNo: 1, value: CORRECTED }]);
    const rewrites = lib.catalog.pdfRewrites();
    const plan = rewrites.plan(lib.documentId)!;
    // A run that recorded the rewrite, renamed the file into place, and died before the catalog took it.
    await rewritePdf({
      file: lib.pdf,
      expectedSha256: plan.outputSha256,
      target: lib.pdf,
      tempDir: lib.library.tempDir,
      format: 'pdfa-2b',
      metadata: { title: 't', sourceFile: 's', sourceSha256: 'x', ocrLanguages: ['por'], creatorTool: 'a', producer: 'a', createdAt: new Date(), keywords: [] },
      texts: new Map([[1, CORRECTED]]),
      beforeRename: (written) => {
        rewrites.begin({ documentId: lib!.documentId, outputPath: plan.outputPath, correctionsSeq: plan.seq, fromSha256: plan.outputSha256, fromBytes: plan.outputBytes, toSha256: written.sha256, toBytes: written.bytes, runId: 'died', startedAt: new Date().toISOString() });
      },
    });
    expect(lib.catalog.fixityRecord(lib.documentId)!.outputSha256).toBe(plan.outputSha256);
    expect((await verify(lib)).findings).toEqual([]);

    const next = await applyCorrections(deps(lib));
    expect(next.settled).toEqual([{ documentId: lib.documentId, outcome: 'written' }]);
    expect(next.documents).toEqual([]);
    expect(lib.catalog.fixityRecord(lib.documentId)!.outputSha256).toBe(sha256(lib.pdf));

    // Real damage: reported by fixity, and the PDF is not written again over it.
    const bytes = readFileSync(lib.pdf);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(lib.pdf, bytes);
    const check = await verify(lib);
    expect(check.findings).toEqual([expect.objectContaining({ kind: 'changed', file: 'pdf', documentId: lib.documentId })]);
    lib.correct([{ field: 'title', value: 'Outro título' }]);
    const refused = await applyCorrections(deps(lib));
    expect(refused.documents[0]).toMatchObject({ outcome: 'refused', error: { code: 'FIXITY_CHANGED' } });
    expect(readFileSync(lib.pdf).equals(bytes)).toBe(true);
    expect(refused.remaining).toBe(1);
  });

  it('abandons a rewrite recorded whose rename never happened: the old PDF is the one', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([{ field: 'text', pageNo: 1, value: CORRECTED }]);
    const plan = lib.catalog.pdfRewrites().plan(lib.documentId)!;
    lib.catalog.pdfRewrites().begin({ documentId: lib.documentId, outputPath: plan.outputPath, correctionsSeq: plan.seq, fromSha256: plan.outputSha256, fromBytes: plan.outputBytes, toSha256: 'e'.repeat(64), toBytes: 1, runId: 'died', startedAt: new Date().toISOString() });
    expect((await verify(lib)).findings).toEqual([]);
    const next = await applyCorrections(deps(lib));
    expect(next.settled).toEqual([{ documentId: lib.documentId, outcome: 'abandoned' }]);
    expect(next.documents[0]).toMatchObject({ outcome: 'rewritten' });
    expect(flat((await readPdf(lib.pdf)).pages[0]!.text)).toBe(flat(CORRECTED));
  });

  it.skipIf(!HAS_PDFTOTEXT)('keeps the corrections in the PDF a re-ingest of a rescanned original writes, and in the catalog', async () => {
    lib = await libraryWith(['text'], { 1: MACHINE });
    lib.correct([
      { field: 'text', pageNo: 1, value: CORRECTED },
      { field: 'title', value: 'Alvará de construção nº 412' },
    ]);
    await applyCorrections(deps(lib));
    // The original scanned again (another file at the same path), read as before by the machine.
    const rescan = await writeBatch(['text', 'blank']);
    copyFileSync(rescan.file, lib.source);
    const outcome = await lib.ingest({ 1: MACHINE });
    expect(outcome).toMatchObject({ status: 'indexed', documentId: lib.documentId });
    expect(flat(pdftotext(lib.pdf, 1))).toBe(flat(CORRECTED));
    expect((await readPdf(lib.pdf)).info.Title).toBe('Alvará de construção nº 412');
    // The new PDF says them: nothing waits; the catalog shows the correction over the new machine reading.
    expect(lib.catalog.pdfRewrites().pendingCount()).toBe(0);
    expect(lib.catalog.pages(lib.documentId)[0]!.text).toBe(CORRECTED);
    expect((await verify(lib)).findings).toEqual([]);
    // Reverted: the next rewrite puts the machine's words back.
    const [current] = lib.catalog.corrections().current(lib.documentId).filter((c) => c.field === 'text');
    lib.catalog.corrections().revert(current!.id, 'arquivista');
    await applyCorrections(deps(lib));
    expect(flat(pdftotext(lib.pdf, 1))).toBe(flat(MACHINE));
  });
});
