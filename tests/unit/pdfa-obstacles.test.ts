/** What keeps a copied source-PDF page out of a PDF/A file, found in direct and indirect objects alike. */
import { PDFContext } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfaObstacle } from '../../core/pdf/pdfa-obstacles.js';

describe('pdfaObstacle', () => {
  it('passes a plain scanned page, with an empty annotation list', () => {
    const context = PDFContext.create();
    const image = context.obj({ Type: 'XObject', Subtype: 'Image', Width: 10, Height: 10, ColorSpace: 'DeviceGray', BitsPerComponent: 8, Filter: 'DCTDecode' });
    const page = context.obj({ Type: 'Page', Annots: [], Resources: { XObject: { Im0: context.register(image) } } });
    expect(pdfaObstacle([page, image], 2)).toBeNull();
  });

  it('finds transparency in a graphics state written inside the page, and annotations', () => {
    const context = PDFContext.create();
    expect(pdfaObstacle([context.obj({ Type: 'Page', Resources: { ExtGState: { GS0: { CA: 0.5 } } } })], 2)).toBe('transparency (/CA)');
    expect(pdfaObstacle([context.obj({ Type: 'Page', Annots: [context.obj({ Subtype: 'Link' })] })], 2)).toBe('annotations');
  });

  it('finds fonts that are not embedded, LZW, and JPEG 2000 only for PDF/A-1', () => {
    const context = PDFContext.create();
    expect(pdfaObstacle([context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' })], 2)).toBe('font /Helvetica not embedded');
    expect(pdfaObstacle([context.obj({ Type: 'FontDescriptor', FontName: 'Arial' })], 2)).toBe('font /Arial not embedded');
    expect(pdfaObstacle([context.obj({ Filter: 'LZWDecode' })], 2)).toBe('LZW compression');
    const jpx = context.obj({ Subtype: 'Image', Filter: 'JPXDecode' });
    expect(pdfaObstacle([jpx], 2)).toBeNull();
    expect(pdfaObstacle([jpx], 1)).toBe('JPEG 2000 (not in PDF/A-1)');
  });
});
