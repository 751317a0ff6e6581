/**
 * The compose stage of one page: the page as the original shows it (its scanned image, or its
 * source PDF page copied untouched), or the page turned upright when cleaning had to turn it,
 * with the invisible text layer on the words read.
 */
import type { OcrLine, PageRaster } from '../model.js';
import { jpegPageImage } from '../pdf/page-image.js';
import type { SearchablePdf } from '../pdf/searchable-pdf.js';
import type { DecodedPage } from './decode/decoded-document.js';

/** Adds the page to `pdf`; returns its page number there. */
export async function composePage(pdf: SearchablePdf, page: DecodedPage, lines: readonly OcrLine[], corrected: PageRaster | null): Promise<number> {
  if (corrected) {
    // The page had to be turned: the PDF shows the turned image, in the original's kind.
    const image = page.visual.kind === 'image' && page.visual.image.kind === 'jpeg' ? await jpegPageImage(corrected) : ({ kind: 'raster', raster: corrected } as const);
    await pdf.addImagePage(image, corrected.dpiX, corrected.dpiY, lines);
  } else if (page.visual.kind === 'image') {
    await pdf.addImagePage(page.visual.image, page.visual.dpiX, page.visual.dpiY, lines);
  } else {
    await pdf.addCopiedPage(page.visual.page, lines, page.rasterToPage);
  }
  return pdf.pageCount;
}
