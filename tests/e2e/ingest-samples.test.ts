/** The main job on the bundled samples, through the built CLI, checked end to end. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, inject, it } from 'vitest';
import { hashTree } from '../global-setup.js';
import { readCatalog } from '../helpers/catalog.js';
import { parseJsonOutput } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/paths.js';
import { readPdf } from '../helpers/pdf-text.js';
import { listSamples } from '../helpers/samples.js';

const library = inject('samplesLibrary');
const run = inject('samplesRun');
const samples = listSamples();
const HAS_QPDF = spawnSync('qpdf', ['--version']).status === 0;
const HAS_PDFTOPPM = spawnSync('pdftoppm', ['-v']).status === 0;
if (!HAS_QPDF) console.warn('qpdf is not installed: the PDF structure check is skipped (apt-get install qpdf).');

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('acervo ingest samples/scans --json', () => {
  it('exits 0 and prints one JSON report on stdout, with progress on stderr only', () => {
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput(run);
    expect(Object.keys(report).sort()).toEqual(['documents', 'elapsedSeconds', 'indexPending', 'interrupted', 'library', 'remaining', 'report', 'runId', 'stoppedBy', 'totals'].sort());
    expect(report.library).toBe(library);
    expect(report).toMatchObject({ interrupted: false, remaining: 0, stoppedBy: 'completed', indexPending: 0 });
    expect(report.runId).toMatch(/^\d{8}T\d{6}-[0-9a-f]{6}$/);
    expect(report.report).toBe(path.join(library, 'reports', `${report.runId}.json`));
    expect(report.elapsedSeconds).toBeGreaterThan(0);
    // Not on a terminal and nothing went wrong: nothing said on stderr.
    expect(run.stderr).toBe('');
  });

  it('reports every sample as indexed, with its PDF and page count', () => {
    const report = parseJsonOutput(run);
    expect(report.documents).toHaveLength(samples.length);
    for (const sample of samples) {
      const doc = report.documents.find((d: { source: string }) => d.source === sample.source);
      expect(doc, sample.relativePath).toBeDefined();
      expect(doc).toMatchObject({ status: 'indexed', pages: sample.pages.length, error: null, indexPending: false });
      expect(doc.documentId).toEqual(expect.any(Number));
      expect(doc.pdf).toBe(path.join(library, 'documents', sample.relativePath.replace(/\.[^./]+$/, '.pdf')));
      expect(existsSync(doc.pdf)).toBe(true);
    }
    const pages = samples.reduce((n, s) => n + s.pages.length, 0);
    expect(report.totals).toEqual({ documents: samples.length, indexed: samples.length, skipped: 0, failed: 0, incomplete: 0, warnings: 0, pages });
  });

  it.skipIf(!HAS_QPDF)('writes structurally sound PDFs (qpdf --check)', () => {
    for (const sample of samples) {
      const pdf = path.join(library, 'documents', sample.relativePath.replace(/\.[^./]+$/, '.pdf'));
      const check = spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8' });
      expect(check.status, `${sample.relativePath}: ${check.stdout}${check.stderr}`).toBe(0);
      expect(check.stdout + check.stderr, sample.relativePath).not.toMatch(/warning|error:/i);
    }
  });

  it('never changes an original and leaves no temporary file in the library', () => {
    expect(hashTree(SAMPLES_DIR)).toEqual(inject('samplesHashesBefore'));
    expect(readdirSync(path.join(library, 'tmp'))).toEqual([]);
  });

  it('catalogs every document and page: source, SHA-256, output, pages, text, confidence, status', () => {
    const { documents, pages } = readCatalog(library);
    expect(documents).toHaveLength(samples.length);
    for (const sample of samples) {
      const doc = documents.find((d) => d.source_path === sample.source)!;
      expect(doc).toMatchObject({ relative_path: sample.relativePath, status: 'done', sha256: sha256(sample.source), page_count: sample.pages.length, error_code: null });
      expect(doc.output_sha256).toBe(sha256(path.join(library, doc.output_path!)));
      const docPages = pages.filter((p) => p.document_id === doc.id);
      expect(docPages.map((p) => p.page_no)).toEqual(sample.pages.map((_, i) => i + 1));
      for (const page of docPages) {
        expect(page.text.length).toBeGreaterThan(100);
        if (sample.relativePath.endsWith('lei-1234-texto.pdf')) {
          expect(page).toMatchObject({ text_source: 'pdf-text', confidence: null });
        } else {
          expect(page.text_source).toBe('ocr');
          expect(page.confidence).toBeGreaterThan(60);
        }
      }
    }
  });

  it('reads collection and year from the folders, and a title from the text', () => {
    const { documents } = readCatalog(library);
    const alvara = documents.find((d) => d.relative_path === 'Obras/1987/alvara-construcao-412.png')!;
    expect(alvara).toMatchObject({ collection: 'Obras', year: 1987 });
    expect(alvara.title).toMatch(/^ALVARÁ DE CONSTRUÇÃO Nº 412\/1987/);
    const resolucion = documents.find((d) => d.relative_path === 'Municipalidad/1978/resolucion-27.png')!;
    expect(resolucion).toMatchObject({ collection: 'Municipalidad', year: 1978 });
  });

  it('writes each page at the physical size given by its resolution (turned with the page when it was sideways)', async () => {
    const report = parseJsonOutput(run);
    for (const sample of samples.filter((s) => /\.(png|jpg|tif)$/.test(s.relativePath))) {
      const meta = await sharp(sample.source).metadata();
      const pdf = await readPdf(path.join(library, 'documents', sample.relativePath.replace(/\.[^./]+$/, '.pdf')));
      const [correction] = report.documents.find((d: { source: string }) => d.source === sample.source).pageCorrections;
      const sideways = correction.rotation === 90 || correction.rotation === 270;
      const [width, height] = sideways ? [meta.height!, meta.width!] : [meta.width!, meta.height!];
      expect(pdf.pages[0]!.width, sample.relativePath).toBeCloseTo((width * 72) / meta.density!, 0);
      expect(pdf.pages[0]!.height, sample.relativePath).toBeCloseTo((height * 72) / meta.density!, 0);
    }
  });

  it.skipIf(!HAS_PDFTOPPM)('shows each scan as it is in the PDF, upright and straight (pdftoppm against the original)', async () => {
    const report = parseJsonOutput(run);
    for (const sample of samples.filter((s) => !s.relativePath.endsWith('lei-1234-texto.pdf'))) {
      const pdf = path.join(library, 'documents', sample.relativePath.replace(/\.[^./]+$/, '.pdf'));
      const rendered = await sharp(execFileSync('pdftoppm', ['-r', '40', '-gray', '-png', '-f', '1', '-l', '1', '-singlefile', pdf])).greyscale().raw().toBuffer({ resolveWithObject: true });
      const { width, height } = rendered.info;
      // The original's first page, turned and straightened as the catalog says was done.
      const [correction] = report.documents.find((d: { source: string }) => d.source === sample.source).pageCorrections;
      const original = sample.relativePath.endsWith('.pdf')
        ? sharp(execFileSync('pdftoppm', ['-r', '40', '-gray', '-png', '-f', '1', '-l', '1', '-singlefile', sample.source]))
        : sharp(sample.source, { page: 0 });
      let upright = await original.rotate(correction.rotation).png().toBuffer();
      if (correction.skewDegrees !== 0) {
        const meta = await sharp(upright).metadata();
        const turned = await sharp(upright).rotate(-correction.skewDegrees, { background: '#ffffff' }).png().toBuffer();
        const big = await sharp(turned).metadata();
        upright = await sharp(turned).extract({ left: Math.floor((big.width! - meta.width!) / 2), top: Math.floor((big.height! - meta.height!) / 2), width: meta.width!, height: meta.height! }).png().toBuffer();
      }
      const expected = await sharp(upright).flatten({ background: '#ffffff' }).greyscale().resize(width, height, { fit: 'fill' }).raw().toBuffer();
      const difference = rendered.data.reduce((sum, v, i) => sum + Math.abs(v - expected[i]!), 0) / rendered.data.length;
      // Resampling differs a little; a wrong image (garbled, turned, another page) differs by 40 and more.
      expect(difference, `${sample.relativePath}: mean difference ${difference.toFixed(1)} grey levels`).toBeLessThan(12);
    }
  });

  it('puts title, source, checksum, page count and OCR languages into the PDF info and XMP', async () => {
    const sample = samples.find((s) => s.relativePath.endsWith('decreto-345.tif'))!;
    const pdf = await readPdf(path.join(library, 'documents', 'Gabinete/1990/decreto-345.pdf'));
    const checksum = sha256(sample.source);
    expect(pdf.pages).toHaveLength(3);
    expect(pdf.info.Title).toMatch(/^DECRETO/);
    expect(pdf.info.Custom).toMatchObject({ AcervoSourceFile: 'Gabinete/1990/decreto-345.tif', AcervoSourceSHA256: checksum, AcervoPageCount: 3, AcervoOcrLanguages: 'por+spa+eng' });
    expect(pdf.metadata).toContain(`<acervo:sourceSha256>${checksum}</acervo:sourceSha256>`);
    expect(pdf.metadata).toContain('<acervo:pageCount>3</acervo:pageCount>');
    expect(pdf.metadata).toContain('<rdf:li>pt</rdf:li><rdf:li>es</rdf:li><rdf:li>en</rdf:li>');
  });

  it('passes a JPEG scan into the PDF byte for byte, without recompressing it', () => {
    const jpeg = readFileSync(path.join(SAMPLES_DIR, 'Protocolo/1995/memorando-88.jpg'));
    const pdf = readFileSync(path.join(library, 'documents', 'Protocolo/1995/memorando-88.pdf'));
    expect(pdf.indexOf(jpeg)).toBeGreaterThan(0);
  });

  it('copies a PDF page that already has a text layer untouched, and keeps its text', async () => {
    const pdf = await readPdf(path.join(library, 'documents', 'Gabinete/2003/lei-1234-texto.pdf'));
    const original = await readPdf(path.join(SAMPLES_DIR, 'Gabinete/2003/lei-1234-texto.pdf'));
    expect(pdf.pages.map((p) => p.text)).toEqual(original.pages.map((p) => p.text));
  });
});
