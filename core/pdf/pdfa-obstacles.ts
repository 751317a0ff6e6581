/**
 * Whether objects copied from a source PDF (a scanner's PDF, a born-digital one) can go into a
 * PDF/A file as they are: the first thing found that PDF/A forbids, or null. Scanners' PDFs are
 * plain image pages and pass; born-digital pages often hold fonts that are not embedded,
 * transparency or annotations, and make the document plain PDF.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFStream, type PDFObject } from 'pdf-lib';

const FORBIDDEN_KEYS = ['JavaScript', 'JS', 'AA', 'OPI', 'Alternates', 'EmbeddedFiles'];
const FONT_SUBTYPES = ['/Type1', '/MMType1', '/TrueType', '/CIDFontType0', '/CIDFontType2'];

/** `objects`: the page's dictionary and the indirect objects copied with it; direct objects inside them are looked into too. */
export function pdfaObstacle(objects: Iterable<PDFObject>, part: 1 | 2): string | null {
  for (const object of objects) {
    const found = inspect(object, part);
    if (found) return found;
  }
  return null;
}

function inspect(object: PDFObject, part: 1 | 2): string | null {
  if (object instanceof PDFArray) {
    for (const item of object.asArray()) {
      const found = inspect(item, part);
      if (found) return found;
    }
    return null;
  }
  const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : null;
  if (!dict) return null;
  const own = obstacleIn(dict, part);
  if (own) return own;
  // Direct dictionaries and arrays inside (a page's Resources, an ExtGState); references are objects of their own.
  for (const [, value] of dict.entries()) {
    const found = inspect(value, part);
    if (found) return found;
  }
  return null;
}

function obstacleIn(dict: PDFDict, part: 1 | 2): string | null {
  const name = (key: string) => dict.get(PDFName.of(key))?.toString();
  for (const key of FORBIDDEN_KEYS) if (dict.has(PDFName.of(key))) return `/${key}`;
  // Annotations have rules of their own in PDF/A (appearances, flags): a page with any is not vouched for. An empty list is no annotation.
  const annots = dict.lookup(PDFName.of('Annots'));
  if (annots && !(annots instanceof PDFArray && annots.size() === 0)) return 'annotations';
  if (name('S') && ['/URI', '/Launch', '/JavaScript', '/GoToR', '/ImportData', '/SubmitForm', '/Movie', '/Sound'].includes(name('S')!)) return `action ${name('S')}`;
  const smask = dict.get(PDFName.of('SMask'));
  if (smask && smask.toString() !== '/None') return 'transparency (/SMask)';
  const group = dict.lookup(PDFName.of('Group'));
  if (group instanceof PDFDict && group.get(PDFName.of('S'))?.toString() === '/Transparency') return 'a transparency group';
  for (const key of ['CA', 'ca']) {
    const alpha = dict.lookup(PDFName.of(key));
    if (alpha instanceof PDFNumber && alpha.asNumber() < 1) return `transparency (/${key})`;
  }
  if (name('BM') && !['/Normal', '/Compatible'].includes(name('BM')!)) return `blend mode ${name('BM')}`;
  const filter = dict.get(PDFName.of('Filter'))?.toString() ?? '';
  if (filter.includes('LZWDecode')) return 'LZW compression';
  if (part === 1 && filter.includes('JPXDecode')) return 'JPEG 2000 (not in PDF/A-1)';
  if (name('Subtype') === '/Image' && name('Interpolate') === 'true') return 'image interpolation';
  if (name('Subtype') === '/PS') return 'a PostScript XObject';
  if (name('Type') === '/FontDescriptor' && !['FontFile', 'FontFile2', 'FontFile3'].some((key) => dict.has(PDFName.of(key)))) return `font ${name('FontName')} not embedded`;
  if (name('Type') === '/Font' && FONT_SUBTYPES.includes(name('Subtype') ?? '') && !dict.has(PDFName.of('FontDescriptor'))) return `font ${name('BaseFont')} not embedded`;
  return null;
}
