import { createCanvas } from '@napi-rs/canvas';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants, inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  StandardFonts,
  type PDFPageLeaf,
} from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rasterToPageMatrix } from '../../core/geometry.js';
import type { OcrLine, PageRaster } from '../../core/model.js';
import { operations } from '../../core/pdf/content-stream.js';
import { encodeText } from '../../core/pdf/glyphless-font.js';
import { maskXmlText } from '../../core/pdf/xml-text-mask.js';
import { maskedPdf } from '../../core/pdf/masked-pdf.js';
import { SearchablePdf } from '../../core/pdf/searchable-pdf.js';
import { wholeSourcePdf } from '../../core/pdf/source/source-pdf.js';
import { pdfjs } from '../../core/pipeline/decode/pdfjs.js';
import { HAS_PDFTOTEXT, pdftotext, pdftotextWords, readPdf } from '../helpers/pdf-text.js';

/** The stand-in for maskPersonalNumbers: the digits of anything written like a CPF. */
const CPF_PATTERN = /\d{3}[.\s-]?\d{3}[.\s-]?\d{3}[-\s]?\d{2}/g;
const maskCpf = (text: string) => text.replace(CPF_PATTERN, (found) => found.replace(/\d/g, '*'));
const identity = (text: string) => text;

/** Every CPF the test documents hold, as digits. */
const CPFS = ['39053344705', '11144477735', '12345678909', '98765432100', '52998224725', '86288366757'];
const HAS_QPDF = spawnSync('qpdf', ['--version']).status === 0;

const folder = mkdtempSync(path.join(os.tmpdir(), 'acervo-masked-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function greyPage(width: number, height: number, dpi: number): PageRaster {
  const data = Buffer.alloc(width * height, 250);
  for (let p = 0; p < data.length; p += 97) data[p] = 120;
  return { width, height, channels: 1, data, dpiX: dpi, dpiY: dpi, dpiAssumed: false };
}

/** A line of words, each 22 px per character, 18 px apart, on the line's row. */
function line(y: number, words: string[]): OcrLine {
  let x = 60;
  const placed = words.map((text) => {
    const box = { x0: x, y0: y, x1: x + 22 * [...text].length, y1: y + 40 };
    x = box.x1 + 18;
    return { text, box, confidence: 90 };
  });
  return { box: { x0: 60, y0: y, x1: x - 18, y1: y + 40 }, words: placed };
}

/** Page 1's OCR: CPFs as one word, split over words, split over lines, after a character outside the BMP. */
const OCR_LINES = [
  ['Requerimento', 'de', 'alvará', 'nº', '1873/1987'],
  ['Requerente:', 'João', 'da', 'Silva,', 'CPF', '390.533.447-05'],
  ['Cônjuge', 'CPF', '111', '444', '777', '35', 'residente'],
  ['Procurador', '123.456.789'],
  ['09', 'assina', '🙂987.654.321-00'],
];
/** The same words as pdf.js should read them once masked (🙂 is U+FFFD in the glyphless layer). */
const OCR_MASKED = [
  ['Requerimento', 'de', 'alvará', 'nº', '1873/1987'],
  ['Requerente:', 'João', 'da', 'Silva,', 'CPF', '***.***.***-**'],
  ['Cônjuge', 'CPF', '***', '***', '***', '**', 'residente'],
  ['Procurador', '***.***.***'],
  ['**', 'assina', '\uFFFD***.***.***-**'],
];

const META = {
  title: 'Requerimento de 390.533.447-05',
  sourceFile: 'Obras/1987/390.533.447-05.tif',
  sourceSha256: 'ab'.repeat(32),
  ocrLanguages: ['por'],
  creatorTool: 'Acervo test',
  producer: 'Acervo test',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  keywords: ['Obras', 'CPF 111.444.777-35'],
  record: { documentType: 'requerimento', date: '1987-05-04', identifiers: ['processo 1873/1987'], collection: 'Obras', box: '12', notes: 'Requerente 390 533 447 05' },
};

/** A born-digital page, as pdf-lib draws it with a standard font. */
async function bornDigital(lines: string[]): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  lines.forEach((text, i) => page.drawText(text, { x: 72, y: 700 - 20 * i, size: 12, font }));
  // Saved and read again: the font is only written on saving.
  return PDFDocument.load(await doc.save(), { updateMetadata: false });
}

/**
 * The document as Acervo writes it (scan page with OCR; born-digital pages copied, one with OCR
 * over it), then what other tools add to a library PDF: a page whose glyphless text sits in a
 * form drawn twice, attachments, annotations, a form field, a bookmark, application data, a
 * thumbnail, page metadata, and an incremental update replacing the document information.
 */
async function libraryPdf(): Promise<{ file: string; plain: string }> {
  const raster = greyPage(1700, 1100, 200);
  const ocr = OCR_LINES.map((words, i) => line(100 + 80 * i, words));
  // A PDF/A: the scanned page alone.
  const scanOnly = await SearchablePdf.create(path.join(folder, 'tmp'), 'pdfa-2b');
  await scanOnly.addImagePage({ kind: 'raster', raster }, 200, 200, ocr);
  const plain = path.join(folder, 'plain.pdf');
  expect((await scanOnly.finish({ ...META, pageCount: 1 }, plain)).conformance).toBe('PDF/A-2B');

  const pdf = await SearchablePdf.create(path.join(folder, 'tmp'), 'pdf');
  await pdf.addImagePage({ kind: 'raster', raster }, 200, 200, ocr);
  const withCpf = await bornDigital(['Nome: Maria Souza', 'CPF: 529.982.247-25', 'Processo 42/1990']);
  await pdf.addCopiedPage(await wholeSourcePdf(withCpf).page(0), [], [1, 0, 0, 1, 0, 0]);
  const without = await bornDigital(['Despacho: arquive-se.', 'Em 12/03/1990.']);
  await pdf.addCopiedPage(await wholeSourcePdf(without).page(0), [], [1, 0, 0, 1, 0, 0]);
  const folha = await bornDigital(['Folha 4']);
  const ocrOver = [line(300, ['Testemunha', 'CPF', '862.883.667-57'])];
  await pdf.addCopiedPage(await wholeSourcePdf(folha).page(0), ocrOver, rasterToPageMatrix(1700, 2200, 200, 200));
  const acervo = path.join(folder, 'acervo.pdf');
  await pdf.finish({ ...META, pageCount: 4 }, acervo);

  const doc = await PDFDocument.load(readFileSync(acervo), { updateMetadata: false });
  const context = doc.context;
  const first = doc.getPage(0).node;
  const glyphless = first.Resources()!.lookup(PDFName.of('Font'), PDFDict).get(PDFName.of('OCR')) as PDFRef;

  // Page 5: the glyphless layer in a form XObject, drawn twice, once in a span with an actual text.
  const formText = `BT 3 Tr /G 10 Tf 1 0 0 1 72 700 Tm <${encodeText('Anexo CPF ')}> Tj 1 0 0 1 72 686 Tm <${encodeText('390.533.447-05')}> Tj ET`;
  const form = context.register(context.flateStream(formText, { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 612, 792], Resources: { Font: { G: glyphless } } }));
  const fifth = doc.addPage([612, 792]);
  fifth.node.set(PDFName.of('Resources'), context.obj({ XObject: { Fm: form } }));
  fifth.node.set(PDFName.of('Contents'), context.register(context.flateStream('/Span << /ActualText (Anexo de 390.533.447-05) >> BDC q /Fm Do Q EMC q 1 0 0 1 0 -100 cm /Fm Do Q')));

  // Attachments: in the names tree and as an annotation.
  await doc.attach(Buffer.from('CPF 390.533.447-05'), 'anexo-39053344705.txt', { mimeType: 'text/plain', description: 'Documento de 390.533.447-05' });
  const attached = context.register(context.flateStream('Conjuge 111.444.777-35', { Type: 'EmbeddedFile' }));
  const fileAnnot = context.register(context.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [10, 10, 30, 30], Contents: PDFHexString.fromText('Anexo'), FS: { Type: 'Filespec', F: PDFString.of('c.txt'), EF: { F: attached } } }));
  // A note whose appearance draws the number, and a text field holding one.
  const helv = context.register(context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' }));
  const noteLook = context.register(context.flateStream('BT /H 9 Tf 2 2 Td (390.533.447-05) Tj ET', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 200, 20], Resources: { Font: { H: helv } } }));
  const note = context.register(context.obj({ Type: 'Annot', Subtype: 'FreeText', Rect: [100, 700, 300, 720], Contents: PDFHexString.fromText('Conferir CPF 390.533.447-05'), T: PDFHexString.fromText('Fiscal 111.444.777-35'), DA: PDFString.of('/Helv 9 Tf 0 g'), AP: { N: noteLook } }));
  const fieldLook = context.register(context.flateStream('/Tx BMC BT /H 9 Tf 2 2 Td (529.982.247-25) Tj ET EMC', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 200, 20], Resources: { Font: { H: helv } } }));
  const field = context.register(context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Tx', T: PDFString.of('cpf'), TU: PDFHexString.fromText('CPF do requerente'), V: PDFHexString.fromText('529.982.247-25'), Rect: [100, 650, 300, 670], AP: { N: fieldLook } }));
  first.set(PDFName.of('Annots'), context.obj([fileAnnot, note, field]));
  doc.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [field] }));
  // A bookmark, application data, a thumbnail and page metadata.
  const outlines = context.nextRef();
  const item = context.register(context.obj({ Title: PDFHexString.fromText('Requerente 390.533.447-05'), Parent: outlines, Dest: [doc.getPage(0).ref, 'Fit'] }));
  context.assign(outlines, context.obj({ Type: 'Outlines', First: item, Last: item, Count: 1 }));
  doc.catalog.set(PDFName.of('Outlines'), outlines);
  doc.catalog.set(PDFName.of('PieceInfo'), context.obj({ Acervo: { LastModified: PDFString.of('D:20260102'), Private: PDFString.of('390.533.447-05') } }));
  first.set(PDFName.of('PieceInfo'), context.obj({ Acervo: { LastModified: PDFString.of('D:20260102'), Private: PDFString.of('111.444.777-35') } }));
  first.set(PDFName.of('Thumb'), context.register(context.stream('39053344705', { Width: 11, Height: 1, ColorSpace: 'DeviceGray', BitsPerComponent: 8 })));
  const pageXmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="application/pdf"><dc:description>Folha de 390.533.447-05 &amp; 111 444 777 35</dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  first.set(PDFName.of('Metadata'), context.register(context.flateStream(Buffer.from(pageXmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' })));
  const edited = Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));

  // An incremental update: a new document information; the old one (its title holds a CPF) stays in the file, unreferenced.
  const info = `<< /Title (Requerimento revisto) /Author (Joao 390.533.447-05) /Requerente ${PDFHexString.fromText('Cônjuge 111.444.777-35').toString()} /CreationDate (D:20260102030405Z) >>`;
  const file = path.join(folder, 'library.pdf');
  writeFileSync(file, appendInfoRevision(edited, info));
  return { file, plain };
}

function appendInfoRevision(bytes: Buffer, info: string): Buffer {
  const text = bytes.toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)![1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)![1];
  const id = /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1];
  const offset = bytes.length + 1;
  const object = `${size} 0 obj\n${info}\nendobj\n`;
  const update = `\n${object}xref\n0 1\n0000000000 65535 f\r\n${size} 1\n${String(offset).padStart(10, '0')} 00000 n\r\ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${prev}${id ? ` /ID ${id}` : ''} >>\nstartxref\n${offset + object.length}\n%%EOF\n`;
  return Buffer.concat([bytes, Buffer.from(update, 'latin1')]);
}

/**
 * Everything a reader of the bytes can see: the file, each Flate stream inflated, the hex strings
 * of each (decoded and joined, as the words of a text layer follow one another), each also
 * without its zero bytes (UTF-16).
 */
function readableTexts(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const texts = [raw];
  for (const match of raw.matchAll(/(?<!end)stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      texts.push(inflateSync(pdf.subarray(start, end), { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1'));
    } catch {
      // Not Flate (JPEG, G4, unfiltered): the raw bytes were searched.
    }
  }
  for (const text of [...texts]) {
    texts.push([...text.matchAll(/<([0-9A-Fa-f\s]{4,})>/g)].map((hex) => Buffer.from(hex[1]!.replace(/\s/g, ''), 'hex').toString('latin1')).join(''));
  }
  return [...texts, ...texts.map((text) => text.replace(/\x00/g, ''))];
}

/** The CPFs found in `pdf`, written in any way (up to two other characters between digits: separators, UTF-16's zero bytes). */
function cpfsIn(pdf: Buffer): string[] {
  const texts = readableTexts(pdf);
  return CPFS.filter((cpf) => {
    const pattern = new RegExp(cpf.split('').join('\\D{0,2}'));
    return texts.some((text) => pattern.test(text));
  });
}

/** Page `pageNo` rendered by pdf.js at 72 DPI, as grey levels. */
async function renderGrey(file: string, pageNo: number): Promise<number[]> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const page = await doc.getPage(pageNo);
    const viewport = page.getViewport({ scale: 1 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas, canvasContext: context, viewport } as unknown as Parameters<typeof page.render>[0]).promise;
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const grey: number[] = [];
    for (let i = 0; i < rgba.length; i += 4) grey.push((rgba[i]! + rgba[i + 1]! + rgba[i + 2]!) / 3);
    return grey;
  } finally {
    await doc.destroy();
  }
}

function words(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function streamBytes(doc: PDFDocument, object: unknown): Buffer {
  const stream = object instanceof PDFRef ? doc.context.lookup(object) : object;
  return Buffer.from(decodePDFRawStream(stream as PDFRawStream).decode());
}

function contentOf(doc: PDFDocument, leaf: PDFPageLeaf): string {
  const contents = leaf.lookup(PDFName.of('Contents'));
  const refs = contents instanceof PDFArray ? contents.asArray() : [leaf.get(PDFName.of('Contents'))];
  return refs.map((ref) => streamBytes(doc, ref).toString('latin1')).join('\n');
}

function baseFonts(leaf: PDFPageLeaf): string[] {
  const fonts = leaf.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  const names = (fonts?.values() ?? []).map((font) => (leaf.context.lookup(font) as PDFDict).lookup(PDFName.of('BaseFont'))!.toString());
  return [...new Set(names)].sort();
}

describe('masked PDF', () => {
  let source: Buffer;
  let plain: Buffer;
  let masked: Buffer;
  const maskedFile = path.join(folder, 'masked.pdf');
  const sourceFile = () => path.join(folder, 'library.pdf');

  beforeAll(async () => {
    const made = await libraryPdf();
    source = readFileSync(made.file);
    plain = readFileSync(made.plain);
    masked = Buffer.from(await maskedPdf(new Uint8Array(source), maskCpf));
    writeFileSync(maskedFile, masked);
  });

  it('with a mask that changes nothing, is a valid PDF with the same text on every page', async () => {
    const same = path.join(folder, 'same.pdf');
    writeFileSync(same, await maskedPdf(new Uint8Array(source), identity));
    const before = await readPdf(sourceFile());
    const after = await readPdf(same);
    expect(after.pages.map((p) => p.text)).toEqual(before.pages.map((p) => p.text));
    expect(after.pages.map((p) => [p.width, p.height])).toEqual(before.pages.map((p) => [p.width, p.height]));
    expect(after.info.Title).toBe('Requerimento revisto');
    if (HAS_PDFTOTEXT) expect(pdftotext(same)).toBe(pdftotext(sourceFile()));
    else console.warn('pdftotext is not installed: the poppler comparison is skipped.');
  });

  it('masks the OCR layer: no digit of a CPF, whether one word, split over words, over lines or after a character outside the BMP; every other word in its place', async () => {
    const before = await readPdf(sourceFile());
    const after = await readPdf(maskedFile);
    expect(words(before.pages[0]!.text)).toBe(OCR_LINES.flat().join(' ').replace('🙂', '\uFFFD'));
    expect(words(after.pages[0]!.text)).toBe(OCR_MASKED.flat().join(' '));
    if (!HAS_PDFTOTEXT) {
      console.warn('pdftotext is not installed: the poppler checks of the masked layer are skipped.');
      return;
    }
    expect(words(pdftotext(maskedFile, 1))).toBe(OCR_MASKED.flat().join(' '));
    const boxesBefore = pdftotextWords(sourceFile(), 1);
    const boxesAfter = pdftotextWords(maskedFile, 1);
    expect(boxesAfter.map((w) => w.text)).toEqual(OCR_MASKED.flat());
    expect(boxesAfter.map(({ text, ...box }) => box)).toEqual(boxesBefore.map(({ text, ...box }) => box));
  });

  it('leaves no CPF in any byte of the file, any inflated stream or any hex string — earlier revisions and replaced objects included', () => {
    expect(cpfsIn(source).sort()).toEqual([...CPFS].sort());
    expect(cpfsIn(masked)).toEqual([]);
  });

  it('turns a born-digital page holding a CPF into its picture, with no text of its own fonts left and the masked text as an invisible layer', async () => {
    const doc = await PDFDocument.load(masked, { updateMetadata: false });
    const page = doc.getPage(1).node;
    expect(baseFonts(page)).toEqual(['/GlyphLessFont']);
    const xobjects = page.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
    expect(xobjects.values().map((x) => (doc.context.lookup(x) as PDFStream).dict.lookup(PDFName.of('Subtype'))!.toString())).toEqual(['/Image']);
    const content = contentOf(doc, page);
    // One font selected (the glyphless one, drawn invisibly), one image drawn.
    expect(new Set([...content.matchAll(/\/(\S+)\s+[\d.]+\s+Tf/g)].map((m) => m[1]))).toEqual(new Set(['OCR']));
    expect(content).toContain('3 Tr');
    expect(content.match(/\bDo\b/g)).toHaveLength(1);
    const text = words((await readPdf(maskedFile)).pages[1]!.text);
    expect(text).toContain('Nome: Maria Souza');
    expect(text).toContain('CPF: ***.***.***-**');
    expect(text).toContain('Processo 42/1990');
    if (HAS_PDFTOTEXT) expect(words(pdftotext(maskedFile, 2))).toBe('Nome: Maria Souza CPF: ***.***.***-** Processo 42/1990');
    const image = doc.context.lookup(xobjects.values()[0]!) as PDFRawStream;
    expect(image.dict.lookup(PDFName.of('Width'))!.toString()).toBe(String(Math.ceil((612 * 200) / 72)));
    // The picture shows the page as it looked: rendered, the two differ by little, and the page is not blank.
    const original = await renderGrey(sourceFile(), 2);
    const picture = await renderGrey(maskedFile, 2);
    expect(original.filter((v) => v < 128).length).toBeGreaterThan(500);
    let difference = 0;
    for (let i = 0; i < original.length; i++) difference += Math.abs(original[i]! - picture[i]!);
    expect(difference / original.length).toBeLessThan(3);
  });

  it('copies a page holding no personal number as it was, and masks the OCR layer over a born-digital page without rendering it', async () => {
    const before = await PDFDocument.load(source, { updateMetadata: false });
    const after = await PDFDocument.load(masked, { updateMetadata: false });
    expect(contentOf(after, after.getPage(2).node)).toBe(contentOf(before, before.getPage(2).node));
    expect(baseFonts(after.getPage(2).node)).toEqual(['/Helvetica']);
    const read = await readPdf(maskedFile);
    expect(words(read.pages[2]!.text)).toBe('Despacho: arquive-se. Em 12/03/1990.');
    // Page 4: its own Helvetica text (no CPF) kept, the OCR layer over it (a second content stream) masked.
    expect(baseFonts(after.getPage(3).node)).toEqual(['/GlyphLessFont', '/Helvetica']);
    expect(words(read.pages[3]!.text)).toBe('Folha 4 Testemunha CPF ***.***.***-**');
    // Page 5: the layer in a form drawn twice (pdf.js puts no space between the two drawings).
    const unspaced = (text: string) => text.replace(/\s+/g, '');
    expect(unspaced((await readPdf(sourceFile())).pages[4]!.text)).toBe('AnexoCPF390.533.447-05AnexoCPF390.533.447-05');
    expect(unspaced(read.pages[4]!.text)).toBe('AnexoCPF***.***.***-**AnexoCPF***.***.***-**');
  });

  it('masks the document information, XMP, page metadata, bookmarks, annotations and fields; drops attachments, application data and thumbnails', async () => {
    const read = await readPdf(maskedFile);
    expect(read.info.Title).toBe('Requerimento revisto');
    expect(read.info.Author).toBe('Joao ***.***.***-**');
    expect((read.info.Custom as Record<string, string>).Requerente).toBe('Cônjuge ***.***.***-**');
    expect(read.metadata).toContain('<dc:source>Obras/1987/***.***.***-**.tif</dc:source>');
    expect(read.metadata).toContain('<acervo:notes>Requerente *** *** *** **</acervo:notes>');

    const doc = await PDFDocument.load(masked, { updateMetadata: false });
    const context = doc.context;
    const catalog = doc.catalog;
    expect(catalog.has(PDFName.of('PieceInfo'))).toBe(false);
    expect(catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.has(PDFName.of('EmbeddedFiles')) ?? false).toBe(false);
    const outline = catalog.lookup(PDFName.of('Outlines'), PDFDict).lookup(PDFName.of('First'), PDFDict);
    expect((outline.lookup(PDFName.of('Title')) as PDFHexString).decodeText()).toBe('Requerente ***.***.***-**');
    const first = doc.getPage(0).node;
    expect(first.has(PDFName.of('PieceInfo'))).toBe(false);
    expect(first.has(PDFName.of('Thumb'))).toBe(false);
    const annots = first.lookup(PDFName.of('Annots'), PDFArray).asArray().map((a) => context.lookup(a) as PDFDict);
    expect(annots.map((a) => a.lookup(PDFName.of('Subtype'))!.toString())).toEqual(['/FreeText', '/Widget']);
    const [note, field] = annots as [PDFDict, PDFDict];
    const text = (dict: PDFDict, key: string) => (dict.lookup(PDFName.of(key)) as PDFHexString | PDFString).decodeText();
    expect(text(note, 'Contents')).toBe('Conferir CPF ***.***.***-**');
    expect(text(note, 'T')).toBe('Fiscal ***.***.***-**');
    expect(text(field, 'V')).toBe('***.***.***-**');
    // Their old appearances drew the numbers: replaced by empty ones.
    for (const annot of [note, field]) {
      const look = annot.lookup(PDFName.of('AP'), PDFDict).lookup(PDFName.of('N'), PDFStream);
      expect(streamBytes(doc, look).length).toBe(0);
    }
    const pageXmp = Buffer.from(streamBytes(doc, first.get(PDFName.of('Metadata')))).toString('utf8');
    expect(pageXmp).toContain('<dc:description>Folha de ***.***.***-** &amp; *** *** *** **</dc:description>');
    expect(pageXmp).toMatch(/^<\?xpacket begin="\uFEFF"/);
  });

  it('keeps a PDF/A a PDF/A: information and XMP masked alike, the XMP still parsed by pdf.js, the identification kept', async () => {
    const file = path.join(folder, 'plain-masked.pdf');
    const out = Buffer.from(await maskedPdf(new Uint8Array(plain), maskCpf));
    writeFileSync(file, out);
    expect(cpfsIn(plain).length).toBeGreaterThan(0);
    expect(cpfsIn(out)).toEqual([]);
    const doc = await pdfjs.getDocument({ data: new Uint8Array(out), isEvalSupported: false, verbosity: 0 }).promise;
    try {
      const { info, metadata } = await doc.getMetadata();
      expect(metadata).not.toBeNull();
      const xmp = metadata as unknown as { get(name: string): unknown; getRaw(): string };
      const infoRecord = info as Record<string, string>;
      expect(infoRecord.Title).toBe('Requerimento de ***.***.***-**');
      expect(xmp.get('dc:title')).toBe(infoRecord.Title);
      expect(infoRecord.Keywords).toBe('Obras, CPF ***.***.***-**');
      expect(xmp.getRaw()).toContain(`<pdf:Keywords>${infoRecord.Keywords}</pdf:Keywords>`);
      expect(infoRecord.CreationDate).toBe('D:20260102030405Z');
      expect(xmp.getRaw()).toContain('<xmp:CreateDate>2026-01-02T03:04:05Z</xmp:CreateDate>');
      expect(xmp.getRaw()).toContain('<pdfaid:part>2</pdfaid:part>');
      expect(xmp.getRaw()).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    } finally {
      await doc.destroy();
    }
    expect(out.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    // The metadata stream is unfiltered (PDF/A-1 requires it).
    const loaded = await PDFDocument.load(out, { updateMetadata: false });
    const metadata = loaded.catalog.lookup(PDFName.of('Metadata'), PDFStream);
    expect(metadata.dict.has(PDFName.of('Filter'))).toBe(false);
  });

  it.skipIf(!HAS_QPDF)('passes qpdf --check', () => {
    for (const file of [maskedFile]) {
      const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
      expect(qpdf.stdout).toContain('No syntax or stream encoding errors');
      expect(qpdf.status).toBe(0);
    }
  });

  it('refuses a mask that changes the length of the text', async () => {
    await expect(maskedPdf(new Uint8Array(plain), (text) => text.replace(/\d{3}\.\d{3}\.\d{3}-\d{2}/g, '[CPF]'))).rejects.toThrow(/length/);
  });
});

if (!HAS_QPDF) console.warn('qpdf is not installed: the PDF structure check is skipped.');

describe('reading what a PDF says', () => {
  it('reads content streams: escaped and nested literal strings, hex strings, TJ arrays, property dictionaries, comments, an unfiltered inline image with EI in its data', () => {
    const content = Buffer.concat([
      Buffer.from('BT /F1 12 Tf (a\\(b\\)\\101\\\n(c)) Tj [<0031 0032> -120 (3)] TJ % a comment (x) Tj\n/P <</ActualText (z) /MCID 3>> BDC EMC\nBI /W 6 /H 1 /BPC 8 /CS /G ID ', 'latin1'),
      Buffer.from([0x45, 0x49, 0x20, 0x45, 0x49, 0x41]),
      Buffer.from('\nEI ET', 'latin1'),
    ]);
    const ops = [...operations(content)];
    expect(ops.map((op) => op.operator)).toEqual(['BT', 'Tf', 'Tj', 'TJ', 'BDC', 'EMC', 'BI', 'ET']);
    const shown = ops[2]!.operands[0]!;
    expect(shown.kind === 'string' && Buffer.from(shown.bytes).toString('latin1')).toBe('a(b)A(c)');
    expect(shown.kind === 'string' && content.subarray(shown.start, shown.end).toString('latin1')).toBe('(a\\(b\\)\\101\\\n(c))');
    const array = ops[3]!.operands[0]!;
    expect(array.kind === 'array' && array.items.map((item) => (item.kind === 'string' ? Buffer.from(item.bytes).toString('latin1') : item.kind))).toEqual(['\x00\x31\x00\x32', 'number', '3']);
    const properties = ops[4]!.operands[1]!;
    expect(properties.kind === 'dict' && [...properties.entries.keys()]).toEqual(['ActualText', 'MCID']);
  });

  it('masks XML text, attribute values, CDATA and comments, never markup, namespaces, language tags, dates or the PDF/A identification', () => {
    const xml = '<?xpacket begin="\uFEFF" id="W5M0"?><x:a xmlns:x="adobe:ns:meta/" xmlns:n="urn:390.533.447-05" n:v="CPF 390.533.447-05 &amp; x" pdfaid:part="39053344705"><n:t xml:lang="pt">Nome &lt;390.533.447-05&gt;</n:t><!-- 111.444.777-35 --><n:c><![CDATA[11144477735]]></n:c><n:d>2026-01-02T03:04:05Z</n:d><pdfaid:x>12345678909</pdfaid:x><n:e>&#51;90.533.447-05</n:e></x:a>';
    expect(maskXmlText(xml, maskCpf)).toBe(
      '<?xpacket begin="\uFEFF" id="W5M0"?><x:a xmlns:x="adobe:ns:meta/" xmlns:n="urn:390.533.447-05" n:v="CPF ***.***.***-** &amp; x" pdfaid:part="39053344705"><n:t xml:lang="pt">Nome &lt;***.***.***-**&gt;</n:t><!-- ***.***.***-** --><n:c><![CDATA[***********]]></n:c><n:d>2026-01-02T03:04:05Z</n:d><pdfaid:x>12345678909</pdfaid:x><n:e>***.***.***-**</n:e></x:a>',
    );
    expect(maskXmlText(xml, identity)).toBe(xml);
  });
});

