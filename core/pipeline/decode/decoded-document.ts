/** What the decode stage hands on: a document's pages, one at a time. */
import type { Matrix, PageRaster } from '../../model.js';
import type { PageImage } from '../../pdf/page-image.js';
import type { SourcePage, SourcePdf } from '../../pdf/source/source-pdf.js';

/** What the output page shows. */
export type PageVisual =
  /** The scanned image itself, at its physical size. */
  | { kind: 'image'; image: PageImage; dpiX: number; dpiY: number }
  /** Page `index` of the source PDF, copied untouched: `page` as read when it was decoded. */
  | { kind: 'source-page'; index: number; page: SourcePage };

export interface DecodedPage {
  pageNo: number;
  /** Size as a reader sees it (after the page's own rotation). */
  widthPt: number;
  heightPt: number;
  visual: PageVisual;
  /** Pixels to read; null when the page keeps a text layer of its own. */
  raster: PageRaster | null;
  /** Maps the raster's pixel space onto the output page, in PDF points. */
  rasterToPage: Matrix;
  /** The page's own text layer, when it is kept. */
  existingText: string | null;
}

/** What is missing from a file that ends early (INPUT_TRUNCATED): its readable pages are still handed on. */
export interface MissingPart {
  message: string;
  details: Record<string, unknown>;
}

export interface DecodedDocument {
  pageCount: number;
  /** Set when the file is cut short or damaged and only part of it can be read. */
  incomplete: MissingPart | null;
  /** Pages in order, decoded one at a time so a long document never sits whole in memory. */
  pages(): AsyncGenerator<DecodedPage>;
  /** The source PDF as pdf-lib reads it (whole, or page by page from disk), for pages copied untouched. */
  sourcePdf: SourcePdf | null;
  close(): Promise<void>;
}
