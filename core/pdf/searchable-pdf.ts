/**
 * Writes a searchable PDF page by page, straight to disk (pdf-file-writer.ts): either the
 * scanned image at its physical size, or a page copied untouched from a source PDF; in both cases
 * with the invisible, word-aligned text layer on top. Each page leaves memory once written.
 * Document information and XMP carry the same metadata.
 *
 * PDF/A (-2b by default, -1b by option): the XMP identifies it, an sRGB output intent with its
 * ICC profile says what the colours are, the text layer's font is embedded, and nothing else a
 * PDF/A forbids is ever written (no encryption, transparency, JavaScript, external references or
 * LZW). A page copied from a source PDF brings whatever that PDF holds: when it holds something
 * PDF/A forbids (pdfa-obstacles.ts), the document is written as plain PDF and says why.
 */
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFObjectCopier,
  PDFString,
  type PDFContext,
  type PDFPageLeaf,
  type PDFObject,
  type PDFRef,
} from 'pdf-lib';
import { rasterToPageMatrix } from '../geometry.js';
import type { Matrix, OcrLine } from '../model.js';
import { FONT_NAME } from './glyphless-font.js';
import { registerGlyphlessFont } from './glyphless-font-object.js';
import { encodePageImage, registerImageXObject, type ImageEncoding, type PageImage } from './page-image.js';
import { PdfFileWriter, type WrittenPdf } from './pdf-file-writer.js';
import { textLayerOperators } from './text-layer.js';
import type { PdfFormat } from '../model.js';
import { pdfaObstacle } from './pdfa-obstacles.js';
import type { SourcePage } from './source/source-pdf.js';
import { SRGB_PROFILE, SRGB_PROFILE_NAME } from './srgb-profile.js';
import { keywordList, subjectOf, xmpPacket, type PdfMetadata } from './xmp.js';

/** What a finished PDF is: its size and checksum, and the PDF/A level it claims (null: plain PDF). */
export interface FinishedPdf extends WrittenPdf {
  conformance: 'PDF/A-1B' | 'PDF/A-2B' | null;
  /** Why a PDF/A was asked for and not written (what a copied page holds), else null. */
  notConformingBecause: string | null;
}

const LANGUAGE_TAGS: Record<string, string> = { por: 'pt', spa: 'es', eng: 'en' };
const OCR_FONT = 'OCR';

export class SearchablePdf {
  /** The page tree's own reference, known before any page so each page can point to it. */
  private readonly pagesRef: PDFRef;
  private readonly pageRefs: PDFRef[] = [];
  /** The first thing a copied page holds that PDF/A forbids. */
  private obstacle: string | null = null;

  private constructor(
    private readonly writer: PdfFileWriter,
    private readonly fontRef: PDFRef,
    private readonly format: PdfFormat,
    private readonly encoding: ImageEncoding,
  ) {
    this.pagesRef = writer.context.nextRef();
  }

  /** A new PDF, written to a temporary file in `tempDir` until `finish` puts it in place. */
  static async create(tempDir: string, format: PdfFormat = 'pdfa-2b', encoding: ImageEncoding = { jpegQuality: null }): Promise<SearchablePdf> {
    const writer = await PdfFileWriter.create(tempDir, format === 'pdfa-1b' ? '1.4' : '1.7');
    return new SearchablePdf(writer, registerGlyphlessFont(writer.context), format, encoding);
  }

  get pageCount(): number {
    return this.pageRefs.length;
  }

  private get context(): PDFContext {
    return this.writer.context;
  }

  /** A page showing `image` at its physical size, `lines` given in the image's pixel space. */
  async addImagePage(image: PageImage, dpiX: number, dpiY: number, lines: readonly OcrLine[]): Promise<void> {
    const xobject = await encodePageImage(image, this.encoding);
    const context = this.context;
    const imageRef = registerImageXObject(context, xobject);
    const widthPt = (xobject.width * 72) / dpiX;
    const heightPt = (xobject.height * 72) / dpiY;
    const draw = `q ${widthPt} 0 0 ${heightPt} 0 0 cm /Scan Do Q\n`;
    const text = lines.length > 0 ? textLayerOperators(lines, rasterToPageMatrix(xobject.width, xobject.height, dpiX, dpiY), OCR_FONT) : '';
    const page = context.obj({
      Type: 'Page',
      Parent: this.pagesRef,
      MediaBox: [0, 0, widthPt, heightPt],
      Resources: { XObject: { Scan: imageRef }, Font: { [OCR_FONT]: this.fontRef } },
      Contents: context.register(context.flateStream(draw + text)),
    });
    await this.addPage(page);
  }

  /**
   * A source PDF's page, untouched, with `lines` (in some raster's pixel space, mapped to the
   * page by `rasterToPage`) drawn over it.
   */
  async addCopiedPage(from: SourcePage, lines: readonly OcrLine[], rasterToPage: Matrix): Promise<void> {
    const context = this.context;
    // A copier per page: one kept for the document would hold every page's objects in memory.
    const page = PDFObjectCopier.for(from.context, context).copy(from.node) as PDFPageLeaf;
    this.checkObstacles(page);
    page.set(PDFName.of('Parent'), this.pagesRef);
    if (lines.length > 0) {
      const fontName = page.newFontDictionary(OCR_FONT, this.fontRef).asString().slice(1);
      const existing = page.get(PDFName.of('Contents'));
      const originals: PDFObject[] = existing instanceof PDFArray ? existing.asArray() : existing ? [existing] : [];
      // Isolate the original drawing so whatever state it leaves cannot move our text.
      const open = context.register(context.stream('q\n'));
      const close = context.register(context.flateStream(`\nQ\n${textLayerOperators(lines, rasterToPage, fontName)}\n`));
      page.set(PDFName.of('Contents'), context.obj([open, ...originals, close]));
    }
    await this.addPage(page);
  }

  /**
   * A page of a searchable PDF written before (a rewrite: core/pdf/pdf-rewrite.ts), copied as it
   * is but for its glyphless fonts (Acervo's text layer's, under whatever names the page gives
   * them), which become this PDF's one glyphless font rather than copies of that PDF's: a copier
   * per page would otherwise copy the font once per page. `layerFont` names the font a text layer
   * added to the page draws with (null: none was added).
   */
  async addRewrittenPage(from: SourcePage, layerFont: string | null): Promise<void> {
    const fonts = from.node.lookupMaybe(PDFName.of('Resources'), PDFDict)?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const ours = new Map<PDFName, PDFObject>();
    for (const [name, value] of fonts?.entries() ?? []) {
      const font = from.context.lookup(value);
      if (font instanceof PDFDict && font.get(PDFName.of('Subtype')) === PDFName.of('Type0') && font.get(PDFName.of('BaseFont')) === PDFName.of(FONT_NAME)) ours.set(name, value);
    }
    if (layerFont !== null) ours.set(PDFName.of(layerFont), this.fontRef);
    // Left out of the copy, then put back: the source page is read, never changed.
    for (const name of ours.keys()) fonts?.delete(name);
    let page: PDFPageLeaf;
    try {
      page = PDFObjectCopier.for(from.context, this.context).copy(from.node) as PDFPageLeaf;
    } finally {
      for (const [name, value] of ours) if (value !== this.fontRef) fonts?.set(name, value);
    }
    this.checkObstacles(page);
    page.set(PDFName.of('Parent'), this.pagesRef);
    if (ours.size > 0) {
      // Set where they are (a dictionary of their own, or one referred to), made only when missing.
      let resources = page.lookupMaybe(PDFName.of('Resources'), PDFDict);
      if (!resources) page.set(PDFName.of('Resources'), (resources = this.context.obj({})));
      let ownFonts = resources.lookupMaybe(PDFName.of('Font'), PDFDict);
      if (!ownFonts) resources.set(PDFName.of('Font'), (ownFonts = this.context.obj({})));
      for (const name of ours.keys()) ownFonts.set(name, this.fontRef);
    }
    await this.addPage(page);
  }

  /** PDF/A is claimed only while every page copied holds nothing it forbids (pdfa-obstacles.ts). */
  private checkObstacles(page: PDFDict): void {
    if (this.format === 'pdf' || this.obstacle) return;
    // The context holds only this page's objects (and, on the first page, our font): earlier ones are on disk.
    const found = pdfaObstacle([page, ...this.context.enumerateIndirectObjects().map(([, object]) => object)], this.format === 'pdfa-1b' ? 1 : 2);
    if (found) this.obstacle = `page ${this.pageRefs.length + 1} of the source PDF holds ${found}`;
  }

  private async addPage(page: PDFDict): Promise<void> {
    this.pageRefs.push(this.context.register(page));
    await this.writer.flush();
  }

  /** Writes the page tree, catalog and metadata, and puts the file at `target`. */
  async finish(meta: Omit<PdfMetadata, 'conformance'>, target: string, beforeRename?: (written: WrittenPdf) => Promise<void> | void): Promise<FinishedPdf> {
    const context = this.context;
    const conformance = this.format === 'pdf' || this.obstacle ? null : ({ part: this.format === 'pdfa-1b' ? 1 : 2, level: 'B' } as const);
    context.assign(this.pagesRef, context.obj({ Type: 'Pages', Kids: this.pageRefs, Count: this.pageRefs.length }));
    const record = meta.record;
    const text = (value: string) => PDFHexString.fromText(value);
    const info = context.obj({
      Title: text(meta.title),
      Subject: text(subjectOf(meta)),
      // The same list as the XMP's pdf:Keywords.
      Keywords: text(keywordList(meta)),
      Creator: text(meta.creatorTool),
      Producer: text(meta.producer),
      CreationDate: PDFString.fromDate(meta.createdAt),
      ModDate: PDFString.fromDate(meta.modifiedAt ?? meta.createdAt),
      AcervoSourceFile: text(meta.sourceFile),
      AcervoSourceSHA256: PDFString.of(meta.sourceSha256),
      AcervoPageCount: meta.pageCount,
      AcervoOcrLanguages: PDFString.of(meta.ocrLanguages.join('+')),
      ...(record?.documentType ? { AcervoDocumentType: PDFString.of(record.documentType) } : {}),
      ...(record?.date ? { AcervoDocumentDate: PDFString.of(record.date) } : {}),
      ...(record?.identifiers.length ? { AcervoIdentifiers: text(record.identifiers.join('; ')) } : {}),
      ...(record?.notes ? { AcervoNotes: text(record.notes) } : {}),
    });
    const xmp = Buffer.from(xmpPacket({ ...meta, conformance }), 'utf8');
    const language = LANGUAGE_TAGS[meta.ocrLanguages[0] ?? ''];
    const catalog = context.obj({
      Type: 'Catalog',
      Pages: this.pagesRef,
      Metadata: context.register(context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' })),
      ...(language ? { Lang: PDFString.of(language) } : {}),
      ...(conformance ? { OutputIntents: [this.srgbOutputIntent()] } : {}),
    });
    try {
      const written = await this.writer.finish(context.register(catalog), context.register(info), target, beforeRename);
      return { ...written, conformance: conformance && `PDF/A-${conformance.part}${conformance.level}`, notConformingBecause: this.obstacle };
    } catch (error) {
      await this.writer.discard();
      throw error;
    }
  }

  /** PDF/A's output intent: the colours are sRGB, as the embedded profile defines it. */
  private srgbOutputIntent(): PDFRef {
    const context = this.context;
    const profile = context.register(context.flateStream(SRGB_PROFILE, { N: 3 }));
    return context.register(
      context.obj({
        Type: 'OutputIntent',
        S: 'GTS_PDFA1',
        OutputConditionIdentifier: PDFString.of(SRGB_PROFILE_NAME),
        Info: PDFString.of(SRGB_PROFILE_NAME),
        RegistryName: PDFString.of('http://www.color.org'),
        DestOutputProfile: profile,
      }),
    );
  }

  /** Abandons the PDF (the document failed): its temporary file is removed. */
  discard(): Promise<void> {
    return this.writer.discard();
  }
}
