/**
 * What `--split barcode` costs: the time to look for separator codes on a page, on each sample page
 * (the price every page of a batch pays) and on a separator sheet (rendered at 200 and 300 DPI).
 */
import { createCanvas } from '@napi-rs/canvas';
import { pdfjs } from '../core/pipeline/decode/pdfjs.js';
import sharp from 'sharp';
import type { PageRaster } from '../core/model.js';
import { readPageBarcodes } from '../core/separation/barcode-reader.js';
import { separatorSheetPdf } from '../core/separation/separator-sheet.js';
import { printTable } from './table.js';
import { listFiles } from './throughput.js';

const ROUNDS = 3;

export async function benchSeparatorRead(samples: string): Promise<void> {
  const rows: string[][] = [];
  const pages: Array<{ name: string; raster: PageRaster }> = [];
  for (const file of listFiles(samples).filter((f) => /\.(png|jpe?g|tiff?)$/i.test(f))) {
    const { data, info } = await sharp(file, { page: 0 }).greyscale().raw().toBuffer({ resolveWithObject: true });
    pages.push({ name: file.split('/').pop()!, raster: { width: info.width, height: info.height, channels: 1, data, dpiX: 300, dpiY: 300, dpiAssumed: false } });
  }
  const { pdf, code } = await separatorSheetPdf({ collection: 'Obras', box: '12' });
  for (const dpi of [200, 300]) pages.push({ name: `separator sheet, ${dpi} DPI`, raster: await renderFirstPage(pdf, dpi) });
  let sampleMs = 0;
  let samplePages = 0;
  for (const { name, raster } of pages) {
    let found: string[] = [];
    const started = performance.now();
    for (let i = 0; i < ROUNDS; i++) found = await readPageBarcodes(raster);
    const ms = (performance.now() - started) / ROUNDS;
    if (!name.startsWith('separator')) {
      sampleMs += ms;
      samplePages++;
    }
    rows.push([name, `${raster.width}×${raster.height}`, ms.toFixed(0), found.includes(code) ? 'separator' : found.length > 0 ? found.join(' ') : '—']);
  }
  console.log(`Looking for separator codes (--split barcode), mean of ${ROUNDS} reads per page`);
  printTable(['page', 'pixels', 'ms', 'found'], rows);
  console.log(`  mean on the ${samplePages} sample pages: ${(sampleMs / Math.max(1, samplePages)).toFixed(0)} ms per page\n`);
}

async function renderFirstPage(pdf: Uint8Array, dpi: number): Promise<PageRaster> {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: pdfjs.VerbosityLevel.ERRORS }).promise;
  try {
    const page = await doc.getPage(1);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas, canvasContext: context, viewport } as unknown as Parameters<typeof page.render>[0]).promise;
    const { data, info } = await sharp(canvas.toBuffer('image/png')).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: 1, data, dpiX: dpi, dpiY: dpi, dpiAssumed: false };
  } finally {
    await doc.destroy();
  }
}
