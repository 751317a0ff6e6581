/**
 * A searchable PDF Acervo wrote, written again without OCR (issue 25): the pages copied as they
 * are (the scans' own bytes, never recompressed), each corrected page's invisible text layer
 * saying the corrected text at the machine's word places (text-layer-rewrite.ts), and the
 * document information and XMP written anew from the record as staff corrected it.
 *
 * Why a whole new file and not an incremental update appended to the old one: an update keeps the
 * old revision in the file, readable by any PDF parser (the misread words, the title staff
 * replaced, perhaps a name), and grows the file with every correction; a new file is one revision,
 * the same shape a conversion writes, so everything that reads Acervo's PDFs (redacted copies'
 * scan recognition, core/redaction/scan-image.ts) reads it as before. It costs a copy of the
 * scans' bytes, read and written page by page (core/pdf/source/: memory is one page's).
 *
 * The PDF is read only if it is still the file the catalog recorded (`expectedSha256`): a PDF
 * damaged since would otherwise be written again under a new checksum and its damage hidden from
 * fixity checks. It is written as conversions write (pdf-file-writer.ts): to a temporary file,
 * renamed into place once complete and on disk.
 */
import { createHash } from 'node:crypto';
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFContext, type PDFPageLeaf } from 'pdf-lib';
import { AppError } from '../errors.js';
import { apply, invert } from '../geometry.js';
import type { Box, Matrix, PdfFormat } from '../model.js';
import { linesAcross } from './corrected-layout.js';
import { FONT_NAME } from './glyphless-font.js';
import type { WrittenPdf } from './pdf-file-writer.js';
import { SearchablePdf, type FinishedPdf } from './searchable-pdf.js';
import { FileSourcePdf } from './source/file-source-pdf.js';
import { RandomAccessFile } from './source/random-access-file.js';
import type { SourcePage } from './source/source-pdf.js';
import { textLayerOperators } from './text-layer.js';
import { readTextLayer, type TextLayer } from './text-layer-reader.js';
import { correctedContent } from './text-layer-rewrite.js';
import type { PdfMetadata } from './xmp.js';

export interface RewriteRequest {
  /** The PDF as it is, and the checksum the catalog recorded for it. */
  file: string;
  expectedSha256: string;
  /** Where the new one goes (the same path, to replace it) and where it is written meanwhile. */
  target: string;
  tempDir: string;
  format: PdfFormat;
  /** The document information and XMP (the page count is the PDF's). */
  metadata: Omit<PdfMetadata, 'conformance' | 'pageCount'>;
  /** Each page's text as its layer must say it, by page of the PDF (from 1). */
  texts: ReadonlyMap<number, string>;
  signal?: AbortSignal;
  /** Told the new file's checksum before it is put in place; may refuse it by throwing. */
  beforeRename?: (written: WrittenPdf) => Promise<void> | void;
}

/** How a page's corrected text went into its text layer. */
export type TextPlacement =
  /** At the machine's word places. */
  | 'words'
  /** Across the page from its top: the machine read no word there. */
  | 'across'
  /** Nothing changed: the layer already says it. */
  | 'unchanged';

export interface RewrittenPdf extends FinishedPdf {
  pages: number;
  texts: Array<{ pdfPage: number; placement: TextPlacement }>;
}

export async function rewritePdf(request: RewriteRequest): Promise<RewrittenPdf> {
  const input = await RandomAccessFile.open(request.file);
  let pdf: SearchablePdf | null = null;
  try {
    const sha256 = await checksum(input, request.signal);
    if (sha256 !== request.expectedSha256) {
      throw new AppError('FIXITY_CHANGED', `${request.file} is not the PDF the catalog recorded (SHA-256 ${sha256}, recorded ${request.expectedSha256}): it is not written again, so its damage stays visible; run acervo verify, and re-ingest its original to make it anew.`);
    }
    const source = await FileSourcePdf.open(input);
    pdf = await SearchablePdf.create(request.tempDir, request.format, { jpegQuality: null });
    const texts: RewrittenPdf['texts'] = [];
    for (let index = 0; index < source.pageCount; index++) {
      // Stopped part-way: the temporary file is removed and the PDF stays as it was.
      request.signal?.throwIfAborted();
      const page = await source.page(index);
      const text = request.texts.get(index + 1);
      const layer = ourLayer(page);
      if (text === undefined) {
        await pdf.addRewrittenPage(page, null);
        continue;
      }
      const rewritten = withText(page, layer, text);
      texts.push({ pdfPage: index + 1, placement: rewritten.placement });
      await pdf.addRewrittenPage(rewritten.page, rewritten.fontName);
    }
    const finished = await pdf.finish({ ...request.metadata, pageCount: source.pageCount }, request.target, request.beforeRename);
    pdf = null;
    return { ...finished, pages: source.pageCount, texts };
  } finally {
    await pdf?.discard();
    await input.close();
  }
}

async function checksum(input: RandomAccessFile, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  const chunk = 1 << 20;
  for (let offset = 0; offset < input.size; offset += chunk) {
    signal?.throwIfAborted();
    hash.update(await input.read(offset, chunk));
  }
  return hash.digest('hex');
}

interface FoundLayer extends TextLayer {
  fontName: string;
  /** The content stream holding it, by its place among the page's streams. */
  stream: number;
}

/** The page's content streams, in order. */
function contentStreams(page: SourcePage): PDFRef[] {
  const contents = page.node.get(PDFName.of('Contents'));
  const resolved = contents instanceof PDFRef ? page.context.lookup(contents) : contents;
  if (resolved instanceof PDFArray) return resolved.asArray().filter((entry): entry is PDFRef => entry instanceof PDFRef);
  return contents instanceof PDFRef ? [contents] : [];
}

function decoded(context: PDFContext, ref: PDFRef): string | null {
  const stream = context.lookup(ref);
  if (!(stream instanceof PDFRawStream)) return null;
  try {
    return Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
  } catch {
    return null;
  }
}

/** Acervo's text layer on the page, drawn with Acervo's glyphless font; null when it has none. */
function ourLayer(page: SourcePage): FoundLayer | null {
  const streams = contentStreams(page);
  const fonts = page.node.lookupMaybe(PDFName.of('Resources'), PDFDict)?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (let stream = streams.length - 1; stream >= 0; stream--) {
    const content = decoded(page.context, streams[stream]!);
    const layer = content === null ? null : readTextLayer(content);
    if (!layer) continue;
    const font = fonts?.lookupMaybe(PDFName.of(layer.fontName), PDFDict);
    if (font?.get(PDFName.of('BaseFont')) !== PDFName.of(FONT_NAME)) return null;
    return { ...layer, stream };
  }
  return null;
}

/** The page with its layer saying `text`: a copy of its dictionary pointing at new content, the source page untouched. */
function withText(page: SourcePage, layer: FoundLayer | null, text: string): { page: SourcePage; fontName: string; placement: TextPlacement } {
  const { context } = page;
  const streams = contentStreams(page);
  const node = page.node.clone() as PDFPageLeaf;
  const register = (content: string) => context.register(context.flateStream(Buffer.from(content, 'latin1')));
  if (layer) {
    const old = decoded(context, streams[layer.stream]!)!;
    const placed = correctedContent(layer, text);
    const content = placed ?? [...layer.before, textLayerOperators(linesAcross(text, rasterArea(page, layer.matrix)), layer.matrix, layer.fontName), ...layer.after].join('\n');
    if (content === old) return { page, fontName: layer.fontName, placement: 'unchanged' };
    const replaced = streams.map((ref, i) => (i === layer.stream ? register(content) : ref));
    node.set(PDFName.of('Contents'), replaced.length === 1 ? replaced[0]! : context.obj(replaced));
    return { page: { context, node }, fontName: layer.fontName, placement: placed === null ? 'across' : 'words' };
  }
  // No layer yet (the machine read nothing here): one is added, in the page's points, y down.
  const media = mediaBox(page);
  const toPage: Matrix = [1, 0, 0, -1, 0, media.y1];
  const fontName = glyphlessFontName(page) ?? freeFontName(page);
  const ops = textLayerOperators(linesAcross(text, { x0: media.x0, y0: 0, x1: media.x1, y1: media.y1 - media.y0 }), toPage, fontName);
  const only = streams.length === 1 ? decoded(context, streams[0]!) : null;
  if (only !== null && /^q [\d.]+ 0 0 [\d.]+ 0 0 cm \/\w+ Do Q\n?$/.test(only)) {
    // A scan as Acervo writes it: the layer goes after the drawing, as addImagePage puts it.
    node.set(PDFName.of('Contents'), register(`${only.endsWith('\n') ? only : `${only}\n`}${ops}`));
  } else {
    // Any other page: its drawing isolated so whatever state it leaves cannot move the text (as addCopiedPage does).
    node.set(PDFName.of('Contents'), context.obj([register('q\n'), ...streams, register(`\nQ\n${ops}\n`)]));
  }
  return { page: { context, node }, fontName, placement: 'across' };
}

function mediaBox(page: SourcePage): Box {
  const box = page.node.lookupMaybe(PDFName.of('MediaBox'), PDFArray)?.asArray().map((value) => (value instanceof PDFNumber ? value.asNumber() : 0));
  const [x0 = 0, y0 = 0, x1 = 612, y1 = 792] = box ?? [];
  return { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

/** The page's MediaBox in the layer's own units (the OCR raster's pixels, y down). */
function rasterArea(page: SourcePage, rasterToPage: Matrix): Box {
  const media = mediaBox(page);
  const toRaster = invert(rasterToPage);
  const corners = [apply(toRaster, media.x0, media.y0), apply(toRaster, media.x1, media.y1)];
  return { x0: Math.min(corners[0]![0], corners[1]![0]), y0: Math.min(corners[0]![1], corners[1]![1]), x1: Math.max(corners[0]![0], corners[1]![0]), y1: Math.max(corners[0]![1], corners[1]![1]) };
}

/** The name the page gives Acervo's glyphless font, if it lists it (a scan's page lists it even when the machine read nothing). */
function glyphlessFontName(page: SourcePage): string | null {
  const fonts = page.node.lookupMaybe(PDFName.of('Resources'), PDFDict)?.lookupMaybe(PDFName.of('Font'), PDFDict);
  for (const [name, value] of fonts?.entries() ?? []) {
    const font = page.context.lookup(value);
    if (font instanceof PDFDict && font.get(PDFName.of('BaseFont')) === PDFName.of(FONT_NAME)) return name.asString().slice(1);
  }
  return null;
}

/** A font resource name the page does not use yet. */
function freeFontName(page: SourcePage): string {
  const fonts = page.node.lookupMaybe(PDFName.of('Resources'), PDFDict)?.lookupMaybe(PDFName.of('Font'), PDFDict);
  let name = 'OCR';
  for (let n = 2; fonts?.has(PDFName.of(name)); n++) name = `OCR${n}`;
  return name;
}
