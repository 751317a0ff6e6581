/**
 * Writes a searchable PDF with pdf-lib, page by page: either the scanned image at its physical
 * size, or a page copied untouched from a source PDF; in both cases with the invisible,
 * word-aligned text layer on top. Document information and XMP carry the same metadata.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  type PDFObject,
  type PDFRef,
} from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import { rasterToPageMatrix } from '../geometry.js';
import type { Matrix, OcrLine } from '../model.js';
import { ASCENT, DESCENT, FONT_NAME, GLYPH_ADVANCE, glyphlessFontProgram, identityToUnicodeCMap } from './glyphless-font.js';
import { encodePageImage, type PageImage } from './page-image.js';
import { textLayerOperators } from './text-layer.js';
import { keywordList, xmpPacket, type PdfMetadata } from './xmp.js';

const LANGUAGE_TAGS: Record<string, string> = { por: 'pt', spa: 'es', eng: 'en' };

export class SearchablePdf {
  private constructor(
    private readonly doc: PDFDocument,
    private readonly fontRef: PDFRef,
  ) {}

  static async create(): Promise<SearchablePdf> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    return new SearchablePdf(doc, registerGlyphlessFont(doc));
  }

  get pageCount(): number {
    return this.doc.getPageCount();
  }

  /** A page showing `image` at its physical size, `lines` given in the image's pixel space. */
  async addImagePage(image: PageImage, dpiX: number, dpiY: number, lines: readonly OcrLine[]): Promise<void> {
    const xobject = await encodePageImage(image);
    const context = this.doc.context;
    const dict = context.obj({
      Type: 'XObject',
      Subtype: 'Image',
      Width: xobject.width,
      Height: xobject.height,
      ColorSpace: xobject.colorSpace,
      BitsPerComponent: xobject.bitsPerComponent,
      Filter: xobject.filter,
      ...(xobject.decodeParms ? { DecodeParms: xobject.decodeParms } : {}),
    });
    const imageRef = context.register(PDFRawStream.of(dict, xobject.data));
    const widthPt = (xobject.width * 72) / dpiX;
    const heightPt = (xobject.height * 72) / dpiY;
    const page = this.doc.addPage([widthPt, heightPt]);
    const imageName = page.node.newXObject('Scan', imageRef).asString();
    const fontName = page.node.newFontDictionary('OCR', this.fontRef).asString().slice(1);
    const draw = `q ${widthPt} 0 0 ${heightPt} 0 0 cm ${imageName} Do Q\n`;
    const text = lines.length > 0 ? textLayerOperators(lines, rasterToPageMatrix(xobject.width, xobject.height, dpiX, dpiY), fontName) : '';
    page.node.addContentStream(context.register(context.flateStream(draw + text)));
  }

  /**
   * Page `index` of `source`, untouched, with `lines` (in some raster's pixel space, mapped to
   * the page by `rasterToPage`) drawn over it.
   */
  async addCopiedPage(source: PDFDocument, index: number, lines: readonly OcrLine[], rasterToPage: Matrix): Promise<void> {
    const [page] = await this.doc.copyPages(source, [index]);
    if (!page) throw new RangeError(`Source PDF has no page ${index + 1}`);
    this.doc.addPage(page);
    if (lines.length === 0) return;
    const context = this.doc.context;
    const fontName = page.node.newFontDictionary('OCR', this.fontRef).asString().slice(1);
    const existing = page.node.get(PDFName.of('Contents'));
    const originals: PDFObject[] = existing instanceof PDFArray ? existing.asArray() : existing ? [existing] : [];
    // Isolate the original drawing so whatever state it leaves cannot move our text.
    const open = context.register(context.stream('q\n'));
    const close = context.register(context.flateStream(`\nQ\n${textLayerOperators(lines, rasterToPage, fontName)}\n`));
    page.node.set(PDFName.of('Contents'), context.obj([open, ...originals, close]));
  }

  async save(meta: PdfMetadata): Promise<Uint8Array> {
    const doc = this.doc;
    doc.setTitle(meta.title);
    doc.setCreator(meta.creatorTool);
    doc.setProducer(meta.producer);
    doc.setCreationDate(meta.createdAt);
    doc.setModificationDate(meta.createdAt);
    doc.setSubject(`${meta.sourceFile} — SHA-256 ${meta.sourceSha256}`);
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    // Written here, not with setKeywords, to match the XMP's pdf:Keywords exactly.
    info.set(PDFName.of('Keywords'), PDFHexString.fromText(keywordList(meta)));
    info.set(PDFName.of('AcervoSourceFile'), PDFHexString.fromText(meta.sourceFile));
    info.set(PDFName.of('AcervoSourceSHA256'), PDFString.of(meta.sourceSha256));
    info.set(PDFName.of('AcervoPageCount'), doc.context.obj(meta.pageCount));
    info.set(PDFName.of('AcervoOcrLanguages'), PDFString.of(meta.ocrLanguages.join('+')));
    if (meta.record?.documentType) info.set(PDFName.of('AcervoDocumentType'), PDFString.of(meta.record.documentType));
    if (meta.record?.date) info.set(PDFName.of('AcervoDocumentDate'), PDFString.of(meta.record.date));
    if (meta.record?.identifiers.length) info.set(PDFName.of('AcervoIdentifiers'), PDFHexString.fromText(meta.record.identifiers.join('; ')));
    if (meta.record?.notes) info.set(PDFName.of('AcervoNotes'), PDFHexString.fromText(meta.record.notes));
    const xmp = Buffer.from(xmpPacket(meta), 'utf8');
    const metadataRef = doc.context.register(doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' }));
    doc.catalog.set(PDFName.of('Metadata'), metadataRef);
    const language = LANGUAGE_TAGS[meta.ocrLanguages[0] ?? ''];
    if (language) doc.catalog.set(PDFName.of('Lang'), PDFString.of(language));
    return doc.save({ useObjectStreams: true, updateFieldAppearances: false });
  }
}

function registerGlyphlessFont(doc: PDFDocument): PDFRef {
  const context = doc.context;
  const program = glyphlessFontProgram();
  const fontFile = context.register(context.flateStream(program, { Length1: program.length }));
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: FONT_NAME,
      Flags: 5, // fixed pitch, symbolic
      FontBBox: [0, DESCENT, GLYPH_ADVANCE, ASCENT],
      ItalicAngle: 0,
      Ascent: ASCENT,
      Descent: DESCENT,
      CapHeight: ASCENT,
      StemV: 80,
      FontFile2: fontFile,
    }),
  );
  // Every code (a Unicode code point) shows glyph 1, the empty one with the advance the text layer assumes.
  const cidToGid = Buffer.alloc(65536 * 2);
  for (let i = 1; i < cidToGid.length; i += 2) cidToGid[i] = 1;
  const cidToGidMap = context.register(PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), deflateSync(cidToGid)));
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: FONT_NAME,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: GLYPH_ADVANCE,
      CIDToGIDMap: cidToGidMap,
    }),
  );
  const toUnicode = context.register(context.flateStream(identityToUnicodeCMap()));
  return context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: FONT_NAME,
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
}
