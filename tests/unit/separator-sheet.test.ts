import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageRaster } from '../../core/model.js';
import { readPageBarcodes } from '../../core/separation/barcode-reader.js';
import { parseSeparatorCode } from '../../core/separation/separator-code.js';
import { separatorSheetPdf } from '../../core/separation/separator-sheet.js';
import { scanPixelsOfPdf, textPage, type ScanLook, type ScanPixels, type ScannedPage } from '../helpers/batch-scan.js';

async function raster(page: ScannedPage): Promise<PageRaster> {
  const { data, info } = await sharp(page.png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, data, dpiX: page.dpi, dpiY: page.dpi, dpiAssumed: false };
}

/** A scan's pixels as the page the reader gets (the same as its PNG decoded, without writing one). */
function rasterOf(scan: ScanPixels): PageRaster {
  return { width: scan.width, height: scan.height, channels: 1, data: scan.data, dpiX: scan.dpi, dpiY: scan.dpi, dpiAssumed: false };
}

const LOOKS: Array<[string, ScanLook]> = [
  ['300 DPI grey, straight', { dpi: 300 }],
  ['200 DPI bilevel, 4° crooked', { dpi: 200, skew: 4, bilevel: true }],
  ['200 DPI bilevel, −7° crooked, specked', { dpi: 200, skew: -7, bilevel: true, specks: 0.003 }],
  ['200 DPI bilevel, fed upside down and 2° crooked', { dpi: 200, skew: 182, bilevel: true }],
  ['150 DPI grey, sideways', { dpi: 150, skew: 90 }],
  ['600 DPI grey (35 MP: looked at scaled down)', { dpi: 600, skew: 1 }],
];

type SheetMetadata = Parameters<typeof separatorSheetPdf>[0];

/** Each sheet written once for the file: every look below scans the same PDF. */
const sheets = new Map<SheetMetadata, ReturnType<typeof separatorSheetPdf>>();
function sheetOf(metadata: SheetMetadata): ReturnType<typeof separatorSheetPdf> {
  let sheet = sheets.get(metadata);
  if (!sheet) sheets.set(metadata, (sheet = separatorSheetPdf(metadata)));
  return sheet;
}

describe('separator sheet', () => {
  it('writes one page per copy, with the code in words', async () => {
    const { pdf, code } = await separatorSheetPdf({ collection: 'Obras', box: '12' }, 3);
    expect(code).toBe('ACERVO:collection=Obras;box=12');
    const { PDFDocument } = await import('pdf-lib');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(3);
  });

  it('refuses fields that would not read back', async () => {
    await expect(separatorSheetPdf({ year: 87 })).rejects.toThrow(/year "87"/);
  });

  for (const metadata of [null, { collection: 'Obras', box: '12', title: 'Processo 1873/1987' }]) {
    for (const [name, look] of LOOKS) {
      it(`reads back ${metadata ? 'a metadata' : 'the plain'} sheet scanned ${name}`, async () => {
        const { pdf, code } = await sheetOf(metadata);
        const texts = await readPageBarcodes(rasterOf(await scanPixelsOfPdf(pdf, look)));
        expect(texts).toContain(code);
        expect(parseSeparatorCode(code)?.metadata).toEqual(metadata);
      });
    }
  }

  it('finds no code on a page of text', async () => {
    expect(await readPageBarcodes(await raster(await textPage(['PREFEITURA MUNICIPAL DE SÃO JOSÉ', 'Alvará de construção nº 412/1987'])))).toEqual([]);
  });
});
