/**
 * A source PDF whose pages are copied untouched into the output: either a document pdf-lib has
 * read whole (small files), or one read page by page from disk (file-source-pdf.ts), where each
 * page comes in a small context of its own holding only what that page needs.
 */
import type { PDFContext, PDFDocument, PDFPageLeaf } from 'pdf-lib';

/** One page and the context its objects are looked up in (the page's `Parent` chain included, for what it inherits). */
export interface SourcePage {
  context: PDFContext;
  node: PDFPageLeaf;
}

export interface SourcePdf {
  readonly pageCount: number;
  /** Page `index` (from 0); fails with a coded error when it cannot be read. */
  page(index: number): Promise<SourcePage>;
  close(): Promise<void>;
}

/** A PDF pdf-lib has read whole. */
export function wholeSourcePdf(doc: PDFDocument): SourcePdf {
  return {
    pageCount: doc.getPageCount(),
    page: async (index) => ({ context: doc.context, node: doc.getPage(index).node }),
    close: async () => {},
  };
}
