/**
 * A copy of a library PDF for a reader who may not see personal data (LGPD): every text a reader
 * can get from it — the invisible OCR layer, text in the pages' own fonts, the document
 * information, XMP metadata, bookmarks, annotations and form fields — passes through `mask`
 * (which replaces the digits of personal numbers with '*'), and what cannot be masked goes
 * (attachments, application data, thumbnails, signatures). The page images still show the
 * paper as it was scanned.
 *
 * What each page becomes:
 * - a page whose text is Acervo's glyphless layer: the same page, its layer's strings masked in
 *   place with as many codes as before (page-text-mask.ts);
 * - a page with text in fonts of its own (copied from a born-digital PDF): read by pdf.js; when
 *   that text holds a personal number, the page becomes a 200 DPI picture of itself with the
 *   masked text as a glyphless layer (rendered-page.ts); otherwise it stays as it is;
 * - any other page (no text) stays as it is.
 *
 * The result is written whole by pdf-lib, with nothing the new file does not reach: no earlier
 * revision, no replaced stream, no old XMP survives in it. PDF/A stays PDF/A: its identification
 * is never masked, metadata streams are written unfiltered, no object streams are used, and
 * dates (which PDF/A wants equal in the information and the XMP) are never masked.
 *
 * Memory: the input and the output are whole in memory (the API is bytes in, bytes out), plus
 * one page at a time for whatever is rendered.
 */
import { EncryptedPDFError, ParseSpeeds, PDFDocument, type PDFRef } from 'pdf-lib';
import { AppError } from '../errors.js';
import { maskDocumentText } from './document-text-mask.js';
import { registerGlyphlessFont } from './glyphless-font-object.js';
import { GlyphlessFonts, maskPageText } from './page-text-mask.js';
import { renderPageIfMasked } from './rendered-page.js';
import { removeUnreachableObjects } from './unreachable-objects.js';
import type { TextMask } from './xml-text-mask.js';

/**
 * A copy of `pdf` in which `mask` has been applied to every text a reader can get: the invisible
 * OCR text layer (Acervo's glyphless font), other text shown on pages, the document information
 * dictionary, the XMP metadata, bookmarks, annotations; attachments dropped.
 * `mask` must keep the length (in UTF-16 units) of what it is given.
 */
export async function maskedPdf(pdf: Uint8Array, mask: (text: string) => string): Promise<Uint8Array> {
  const checked = lengthPreserving(mask);
  const doc = await load(pdf);
  maskDocumentText(doc.context, checked);
  const fonts = new GlyphlessFonts(doc.context);
  let ocrFont: PDFRef | null = null;
  const font = () => (ocrFont ??= registerGlyphlessFont(doc.context));
  for (const page of doc.getPages()) {
    const masking = maskPageText(page.node, checked, fonts);
    ocrFont ??= masking.glyphlessFont;
    if (masking.otherText) await renderPageIfMasked(doc, page.node, checked, font);
  }
  removeUnreachableObjects(doc.context);
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}

function lengthPreserving(mask: TextMask): TextMask {
  return (text) => {
    const masked = mask(text);
    if (masked.length !== text.length) {
      throw new AppError('INTERNAL', `The personal-data mask changed the length of a text (${text.length} to ${masked.length} characters); it must only replace characters.`);
    }
    return masked;
  };
}

async function load(pdf: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  } catch (error) {
    if (error instanceof EncryptedPDFError) {
      throw new AppError('PDF_ENCRYPTED', 'The PDF is encrypted; a masked copy cannot be made of it.', { cause: error });
    }
    throw new AppError('PDF_CORRUPT', `The PDF cannot be read (${(error as Error).message}); a masked copy cannot be made of it.`, { cause: error });
  }
}
