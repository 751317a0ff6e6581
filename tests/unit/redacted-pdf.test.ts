/**
 * The redacted copy's core on PDFs built to hide data where a copy could carry it over: an earlier
 * revision, a resource dictionary shared by all pages, annotations, outlines, attachments, the
 * document information and XMP. Every object of each copy is read back (strings decoded, streams
 * inflated) and searched for the hidden numbers.
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  StandardFonts,
  type PDFObject,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { findContactDetails, maskContactDetails } from '../../core/privacy/contact-details.js';
import { redactedPdf } from '../../core/redaction/redacted-pdf.js';
import { redactPdf, reviewPdf } from '../../core/redaction/redaction.js';
import { coveredBoxes, reviewPage, type RedactionMark } from '../../core/redaction/review.js';
import { incrementalUpdate } from './pdf-fixtures.js';

const FACTS = { title: 'Certidão', documentId: 7, madeBy: 'ana', madeAt: new Date('2026-12-05T10:00:00Z'), producer: 'Acervo test' };
const OLD_CPF = '11144477735';
const CPF = '39053344705';

/** Every text the file holds: strings decoded (and as bytes), streams inflated, hex strings in content read as UTF-16BE. */
async function everyText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const texts: string[] = [];
  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFString || object instanceof PDFHexString) texts.push(object.decodeText(), Buffer.from(object.asBytes()).toString('latin1'));
    else if (object instanceof PDFDict) for (const value of object.values()) visit(value);
    else if (object instanceof PDFArray) for (const value of object.asArray()) visit(value);
    else if (object instanceof PDFRawStream) {
      visit(object.dict);
      let data: Uint8Array;
      try {
        data = decodePDFRawStream(object).decode();
      } catch {
        data = object.contents;
      }
      const latin = Buffer.from(data).toString('latin1');
      texts.push(latin);
      for (const match of latin.matchAll(/<([0-9A-Fa-f]{4,})>/g)) {
        const hex = Buffer.from(match[1]!, 'hex');
        let text = '';
        for (let i = 0; i + 1 < hex.length; i += 2) text += String.fromCharCode((hex[i]! << 8) | hex[i + 1]!);
        // Two-byte codes (the glyphless layer) and one-byte codes (simple fonts).
        texts.push(text, hex.toString('latin1'));
      }
    }
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object);
  visit(doc.context.trailerInfo.Info as PDFObject | undefined);
  return texts.join('\n') + Buffer.from(bytes).toString('latin1');
}

/** Runs of 5 digits of `number` in `text`, read across separators. */
function leaks(text: string, number: string): string[] {
  const found: string[] = [];
  for (const run of text.match(/[0-9][0-9 .\-/]*/g) ?? []) {
    const digits = run.replace(/\D/g, '');
    for (let i = 0; i + 5 <= number.length; i++) if (digits.includes(number.slice(i, i + 5))) found.push(number.slice(i, i + 5));
  }
  return found;
}

/** A grey "scan" of `width`×`height` pixels with a mark in it, as an image XObject. */
function greyImage(doc: PDFDocument, shade: number) {
  const pixels = Buffer.alloc(200 * 280, shade);
  return doc.context.register(doc.context.flateStream(pixels, { Type: 'XObject', Subtype: 'Image', Width: 200, Height: 280, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }));
}

describe('e-mail addresses and telephones', () => {
  it('finds them where they are written, and nothing that only looks like them', () => {
    const text = 'E-mail: jose.pereira@correio.com.br; Tel.: (31) 3344-5566; cel 31 98765-4321; fone +55 11 2345-6789; (011) 4567-8901; período 1985-1990; processo 1873/1987; matrícula 1.042';
    const found = findContactDetails(text).map((d) => `${d.kind}:${text.slice(d.index, d.index + d.length)}`);
    expect(found).toEqual(['email:jose.pereira@correio.com.br', 'phone:(31) 3344-5566', 'phone:31 98765-4321', 'phone:+55 11 2345-6789', 'phone:(011) 4567-8901']);
    expect(maskContactDetails('escreva a ana@x.org.br')).toBe('escreva a ***@*.***.**');
  });
});

describe('a redacted copy', () => {
  it('keeps nothing of an earlier revision: the number an incremental update replaced is gone, and so is the one shown', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([400, 300]).drawText(`CPF ${OLD_CPF.replace(/(\d{3})(\d{3})(\d{3})(\d{2})/, '$1.$2.$3-$4')}`, { x: 40, y: 200, size: 12, font });
    const base = await doc.save({ useObjectStreams: false });
    const shown = `(CPF: 390.533.447-05) Tj`;
    const update = await incrementalUpdate(base, 0, `1 0 0 1 40 150 Tm ${shown}`, 'table', base.length);
    const pdf = Buffer.concat([Buffer.from(base), update]);
    expect(leaks(await everyText(pdf), OLD_CPF).length).toBeGreaterThan(0);
    const copy = await redactPdf(pdf, [], FACTS);
    expect(copy.boxes).toBe(1);
    const text = await everyText(copy.pdf);
    expect(leaks(text, OLD_CPF)).toEqual([]);
    expect(leaks(text, CPF)).toEqual([]);
    expect(Buffer.from(copy.pdf).toString('latin1').match(/%%EOF/g)).toHaveLength(1);
  });

  it('redraws every page whose resources reach an image of a page with boxes, and leaves the page tree holding none', async () => {
    const doc = await PDFDocument.create();
    const first = greyImage(doc, 17);
    const second = greyImage(doc, 230);
    const shared = doc.context.obj({ XObject: { Im1: first, Im2: second } });
    for (const name of ['Im1', 'Im2']) {
      const page = doc.addPage([200, 280]);
      page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(`q 200 0 0 280 0 0 cm /${name} Do Q`)));
      page.node.delete(PDFName.of('Resources'));
    }
    doc.catalog.Pages().set(PDFName.of('Resources'), shared);
    const pdf = await doc.save({ useObjectStreams: false });
    const copy = await redactedPdf(pdf, new Map([[1, [{ x0: 0.1, y0: 0.1, x1: 0.5, y1: 0.5 }]]]), FACTS);
    expect(copy.burnedPages).toBe(2);
    const out = await PDFDocument.load(copy.pdf);
    const images = out.context.enumerateIndirectObjects().filter(([, object]) => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
    expect(images).toHaveLength(2);
    // Neither is an original: both pages were drawn anew.
    const originals = [first, second].map((ref) => Buffer.from((doc.context.lookup(ref) as PDFRawStream).contents));
    for (const [, image] of images) expect(originals.some((bytes) => bytes.equals(Buffer.from((image as PDFRawStream).contents)))).toBe(false);
    expect(out.catalog.Pages().get(PDFName.of('Resources'))).toBeUndefined();
  });

  it('drops annotations, outlines, attachments, old metadata and the document information that could hold the values', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([400, 300]);
    page.drawText('Nada pessoal nesta página.', { x: 40, y: 200, size: 12, font });
    const context = doc.context;
    page.node.set(PDFName.of('Annots'), context.obj([context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [10, 10, 30, 30], Contents: PDFString.of(`CPF ${CPF}`) })]));
    doc.setAuthor(`Requerente CPF ${CPF}`);
    doc.catalog.set(PDFName.of('Outlines'), context.register(context.obj({ Type: 'Outlines', Title: PDFString.of(`CPF ${CPF}`) })));
    const attachment = context.register(context.flateStream(`CPF ${CPF}`, { Type: 'EmbeddedFile' }));
    doc.catalog.set(PDFName.of('Names'), context.obj({ EmbeddedFiles: { Names: [PDFString.of('cpf.txt'), { Type: 'Filespec', F: PDFString.of('cpf.txt'), EF: { F: attachment } }] } }));
    doc.catalog.set(PDFName.of('Metadata'), context.register(context.stream(`<x:xmpmeta><dc:creator>${CPF}</dc:creator></x:xmpmeta>`, { Type: 'Metadata', Subtype: 'XML' })));
    const pdf = await doc.save({ useObjectStreams: false });
    expect(leaks(Buffer.from(pdf).toString('latin1'), CPF).length).toBeGreaterThan(0);
    const copy = await redactPdf(pdf, [], FACTS);
    // The annotation's page is drawn anew (what it showed stays as pixels), the rest is gone.
    expect(copy.burnedPages).toBe(1);
    expect(leaks(await everyText(copy.pdf), CPF)).toEqual([]);
    const out = await PDFDocument.load(copy.pdf, { updateMetadata: false });
    expect(out.getPage(0).node.get(PDFName.of('Annots'))).toBeUndefined();
    expect([...out.catalog.keys()].map((key) => key.asString()).sort()).toEqual(['/Metadata', '/Pages', '/Type']);
    expect(out.getTitle()).toBe('Certidão (cópia tarjada)');
    expect(out.getAuthor()).toBeUndefined();
  });

  it('keeps a page without boxes as it was, and removes only the characters under a drawn box from a page\'s text', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([400, 300]).drawText('Assinado: Maria Aparecida Ferreira', { x: 40, y: 200, size: 14, font });
    doc.addPage([400, 300]).drawText('Segunda folha sem dados.', { x: 40, y: 200, size: 14, font });
    const pdf = await doc.save({ useObjectStreams: false });
    const [page] = await reviewPdf(pdf, []);
    expect(page!.boxes).toEqual([]);
    // A box over "Maria Aparecida Ferreira" (from x = 40 + width of "Assinado: ").
    const start = (40 + font.widthOfTextAtSize('Assinado: ', 14) - 1) / 400;
    const marks: RedactionMark[] = [{ id: 1, page: 1, action: 'add', x0: start, y0: (300 - 220) / 300, x1: 0.95, y1: (300 - 195) / 300, label: 'nome', madeBy: 'ana', madeAt: '2026-12-05T10:00:00Z' }];
    const copy = await redactPdf(pdf, marks, FACTS);
    expect(copy.burnedPages).toBe(1);
    const { pdfjs } = await import('../../core/pipeline/decode/pdfjs.js');
    const read = await pdfjs.getDocument({ data: new Uint8Array(copy.pdf), isEvalSupported: false }).promise;
    const text = async (n: number) => ((await (await read.getPage(n)).getTextContent()).items as Array<{ str: string }>).map((item) => item.str).join('');
    expect((await text(1)).trim()).toBe('Assinado:');
    expect(await text(2)).toContain('Segunda folha sem dados.');
    await read.destroy();
  });

  it('a removed proposal stays removed where the same box is proposed again, and only there', () => {
    const proposed = [{ kind: 'cpf' as const, x0: 0.1, y0: 0.1, x1: 0.3, y1: 0.12 }, { kind: 'email' as const, x0: 0.1, y0: 0.2, x1: 0.4, y1: 0.22 }];
    const dismissal: RedactionMark = { id: 3, page: 1, action: 'dismiss', x0: 0.101, y0: 0.1, x1: 0.301, y1: 0.121, label: null, madeBy: 'ana', madeAt: '' };
    const review = reviewPage(1, { width: 595, height: 842 }, proposed, [dismissal, { ...dismissal, id: 4, page: 2 }]);
    expect(review.boxes.map((box) => [box.kind, box.covered, box.markId])).toEqual([['cpf', false, 3], ['email', true, null]]);
    expect(coveredBoxes([review]).get(1)).toHaveLength(1);
  });
});
