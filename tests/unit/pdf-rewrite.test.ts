/**
 * A searchable PDF written again with staff's corrections, without OCR (core/pdf/pdf-rewrite.ts):
 * read back with poppler's pdftotext and pdf.js, checked with qpdf and the PDF/A rules. The
 * corrected word is found where the misread word was; lines not corrected are the same bytes; a
 * page the machine read nothing on gets its corrected text; a PDF that is not what the catalog
 * recorded is not written again; a rewrite stopped part-way leaves the PDF as it was.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import type { OcrLine, PageRaster } from '../../core/model.js';
import { rewritePdf, type RewriteRequest } from '../../core/pdf/pdf-rewrite.js';
import { SearchablePdf } from '../../core/pdf/searchable-pdf.js';
import { wholeSourcePdf } from '../../core/pdf/source/source-pdf.js';
import { checkPdfa } from '../helpers/pdfa-rules.js';
import { HAS_PDFTOTEXT, pdftotext, pdftotextWords, readPdf } from '../helpers/pdf-text.js';

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-rewrite-'));
const tempDir = path.join(folder, 'tmp');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const DPI = 200;
const white = (width: number, height: number): PageRaster => ({ width, height, channels: 1, data: Buffer.alloc(width * height, 255), dpiX: DPI, dpiY: DPI, dpiAssumed: false });

/** A line of words at `y`, each 24 px a letter with a 24 px gap, as an engine boxes them. */
function line(y: number, texts: string[]): OcrLine {
  let x = 100;
  const words = texts.map((text) => {
    const box = { x0: x, y0: y, x1: x + 24 * [...text].length, y1: y + 40 };
    x = box.x1 + 24;
    return { text, box, confidence: 70 };
  });
  return { box: { x0: 100, y0: y, x1: x - 24, y1: y + 40 }, words, textSize: 40 };
}

const MACHINE = [line(100, ['ALVARÁ', 'DE', 'CONSTRUÇÃO']), line(200, ['Processo', 'nº', '1B73/87', 'de', 'Joao', 'Slva']), line(300, ['Em', '2', 'de', 'março', 'de', '1987'])];
const CORRECTED = 'ALVARÁ DE CONSTRUÇÃO\nProcesso nº 1873/87 de João da Silva\nEm 2 de março de 1987';
const META = {
  title: 'ALVARA',
  sourceFile: 'Obras/1987/alvara.tif',
  sourceSha256: 'ab'.repeat(32),
  ocrLanguages: ['por'],
  creatorTool: 'Acervo test',
  producer: 'Acervo test',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  keywords: ['Obras'],
};

const flatText = (text: string) => text.replace(/\s+/g, ' ').trim();
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A two-page PDF as a conversion writes it: page 1 read, page 2 where the machine read nothing. */
async function converted(name: string): Promise<string> {
  const pdf = await SearchablePdf.create(tempDir);
  await pdf.addImagePage({ kind: 'raster', raster: white(1200, 500) }, DPI, DPI, MACHINE);
  await pdf.addImagePage({ kind: 'raster', raster: white(1200, 500) }, DPI, DPI, []);
  const file = path.join(folder, name);
  await pdf.finish({ ...META, pageCount: 2 }, file);
  return file;
}

function request(file: string, over: Partial<RewriteRequest> = {}): RewriteRequest {
  return {
    file,
    expectedSha256: sha256(file),
    target: file,
    tempDir,
    format: 'pdfa-2b',
    metadata: { ...META, title: 'Alvará de construção nº 412', modifiedAt: new Date('2026-03-04T05:06:07Z'), record: { documentType: 'alvara', date: '1987-03-02', identifiers: ['processo 1873/1987'], collection: 'Obras', box: '7', notes: 'Conferido' } },
    texts: new Map([
      [1, CORRECTED],
      [2, 'Folha lida à mão: recibo 55'],
    ]),
    ...over,
  };
}

/** Each page's decoded content, its lines. */
async function contentLines(file: string): Promise<string[][]> {
  const doc = await PDFDocument.load(readFileSync(file));
  return doc.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFRef ? [contents] : (page.node.lookup(PDFName.of('Contents'), PDFArray).asArray() as PDFRef[]);
    return refs.flatMap((ref) => Buffer.from(decodePDFRawStream(doc.context.lookup(ref) as PDFRawStream).decode()).toString('latin1').split('\n'));
  });
}

describe('a searchable PDF rewritten with corrections', () => {
  it.skipIf(!HAS_PDFTOTEXT)('draws the corrected word where the misread word was, and keeps unchanged lines byte for byte', async () => {
    const file = await converted('words.pdf');
    const before = pdftotextWords(file, 1);
    const oldContent = (await contentLines(file))[0]!;
    const rewritten = await rewritePdf(request(file));
    expect(rewritten.texts).toEqual([
      { pdfPage: 1, placement: 'words' },
      { pdfPage: 2, placement: 'across' },
    ]);
    expect(pdftotext(file, 1).replace(/\s+/g, ' ').trim()).toBe(CORRECTED.replace(/\s+/g, ' '));
    const after = pdftotextWords(file, 1);
    const at = (words: typeof after, text: string) => words.find((word) => word.text === text)!;
    // The corrected number where the machine's misreading was, to a tenth of a point.
    for (const [misread, corrected] of [['1B73/87', '1873/87'], ['Joao', 'João']] as const) {
      expect(at(after, corrected).xMin).toBeCloseTo(at(before, misread).xMin, 1);
      expect(at(after, corrected).xMax).toBeCloseTo(at(before, misread).xMax, 1);
      expect(at(after, corrected).yMin).toBeCloseTo(at(before, misread).yMin, 1);
    }
    // "Slva" became "da Silva": both within the misread word's place.
    expect(at(after, 'da').xMin).toBeCloseTo(at(before, 'Slva').xMin, 1);
    expect(at(after, 'Silva').xMax).toBeCloseTo(at(before, 'Slva').xMax, 1);
    expect(after.map((word) => word.text)).not.toContain('1B73/87');

    // Lines whose words are unchanged: the very same operators; the changed line differs.
    const newContent = (await contentLines(file))[0]!;
    const block = (lines: string[], from: string) => lines.slice(lines.indexOf(from), lines.indexOf(from) + 10);
    const firstWord = (content: string[], n: number) => content.filter((op) => op.endsWith(' Tf'))[n]!;
    expect(newContent.filter((op) => op.endsWith(' Tf'))).toHaveLength(3);
    expect(block(newContent, firstWord(newContent, 0))).toEqual(block(oldContent, firstWord(oldContent, 0)));
    const lastLine = (content: string[]) => content.slice(content.lastIndexOf(firstWord(content, 2)));
    expect(lastLine(newContent)).toEqual(lastLine(oldContent));
    expect(newContent[0]).toBe(oldContent[0]); // the scan's drawing
    expect(newContent).not.toEqual(oldContent);

    // The page the machine read nothing on says its corrected text.
    expect(pdftotext(file, 2).replace(/\s+/g, ' ').trim()).toBe('Folha lida à mão: recibo 55');
    expect((await readPdf(file)).pages[1]!.text).toContain('recibo 55');
  });

  it('writes the corrected record into the document information and the XMP, and stays PDF/A', async () => {
    const file = await converted('meta.pdf');
    const rewritten = await rewritePdf(request(file));
    expect(rewritten).toMatchObject({ conformance: 'PDF/A-2B', pages: 2, sha256: sha256(file) });
    const { info, metadata } = await readPdf(file);
    expect(info.Title).toBe('Alvará de construção nº 412');
    expect(metadata).toContain('<dc:identifier>processo 1873/1987</dc:identifier>');
    expect(metadata).toContain('<acervo:notes>Conferido</acervo:notes>');
    expect(metadata).toContain('<xmp:CreateDate>2026-01-02T03:04:05Z</xmp:CreateDate>');
    expect(metadata).toContain('<xmp:ModifyDate>2026-03-04T05:06:07Z</xmp:ModifyDate>');
    expect((await checkPdfa(file, 2)).problems).toEqual([]);
    const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    if (qpdf.error) console.warn('qpdf is not installed: the PDF structure check is skipped.');
    else expect(qpdf.stdout).toContain('No syntax or stream encoding errors');
    // One glyphless font for the whole file, not a copy per page.
    const doc = await PDFDocument.load(readFileSync(file));
    const type0 = doc.context.enumerateIndirectObjects().filter(([, object]) => object instanceof PDFDict && object.get(PDFName.of('Subtype')) === PDFName.of('Type0'));
    expect(type0).toHaveLength(1);
  });

  it('rewrites an unchanged PDF to the same text, and a second rewrite with the same corrections changes no page content', async () => {
    const file = await converted('again.pdf');
    await rewritePdf(request(file));
    const once = await contentLines(file);
    const second = await rewritePdf(request(file));
    expect(second.texts.map((t) => t.placement)).toEqual(['unchanged', 'unchanged']);
    expect(await contentLines(file)).toEqual(once);
  });

  it('refuses a PDF that is not the one the catalog recorded, and leaves it as it is', async () => {
    const file = await converted('damaged.pdf');
    const bytes = readFileSync(file);
    await expect(rewritePdf(request(file, { expectedSha256: 'f'.repeat(64) }))).rejects.toMatchObject({ code: 'FIXITY_CHANGED' });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('leaves the PDF as it was when stopped part-way or refused before the rename, and no temporary file behind', async () => {
    const file = await converted('stopped.pdf');
    const bytes = readFileSync(file);
    const stop = new AbortController();
    stop.abort();
    await expect(rewritePdf(request(file, { signal: stop.signal }))).rejects.toThrow();
    await expect(
      rewritePdf(
        request(file, {
          beforeRename: () => {
            throw new Error('the power went out');
          },
        }),
      ),
    ).rejects.toThrow('the power went out');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(tempDir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it.skipIf(!HAS_PDFTOTEXT)("rewrites the layer over a page copied from a source PDF, keeping the page's own content and fonts", async () => {
    // A born-digital page with its own (not embedded) font, OCR'd anyway: the layer sits after its content, isolated.
    const source = await PDFDocument.create();
    const font = await source.embedFont(StandardFonts.Helvetica);
    source.addPage([400, 300]).drawText('Carimbo do protocolo', { x: 40, y: 260, size: 12, font });
    const doc = await PDFDocument.load(await source.save());
    const pdf = await SearchablePdf.create(tempDir, 'pdfa-2b');
    // The OCR raster at twice the page's points, y down.
    await pdf.addCopiedPage(await wholeSourcePdf(doc).page(0), [line(300, ['Processo', 'nº', '1B73/87'])], [0.5, 0, 0, -0.5, 0, 300]);
    const file = path.join(folder, 'copied.pdf');
    await pdf.finish({ ...META, pageCount: 1 }, file);
    const before = pdftotextWords(file, 1).find((word) => word.text === '1B73/87')!;

    const rewritten = await rewritePdf(request(file, { texts: new Map([[1, 'Processo nº 1873/87']]) }));
    expect(rewritten.texts).toEqual([{ pdfPage: 1, placement: 'words' }]);
    expect(rewritten.conformance).toBeNull(); // Helvetica is not embedded: plain PDF, as the conversion wrote it
    const text = flatText(pdftotext(file));
    expect(text).toContain('Carimbo do protocolo');
    expect(text).toContain('Processo nº 1873/87');
    expect(text).not.toContain('1B73');
    const after = pdftotextWords(file, 1).find((word) => word.text === '1873/87')!;
    expect(Math.abs(after.xMin - before.xMin)).toBeLessThan(0.1);
    expect(Math.abs(after.yMin - before.yMin)).toBeLessThan(0.1);
    const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    if (!qpdf.error) expect(qpdf.stdout).toContain('No syntax or stream encoding errors');
  });

  it('writes to another target, leaving the source untouched', async () => {
    const file = await converted('source.pdf');
    const bytes = readFileSync(file);
    mkdirSync(path.join(folder, 'out'), { recursive: true });
    const target = path.join(folder, 'out', 'copy.pdf');
    copyFileSync(file, path.join(folder, 'out', 'unrelated.pdf'));
    await rewritePdf(request(file, { target }));
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect((await readPdf(target)).pages[0]!.text).toContain('1873/87');
  });
});
