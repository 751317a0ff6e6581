/**
 * The largest image a PDF page draws, read from the file's structure without decoding anything:
 * a decompression bomb is refused before a single pixel is allocated.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFStream } from 'pdf-lib';
import type { SourcePage } from '../../pdf/source/source-pdf.js';

export interface ImageSize {
  width: number;
  height: number;
  pixels: number;
  /** One bit per pixel (a bilevel scan, or a stencil mask). */
  bilevel: boolean;
  /** Stored as JPEG (DCTDecode). */
  jpeg: boolean;
}

const MAX_FORM_DEPTH = 12;

export function largestImagePixels(page: SourcePage): ImageSize | null {
  const visited = new Set<PDFRef | PDFDict>();
  let largest: ImageSize | null = null;

  const visit = (resources: PDFDict | undefined, depth: number) => {
    if (!resources || depth > MAX_FORM_DEPTH || visited.has(resources)) return;
    visited.add(resources);
    const xobjects = resources.lookupMaybe(PDFName.of('XObject'), PDFDict);
    if (!xobjects) return;
    for (const [, value] of xobjects.entries()) {
      if (value instanceof PDFRef) {
        if (visited.has(value)) continue;
        visited.add(value);
      }
      const stream = page.context.lookup(value);
      if (!(stream instanceof PDFStream)) continue;
      const subtype = stream.dict.lookup(PDFName.of('Subtype'));
      if (subtype === PDFName.of('Image')) {
        const width = numberOf(stream.dict, 'Width');
        const height = numberOf(stream.dict, 'Height');
        const bilevel = numberOf(stream.dict, 'BitsPerComponent') === 1 || stream.dict.lookup(PDFName.of('ImageMask'))?.toString() === 'true';
        const filter = stream.dict.lookup(PDFName.of('Filter'));
        const jpeg = filter === PDFName.of('DCTDecode') || (filter instanceof PDFArray && filter.asArray().includes(PDFName.of('DCTDecode')));
        if (width && height && (!largest || width * height > largest.pixels)) largest = { width, height, pixels: width * height, bilevel, jpeg };
      } else if (subtype === PDFName.of('Form')) {
        visit(stream.dict.lookupMaybe(PDFName.of('Resources'), PDFDict), depth + 1);
      }
    }
  };

  visit(page.node.Resources(), 0);
  return largest;
}

function numberOf(dict: PDFDict, key: string): number | null {
  const value = dict.lookup(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : null;
}
